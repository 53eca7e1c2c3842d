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
from collections.abc import Iterable

from app.core.export_profiles import Cell, Profile

DELIMITERS = (",", ";")
_FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def _guarded(row: list[Cell]) -> list[Cell]:
    """The row with formula-like text prefixed by `'` (None is written empty by csv)."""
    return ["'" + v if type(v) is str and v.startswith(_FORMULA_STARTS) else v for v in row]


def write_csv(
    profile: Profile, rows: Iterable[list[Cell]], delimiter: str = ","
) -> tuple[bytes, int]:
    """(the CSV file's bytes, the number of data rows written)."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS}")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(profile.headers)
    count = 0
    for row in rows:
        writer.writerow(_guarded(row))
        count += 1
    return out.getvalue().encode("utf-8-sig"), count
