"""XLSX through XlsxWriter, in constant-memory mode (rows are streamed to a temporary file per
sheet, so 200,000 rows do not sit in memory as cells).

Every text column is written with `write_string` and the text format `@`, so a NIK or No. KK
stays the 16 digits it is (Excel would turn a number into 3.17401E+15 and drop the last
digits) and a value typed later into the column stays text too; `type = "number"` columns are
numbers. The header row is bold and frozen; widths come from the profile.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from app.core.errors import UserError
from app.core.export_profiles import Cell, Profile

MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows less the header
DEFAULT_WIDTH = 14.0


class TooManyRows(UserError):
    """More rows than one Excel sheet holds."""


def write_xlsx(profile: Profile, rows: Iterable[list[Cell]]) -> tuple[bytes, int]:
    """(the XLSX file's bytes, the number of data rows written)."""
    import xlsxwriter  # 20 ms: loaded with the first export, not with the window

    out = io.BytesIO()
    options = {"constant_memory": True, "strings_to_numbers": False,
               "strings_to_formulas": False, "strings_to_urls": False}  # fmt: skip
    book = xlsxwriter.Workbook(out, options)
    book.set_properties({"title": profile.title, "comments": f"{profile.name} v{profile.version}"})
    text = book.add_format({"num_format": "@"})
    header = book.add_format({"bold": True, "num_format": "@", "bottom": 1})
    sheet = book.add_worksheet(profile.sheet)
    for i, column in enumerate(profile.columns):
        width = column.width or DEFAULT_WIDTH
        sheet.set_column(i, i, width, text if column.is_text else None)
    sheet.freeze_panes(1, 0)
    for i, title in enumerate(profile.headers):
        sheet.write_string(0, i, title, header)
    count = 0
    for count, row in enumerate(rows, 1):
        if count > MAX_ROWS:
            book.close()
            raise TooManyRows(
                f"Lebih dari {MAX_ROWS:,} baris: terlalu banyak untuk satu lembar Excel; "
                "saring per RW atau pakai CSV.".replace(",", "."),
                f"more than {MAX_ROWS} rows do not fit one Excel sheet; filter by RW or use CSV",
            )
        for i, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int):
                sheet.write_number(count, i, value)
            else:
                sheet.write_string(count, i, value, text)
    book.close()
    return out.getvalue(), count
