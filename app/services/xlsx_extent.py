"""Whether a worksheet of an XLSX spans more than MAX_CELLS cells, from A1 to its farthest cell,
read off its XML before calamine opens it (app/services/pemadanan_files.py).

calamine turns a sheet into a grid of every cell from its first to its last, 32 bytes a cell,
and when that grid cannot be allocated it aborts the whole process: no exception, the app is
gone (tafia/calamine#693). A 5 kB file with one value in A1 and one in XFD1048576 asks for
550 GB.

- **Quick, for the sheets Dinsos gets** (Excel, LibreOffice and the common libraries write
  every cell as `<c r="B7" …>`): two searches that find nothing, about 0.4 s for 500,000
  rows. No prefixed tag, and every cell's first attribute a reference within column AN and
  row 999,999 and no other `r` in it (calamine takes the last): then the sheet spans at most
  999,999 x 40 cells.
- **Walked, for any other sheet**, as calamine places cells: a cell's `r` names its place; a
  cell without one follows the cell before it in its row; a row without `r` follows the row
  before it. Every cell counts, with or without a value, and every `r` a cell holds, so the
  count is never below calamine's grid. Namespace prefixes (`<x:c>`), lower-case and
  out-of-range references are read too. About 1 µs a cell: 2.5 s for 500,000 rows of 4.
"""

from __future__ import annotations

import re

MAX_CELLS = 40_000_000  # A1 to the farthest cell: 1.3 GB of calamine's grid (1,000,000 rows,
# the most a result file may have, of 40 columns)
_QUICK_ROWS = 999_999  # the rows a reference of up to 6 digits names
_QUICK_COLUMNS = MAX_CELLS // _QUICK_ROWS  # 40 (A to AN): within MAX_CELLS with such rows
assert 26 < _QUICK_COLUMNS <= 52
_LAST = chr(ord("A") + _QUICK_COLUMNS - 27).encode()  # N: AA to AN

_PREFIXED = re.compile(rb":(?:c|row)(?=[\s/>])")
# a cell tag other than <c r="B7"…> with a reference within column AN and row 999,999 first
# and no other `r` (attributes in double quotes)
_IRREGULAR = re.compile(
    rb'<c(?=[\s/>])(?! r="(?:[A-Z]|A[A-' + _LAST + rb'])[0-9]{1,6}"'
    rb'(?:\s+(?!r\s*=)[\w:.-]+\s*=\s*"[^"]*")*\s*/?>)'
)
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb'(?<![\w:.-])r\s*=\s*["\']([A-Za-z]*)([0-9]*)["\']')


def too_wide(xml: bytes) -> bool:
    """Whether the sheet's cells span more than MAX_CELLS from A1."""
    if not (_PREFIXED.search(xml) or _IRREGULAR.search(xml)):
        return False  # at most _QUICK_ROWS x _QUICK_COLUMNS
    return span(xml) > MAX_CELLS


def span(xml: bytes) -> int:
    """Cells from A1 to the sheet's farthest cell (rows times columns; 0 for no cells), walked
    as calamine walks them."""
    rows = columns = row = column = 0
    for name, attributes in _ROW_OR_CELL.findall(xml):
        refs = _REF.findall(attributes)
        if name == b"row":
            row = int(refs[-1][1]) if refs and refs[-1][1] else row + 1
            column = 0
            continue
        places = [(int(r) if r else row, _column(c)) for c, r in refs if c]
        if not places:
            places = [(row, column + 1)]
        rows = max(rows, *(r for r, _ in places))
        columns = max(columns, *(c for _, c in places))
        column = places[-1][1]  # calamine takes the last `r`
    return rows * columns


def _column(letters: bytes) -> int:
    """A1-style column letters as a number: A 1, Z 26, AA 27, XFD 16,384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number
