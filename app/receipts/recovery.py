"""The recovery-key sheet printed at set-up or after a re-key (issue 16): one A4 page naming
the kelurahan, the installation (its code and id, the computer) and the date, with the key on
one line in a size that fits the page. The key's letters avoid I and O (app/db/recovery_keys.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table

from app.receipts import fonts
from app.receipts.formatting import datetime_long
from app.receipts.pdf import PAPERS, build_pdf, p, styles, table_style

TITLE = "KUNCI PEMULIHAN BASIS DATA LOKET DTKS"
KEY_SIZE = 24.0  # points, the largest; smaller when the key would not fit on one line


@dataclass(frozen=True)
class RecoverySheet:
    recovery_key: str
    kelurahan: str  # "" when not chosen yet (the first start chooses it after the key)
    installation: str  # the device code and id
    computer: str
    made_at: dt.datetime


class KeyLine(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The key on one line, centred, in the largest size up to KEY_SIZE that fits."""

    def __init__(self, text: str, width: float):
        super().__init__()
        self.text = text
        fits = width * 0.96 / stringWidth(text, fonts.BOLD, 1)
        self.size = min(KEY_SIZE, fits)
        self.width, self.height = width, self.size * 1.6

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setFont(fonts.BOLD, self.size)
        self.canv.drawCentredString(self.width / 2, self.size * 0.4, self.text)


def render_recovery_sheet(sheet: RecoverySheet) -> bytes:
    paper = PAPERS["a4"]
    s = styles(11)
    width = paper.width - 2 * paper.margin
    kelurahan = sheet.kelurahan or "............................................ (tulis tangan)"
    facts = Table(
        [
            [p("Kelurahan", s.body), p(kelurahan, s.bold)],
            [p("Instalasi", s.body), p(sheet.installation, s.body)],
            [p("Komputer", s.body), p(sheet.computer, s.body)],
            [p("Dibuat", s.body), p(datetime_long(sheet.made_at), s.body)],
        ],
        colWidths=[width * 0.22, width * 0.78],
        style=table_style([("LEFTPADDING", (0, 0), (-1, -1), 0)]),
    )
    key_box = Table(
        [[KeyLine(sheet.recovery_key, width - 12)]],
        colWidths=[width],
        style=table_style(
            [("BOX", (0, 0), (-1, -1), 1.5, colors.black), ("TOPPADDING", (0, 0), (-1, -1), 8)]
        ),
    )
    story: list[Flowable] = [
        Paragraph(TITLE, s.title),
        HRFlowable(width=width, thickness=0.8, color=colors.black, spaceBefore=4, spaceAfter=8),
        facts,
        Spacer(1, 14),
        p("Kunci pemulihan:", s.bold),
        Spacer(1, 4),
        key_box,
        Spacer(1, 6),
        p(
            "Huruf I dan O tidak dipakai: 8 dan 9 selalu angka. Tanda hubung dan huruf "
            "besar/kecil tidak berpengaruh saat mengetik.",
            s.small,
        ),
        Spacer(1, 14),
        p(
            "Dengan kunci ini basis data instalasi ini dapat dibuka bila semua kata sandi "
            "terlupa. Siapa pun yang memegang kunci ini dan salinan basis data dapat membaca "
            "data warga.",
            s.body,
        ),
        Spacer(1, 6),
        p(
            "Simpan lembar ini di lemari terkunci, terpisah dari komputer dan cadangan. "
            "Jangan memotret atau menyimpannya di komputer. Bila kunci diganti, musnahkan "
            "lembar lama bersama cadangan yang memakai kunci lama.",
            s.body,
        ),
    ]
    return build_pdf(story, paper, TITLE)
