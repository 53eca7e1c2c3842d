"""CSV: UTF-8 with a byte-order mark (so Excel reads the names right), `,` or `;` between
fields (`;` for Excel set to Indonesian, where `,` is the decimal mark), every row ended with
CRLF, quoted as the csv module does.

A text cell that begins with `=`, `+`, `@`, a tab or a carriage return gets a leading `'`, so
a spreadsheet opening the file never takes a typed address or name for a formula (CSV
injection). NIK and No. KK are plain digits: CSV has no cell types; open the XLSX in Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from itertools import batched

from app.core.export_profiles import Cell, Column, Profile

DELIMITERS = (",", ";")
_FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
# In the text of rows, a cell beginning like a formula shows as one of these: the csv module
# keeps `=`, `+`, `@` and a tab as they are and quotes a cell holding a `\r` (`"\r`). A batch
# of rows whose text holds none of them needs no guard; one that does is written again, row by
# row through the guard (a `"\r` of a quoted last cell and the line's end makes it needlessly).
_SIGNS = ("=", "+", "@", "\t", '"\r')
BATCH = 2_000  # rows the csv module writes at a time


class _Appender:
    """A file for csv.writer whose `write` is `append`: no buffer between the writer and the
    list of its lines."""

    def __init__(self, append: Callable[[str], object]):
        self.write = append


def _typed_text_columns(profile: Profile) -> list[int]:
    """The columns whose cells may begin like a formula: text someone typed (and constants).
    Coded fields (the schema's labels or codes: the schema allows no other value), region codes
    (digits of a village code its pattern checked), numbers and dates are written by us; a date
    column only if the profile's date format itself begins like a formula."""

    def typed(column: Column) -> bool:
        if column.type == "date":
            return (column.date_format or profile.date_format).startswith(_FORMULA_STARTS)
        return column.type == "text" and not column.codes and not column.region

    return [i for i, column in enumerate(profile.columns) if typed(column)]


def write_csv(
    profile: Profile, rows: Iterable[list[Cell]], delimiter: str = ","
) -> tuple[bytes, int]:
    """(the CSV file's bytes, the number of data rows written)."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS}")
    typed = _typed_text_columns(profile)

    def guarded(row: list[Cell]) -> list[Cell]:
        for i in typed:
            value = row[i]
            if type(value) is str and value.startswith(_FORMULA_STARTS):
                row = row.copy()  # the caller's row stays as it was
                row[i] = "'" + value
        return row

    chunks: list[str] = []  # what the writer writes, a batch at a time
    writer = csv.writer(_Appender(chunks.append), delimiter=delimiter, lineterminator="\r\n")
    out = io.BytesIO()
    writer.writerow(profile.headers)
    out.write("".join(chunks).encode("utf-8-sig"))
    count = 0
    for batch in batched(rows, BATCH):
        chunks.clear()
        writer.writerows(batch)
        text = "".join(chunks)
        if typed and any(sign in text for sign in _SIGNS):  # a cell may begin like a formula
            chunks.clear()
            writer.writerows(map(guarded, batch))
            text = "".join(chunks)
        out.write(text.encode())
        count += len(batch)
    return out.getvalue(), count
