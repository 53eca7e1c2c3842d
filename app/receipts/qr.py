"""QR codes drawn as vector paths: segno computes the matrix (well under a millisecond for a
receipt's payload), and each row's runs of dark modules become one rectangle each. reportlab's
own QR widget is pure Python and took about 85 ms of a 95 ms receipt."""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.platypus import Flowable

QUIET_ZONE = 2  # modules of white border (the standard asks 4; the paper margin adds more)


@lru_cache(maxsize=256)
def dark_runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(size in modules, ((row, first column, length), ...)) of the QR code for `payload`."""
    code = segno.make(payload, error="m", micro=False)
    matrix = code.matrix
    runs = []
    for row, cells in enumerate(matrix):
        start = None
        for col, dark in enumerate((*cells, 0)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                runs.append((row, start, col - start))
                start = None
    return len(matrix), tuple(runs)


class QrCode(Flowable):  # type: ignore[misc]  # reportlab ships no type information
    """A square QR code of `size` points, quiet zone included."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.payload = payload
        self.size = size
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        modules, runs = dark_runs(self.payload)
        unit = self.size / (modules + 2 * QUIET_ZONE)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        path = canvas.beginPath()
        top = self.size - QUIET_ZONE * unit
        for row, col, length in runs:
            path.rect((QUIET_ZONE + col) * unit, top - (row + 1) * unit, length * unit, unit)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
