"""The fast paths of exports (issue 18, speed): the two ways app/db/export_rows.py reads (the
tables whole in storage order, or the ids looked up in batches) give the same documents in the
same order, and the XLSX writer (rustpy-xlsxwriter) keeps text as text and numbers as numbers,
writes the header of an empty export, and refuses more rows than a sheet holds."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from conftest import ADMIN_OFFICER
from python_calamine import CalamineWorkbook

from app.core import export_cells, export_profiles
from app.db import export_rows
from app.db import households as stored
from app.db.connection import database
from app.exports import xlsx
from app.services import demo, exports, listing

PROFILE = """
[profile]
name = "p"
version = 1
title = "Uji"
rows = "member"
sheet = "UJI"

[[columns]]
header = "NIK"
field = "member.nik"
width = 19

[[columns]]
header = "JUMLAH"
field = "count.members"
type = "number"
"""


def read(book: bytes, sheet: str = "UJI") -> list[list[object]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(book))
    return workbook.get_sheet_by_name(sheet).to_python()


@pytest.mark.parametrize("profile_name", ["siks-ng-usulan-v1", "daftar-keluarga-v1"])
def test_reading_the_tables_whole_gives_the_documents_looked_up(store, profile_name):
    demo.load_demo(60, seed=3, officer=ADMIN_OFFICER)
    ids = listing.find_households(listing.ListQuery(sort="rw_rt", descending=False)).ids
    # a household whose member rows are stored in another order than their positions (a save
    # writes them in order; a migration rebuilding the table need not)
    size = len(stored.load(ids[7])["members"])
    assert size > 1
    database.execute_sql("UPDATE member SET position = ? - position WHERE household_id = ?",
                         (size - 1, ids[7]))  # fmt: skip
    shuffled = stored.load(ids[7])
    assert shuffled is not None
    wanted = [ids[7], "no-such-household", *ids[:7], *ids[8:]]
    household_keys, member_keys = export_cells.needs(exports.load_profile(profile_name))
    keys = household_keys | {"deleted", "village_code", "status", "musyawarah"}

    whole = list(export_rows.partial_documents(wanted, keys, member_keys, whole=True))
    looked_up = list(export_rows.partial_documents(wanted, keys, member_keys, batch=7, whole=False))

    assert whole == looked_up
    assert [doc["household_id"] for doc in whole] == ids[7:8] + ids[:7] + ids[8:]
    if member_keys is not None:
        names = [m["name"] for m in whole[0]["members"]]
        assert names == [m["name"] for m in shuffled["members"]]  # by position
    assert export_rows._whole_table(ids, batch=10)  # 60 of 60: read whole
    assert not export_rows._whole_table(ids[:25], batch=10)  # under half: looked up
    assert not export_rows._whole_table(ids, batch=500)  # a few batches: looked up


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers():
    profile = export_profiles.parse("p", PROFILE)
    rows = [["0031740112345678", 2], ["1E5", 3], ["=1+1", None], ["TRUE", 0], [None, 7]]

    book, count = xlsx.write_xlsx(profile, rows)

    assert count == 5
    cells = read(book)
    assert cells == [["NIK", "JUMLAH"], ["0031740112345678", 2], ["1E5", 3], ["=1+1", ""],
                     ["TRUE", 0], ["", 7]]  # fmt: skip
    assert all(type(row[0]) is str for row in cells)
    assert [type(row[1]) for row in cells[1:] if row[1] != ""] == [float] * 4  # numbers
    files = zipfile.ZipFile(io.BytesIO(book))
    sheet = files.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "0031740112345678</t>" in sheet
    assert re.search(r'<c r="A2"[^>]*t="inlineStr"', sheet)
    assert '<pane ySplit="1"' in sheet  # header row frozen
    styles = files.read("xl/styles.xml").decode()
    text_formats = re.findall(r'numFmtId="(\d+)" formatCode="@"', styles)
    assert text_formats  # the text format `@` ...
    column = re.search(r'<col min="1" max="1" width="([0-9.]+)" style="(\d+)"', sheet)
    assert column and float(column[1]) > 18  # ... is the NIK column's, with its width
    xfs = re.findall(r"<xf [^>]*?/?>", styles.split("<cellXfs")[1])
    assert f'numFmtId="{text_formats[0]}"' in xfs[int(column[2])]
    header_style = re.search(r'<c r="A1" s="(\d+)"', sheet)
    assert header_style and 'fontId="1"' in xfs[int(header_style[1])]
    assert "<b/>" in styles.split("<fonts")[1].split("</font>")[1]  # font 1: bold


def test_an_empty_xlsx_export_still_has_its_header_row():
    profile = export_profiles.parse("p", PROFILE)

    book, count = xlsx.write_xlsx(profile, iter([]))

    assert count == 0
    assert read(book) == [["NIK", "JUMLAH"]]


def test_more_rows_than_a_sheet_holds_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    profile = export_profiles.parse("p", PROFILE)

    assert xlsx.write_xlsx(profile, [["1", 1]] * 3)[1] == 3
    with pytest.raises(xlsx.TooManyRows, match="terlalu banyak untuk satu lembar Excel"):
        xlsx.write_xlsx(profile, [["1", 1]] * 4)
