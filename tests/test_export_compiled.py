"""The compiled row function of an export profile (issue 18, speed): whatever kind of column,
the straight-line code `export_cells.row_builder` writes gives the cells each column's own
function (`_cell_function`, the reference) gives, over full documents, over members as tuples
and over the partial documents app/db/export_rows.py reads; the reading in order leaves no
temporary table behind; the CSV's formula guard catches a cell in any batch."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import ADMIN_OFFICER

from app.core import export_cells, export_profiles
from app.db import export_rows
from app.db import households as stored
from app.db.connection import database
from app.exports import csv_file
from app.services import demo, listing

EVERY_KIND = """
[profile]
name = "p"
version = 1
title = "Uji"
rows = "member"
sheet = "UJI"
date_format = "%d/%m/%Y"

[[columns]]
header = "SUMBER"
value = "LOKET"
[[columns]]
header = "DESA"
field = "household.village_code"
region = "village"
[[columns]]
header = "KEC"
field = "household.village_code"
region = "district"
[[columns]]
header = "RT"
field = "household.rt"
pad = 3
[[columns]]
header = "RW"
field = "household.rw"
type = "number"
[[columns]]
header = "KEPUTUSAN"
field = "household.musyawarah.decision"
codes = "label"
[[columns]]
header = "STATUS_RUMAH"
field = "household.housing.tenure"
codes = "label"
[[columns]]
header = "STATUS_RUMAH_KODE"
field = "household.housing.tenure"
codes = "code"
[[columns]]
header = "FOTO"
field = "household.house_photo"
[[columns]]
header = "NIK"
field = "member.nik"
[[columns]]
header = "JK"
field = "member.sex"
codes = "label"
[[columns]]
header = "HUB"
field = "member.relationship"
codes = "code"
pad = 2
[[columns]]
header = "LAHIR"
field = "member.birth_date"
type = "date"
[[columns]]
header = "LAHIR_ISO"
field = "member.birth_date"
type = "date"
date_format = "%Y-%m-%d"
[[columns]]
header = "HAMIL"
field = "member.pregnant"
[[columns]]
header = "DTKS"
field = "member.dtks_id"
fallback = "household.dtks_id"
[[columns]]
header = "KK_ATAU_NIK"
field = "household.dtks_id"
fallback = "member.nik"
[[columns]]
header = "KEPALA"
field = "head.name"
fallback = "household.address"
[[columns]]
header = "NAMA_ATAU_KEPALA"
field = "member.name"
fallback = "head.name"
[[columns]]
header = "ANGGOTA"
field = "count.members"
type = "number"
[[columns]]
header = "BELUM_ADA"
field = "member.not_in_schema_yet"
fallback = "household.rt"
pad = 2
"""

PER_HOUSEHOLD = """
[profile]
name = "q"
version = 1
title = "Uji"
rows = "household"
sheet = "UJI"

[[columns]]
header = "KEPALA"
field = "head.name"
[[columns]]
header = "NIK_KEPALA"
field = "head.nik"
fallback = "household.no_kk"
[[columns]]
header = "JK_KEPALA"
field = "head.sex"
codes = "label"
[[columns]]
header = "ANGGOTA"
field = "count.members"
type = "number"
[[columns]]
header = "STATUS"
field = "household.status"
codes = "label"
"""

PROFILES = [export_profiles.parse("p", EVERY_KIND), export_profiles.parse("q", PER_HOUSEHOLD)]


def reference(profile: export_profiles.Profile, doc: dict) -> list[list]:
    """The rows cell by cell, each column's own function."""
    cells = [export_cells._cell_function(profile, column) for column in profile.columns]
    head = export_cells.head_of(doc)
    members = doc.get("members") or [] if profile.rows == "member" else [{}]
    return [[cell(doc, member, head) for cell in cells] for member in members]


def as_tuples(doc: dict, layout: tuple[str, ...]) -> dict:
    members = [(*(m.get(k) for k in layout), "trailer") for m in doc.get("members") or []]
    return {**doc, "members": members} if "members" in doc else doc


ODD = [  # values a column may meet: each kind of cell, and what a memo must not mix up
    {"village_code": "31.74.01.1001", "rt": 5, "rw": 3, "dtks_id": "DTKS-1",
     "musyawarah": {"decision": "eligible"}, "housing": {"tenure": 1}, "house_photo": True,
     "address": "Gg. Ke-5",
     "members": [
         {"nik": "3174010101010001", "sex": 1, "relationship": 1, "birth_date": "2001-02-03",
          "pregnant": False, "name": "Kepala"},
         {"nik": "", "sex": True, "relationship": True, "birth_date": "2024-99-99",
          "pregnant": True, "dtks_id": "M-1", "name": ""},
         {"nik": None, "sex": 1.0, "relationship": 1.0, "birth_date": 20010203, "name": {}},
         {"sex": 99, "relationship": 99, "birth_date": "2001-02-03", "dtks_id": "",
          "not_in_schema_yet": "ada", "name": "Tiga"},
         {"nik": 3174, "sex": "1", "relationship": "1", "birth_date": ["2001-02-03"]},
     ]},
    {"village_code": "31.74.01.1001", "rt": "7", "rw": "x", "musyawarah": {},
     "housing": {"tenure": 99}, "house_photo": False, "no_kk": "3174010101010009",
     "members": [{"nik": "3174010101010002", "relationship": 3, "name": "Anak"}]},
    {"village_code": 3174, "rt": None, "rw": None, "musyawarah": None, "housing": [],
     "members": []},
    {"no_kk": "3174010101010010"},  # no members at all
]  # fmt: skip


@pytest.mark.parametrize("profile", PROFILES, ids=["per-member", "per-household"])
def test_the_compiled_rows_are_the_cells_of_each_columns_own_function(profile):
    _, layout = export_cells.needs(profile)
    assert layout is not None
    for doc in ODD:  # each document twice: the second time from the memos
        expected = reference(profile, doc)
        compiled = export_cells.row_builder(profile)
        over_tuples = export_cells.row_builder(profile, layout)
        for _ in range(2):
            assert list(compiled(doc)) == expected
            assert list(over_tuples(as_tuples(doc, layout))) == expected
    rows = export_cells.row_builder(profile)
    all_rows = [row for doc in ODD * 2 for row in rows(doc)]
    assert all_rows == [row for doc in ODD * 2 for row in reference(profile, doc)]
    if profile.name == "p":  # the kinds of cells these columns made
        first, second, third = all_rows[:3]
        assert first == ["LOKET", "3174011001", "317401", "005", 3, "Layak diusulkan",
                         "Milik sendiri", "1", "Ya", "3174010101010001", "Laki-laki", "01",
                         "03/02/2001", "2001-02-03", "Tidak", "DTKS-1", "DTKS-1", "Kepala",
                         "Kepala", 5, "05"]  # fmt: skip
        assert second[9:16] == [None, "Laki-laki", "Ya", "", "", "Ya", "M-1"]  # True: no code 1
        assert third[11] == "1.0" and third[18] is None  # 1.0 is not code 1 either; a dict


def test_a_layout_without_a_key_the_profile_reads_is_refused():
    with pytest.raises(ValueError, match="not in the layout"):
        export_cells.row_builder(PROFILES[0], ("nik",))


@pytest.mark.parametrize("profile", PROFILES, ids=["per-member", "per-household"])
def test_the_partial_documents_give_the_full_documents_rows(store, profile):
    demo.load_demo(40, seed=11, officer=ADMIN_OFFICER)
    ids = listing.find_households(listing.ListQuery(sort="rw_rt", descending=False)).ids
    wanted = [ids[5], *ids[::-1], "no-such-household", ids[0]]  # each once, in this order
    household_keys, layout = export_cells.needs(profile)
    full = [stored.load(i) for i in dict.fromkeys(wanted) if i != "no-such-household"]
    expected = [row for doc in full for row in reference(profile, doc)]
    assert any(row[14] == "Ya" for row in expected) if profile.name == "p" else True
    for whole in (True, False):
        docs = export_rows.partial_documents(wanted, household_keys, layout, batch=7, whole=whole,
                                             member_tuples=True)  # fmt: skip
        rows = export_cells.row_builder(profile, layout)
        assert [row for doc in docs for row in rows(doc)] == expected
    assert not temporary_tables()


def temporary_tables() -> list[str]:
    sql = "SELECT name FROM sqlite_temp_master WHERE type = 'table'"
    return [row[0] for row in database.execute_sql(sql).fetchall()]


def test_reading_in_order_leaves_no_temporary_table_even_when_stopped(store):
    demo.load_demo(12, seed=2, officer=ADMIN_OFFICER)
    ids = listing.find_households(listing.ListQuery(sort="rw_rt", descending=False)).ids
    docs = export_rows.partial_documents(ids, {"no_kk"}, ("nik",), whole=True)
    assert next(docs)["household_id"] == ids[0]
    assert len(temporary_tables()) == 1  # the order, while reading
    docs.close()
    assert not temporary_tables()
    both = [export_rows.partial_documents(ids, {"no_kk"}, ("nik",), whole=True) for _ in "ab"]
    assert [d["household_id"] for d in both[0]] == [d["household_id"] for d in both[1]] == ids
    assert not temporary_tables()


def test_the_formula_guard_catches_a_cell_in_any_batch(monkeypatch):
    monkeypatch.setattr(csv_file, "BATCH", 2)
    profile = export_profiles.parse("g", """
[profile]
name = "g"
version = 1
title = "Uji"
rows = "member"
sheet = "UJI"
[[columns]]
header = "NAMA"
field = "member.name"
[[columns]]
header = "JK"
field = "member.sex"
codes = "label"
[[columns]]
header = "N"
field = "count.members"
type = "number"
""")  # fmt: skip
    typed = ["Ani", "Budi", "=1+1", "Cici", "\rDedi", "Fani", "+62", "Eko, S.T.", "@x", "\tTab",
             "ok"]  # fmt: skip
    rows = [[name, "=label" if i == 1 else None, i] for i, name in enumerate(typed)]
    data, count = csv_file.write_csv(profile, rows, ";")
    guarded = [[f"'{n}" if n[0] in "=+@\t\r" else n, s, i] for n, s, i in rows]
    expected = io.StringIO()
    csv.writer(expected, delimiter=";", lineterminator="\r\n").writerows(
        [["NAMA", "JK", "N"], *guarded]
    )
    assert count == len(rows)
    assert data == expected.getvalue().encode("utf-8-sig")
    assert rows[2][0] == "=1+1"  # the caller's rows stay as they were


def test_members_of_a_household_not_read_do_not_shift_the_others(store):
    """The member query and the household query are two statements: should members arrive for
    a household the household query did not give (here an orphan row, foreign keys off), the
    households after it still get their own members."""
    demo.load_demo(12, seed=4, officer=ADMIN_OFFICER)
    ids = listing.find_households(listing.ListQuery(sort="rw_rt", descending=False)).ids
    before = list(export_rows.partial_documents(ids, {"no_kk"}, ("name",), whole=True))
    columns = [c for c in stored.member_fields() if c != "nik"]  # nik is unique
    database.execute_sql("PRAGMA foreign_keys = OFF")
    database.execute_sql(
        f"INSERT INTO member (id, household_id, position, {', '.join(columns)})"
        f" SELECT 'orphan-' || id, 'ghost', position, {', '.join(columns)} FROM member"
        " WHERE household_id = ?",
        (ids[0],),
    )
    database.execute_sql("PRAGMA foreign_keys = ON")
    wanted = [ids[0], "ghost", *ids[1:]]
    after = list(export_rows.partial_documents(wanted, {"no_kk"}, ("name",), whole=True))
    assert after == before
    assert all(doc["members"] for doc in after)
