"""Exports (issue 18) on a real encrypted store: the SIKS-NG daftar usulan of a known household
gives exactly the expected rows, NIK and No. KK are text cells in the XLSX (read back with
python-calamine and in the sheet's XML; LibreOffice converting it to CSV with every NIK intact
is `bench/bench_exports.py --libreoffice`, LibreOffice being too big to install for the
tests), each export is audited without personal data, a petugas is refused, another
kelurahan's households stay out, and profiles are data that a malformed file cannot slip
through."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile

import pytest
from conftest import ADMIN_OFFICER, officer_named
from helpers.households import complete, head
from python_calamine import CalamineWorkbook

from app.core import export_profiles
from app.core.document import new_household, new_member
from app.core.export_profiles import ProfileError
from app.db import audit as audit_log
from app.db import households as stored
from app.services import exports, households, musyawarah, musyawarah_docs, musyawarah_lock
from app.services.actions import AuthError
from app.services.outputs import OutputError

SUPERVISOR = officer_named("sri", "supervisor")
PETUGAS = officer_named("budi", "petugas")
HEAD_NIK, CHILD_NIK, NO_KK = "3174016705800004", "3174011203100001", "3174012304150007"
HEADERS = ["KODE_PROVINSI", "KODE_KABUPATEN", "KODE_KECAMATAN", "KODE_DESA", "ALAMAT", "RT",
           "RW", "NO_KK", "NIK", "NAMA", "TEMPAT_LAHIR", "TANGGAL_LAHIR", "JENIS_KELAMIN",
           "NAMA_IBU_KANDUNG", "HUBUNGAN_KELUARGA", "STATUS_KAWIN", "PEKERJAAN", "ID_DTKS",
           "NOMOR_REGISTRASI", "KEPUTUSAN_MUSYAWARAH", "NOMOR_BA"]  # fmt: skip


def known_family(**values) -> dict:
    doc = new_household("31.74.01.1001", rw=5, rt=3, address="Jl. Tebet Timur Dalam II No. 5",
                        no_kk=NO_KK, **values)  # fmt: skip
    doc["members"] = [
        head(birth_place="Jakarta", mother_name="Siti Rahmah", occupation="Pedagang"),
        new_member(name="Rizky Pratama", nik=CHILD_NIK, relationship=3, sex=1,
                   birth_date="2010-03-12", marital_status=1, birth_place="Jakarta"),
    ]  # fmt: skip
    return households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)


def other_family(name: str, rw: int = 2) -> dict:
    doc = new_household("31.74.01.1001", rw=rw, rt=1, address="Jl. Tebet Raya No. 1")
    doc["members"] = [new_member(name=name, relationship=1)]
    return households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)


def decide_and_lock(*decisions: tuple[dict, str]) -> musyawarah.Meeting:
    day = dt.date.today() + dt.timedelta(days=7)
    m = musyawarah.create_meeting(day, "Aula Kelurahan", SUPERVISOR, minutes_number="007/BA-MK")
    for doc, decision in decisions:
        musyawarah.decide(m.id, doc["household_id"], decision, SUPERVISOR, "Alasan musyawarah")
    paper = musyawarah_docs.prepare_document(m.id, "berita-acara", SUPERVISOR)
    musyawarah_docs.issue_document(paper, SUPERVISOR)
    return musyawarah_lock.lock_meeting(m.id, SUPERVISOR)


@pytest.fixture
def decided(store):
    """The known family decided layak, another not poor, a third still open: all locked."""
    known, poor, rich = known_family(), other_family("Budi Santoso"), other_family("Citra Dewi")
    decide_and_lock((known, "eligible"), (rich, "not_poor"))
    return stored.load(known["household_id"]), poor, rich


def sheet(path, name="USULAN") -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def expected_rows(known: dict) -> list[list[str]]:
    common = ["31", "3174", "317401", "3174011001", "Jl. Tebet Timur Dalam II No. 5", "003",
              "005", NO_KK]  # fmt: skip
    tail = ["", known["registration_number"], "Layak diusulkan", "007/BA-MK"]
    return [
        [*common, HEAD_NIK, "Nur Hasanah", "Jakarta", "27-05-1980", "Perempuan", "Siti Rahmah",
         "Kepala keluarga", "Kawin/nikah", "Pedagang", *tail],
        [*common, CHILD_NIK, "Rizky Pratama", "Jakarta", "12-03-2010", "Laki-laki", "", "Anak",
         "Belum kawin", "", *tail],
    ]  # fmt: skip


def test_the_daftar_usulan_of_a_known_household_is_exactly_these_rows(decided, tmp_path):
    known, _poor, _rich = decided

    result = exports.export("siks-ng-usulan-v1", "xlsx", tmp_path / "usulan.xlsx", SUPERVISOR)

    assert (result.rows, result.households) == (2, 1)  # only the decided layak household
    assert sheet(result.path) == [HEADERS, *expected_rows(known)]


def test_nik_and_no_kk_are_text_cells_in_the_sheet_xml(decided, tmp_path):
    result = exports.export("siks-ng-usulan-v1", "xlsx", tmp_path / "usulan.xlsx", SUPERVISOR)

    with zipfile.ZipFile(result.path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    cells = dict(re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*)>', xml))
    for ref in ("H2", "I2", "H3", "I3"):  # NO_KK, NIK of both members
        assert re.search(r'\bt="(s|inlineStr)"', cells[ref]), (ref, cells[ref])
    assert HEAD_NIK in xml and CHILD_NIK in xml  # inline strings: the digits as written
    assert "E+15" not in xml
    assert '<pane ySplit="1"' in xml  # header row frozen
    styles = zipfile.ZipFile(result.path).read("xl/styles.xml").decode()
    assert 'formatCode="@"' in styles or 'numFmtId="49"' in styles  # the text format


def test_csv_has_a_bom_and_the_chosen_delimiter(decided, tmp_path):
    known, _poor, _rich = decided

    result = exports.export("siks-ng-usulan-v1", "csv", tmp_path / "u.csv", SUPERVISOR,
                            delimiter=";")  # fmt: skip

    data = result.path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfKODE_PROVINSI;KODE_KABUPATEN;")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [HEADERS, *expected_rows(known)]


def test_each_export_is_audited_with_its_hash_and_no_personal_data(decided, tmp_path):
    exports.export("siks-ng-usulan-v1", "xlsx", tmp_path / "a.xlsx", SUPERVISOR)
    result = exports.export("daftar-keluarga-v1", "csv", tmp_path / "b.csv", SUPERVISOR, rw=2)

    entries = [e for e in audit_log.page(limit=100) if e.action == "export.personal"]
    assert len(entries) == 2
    newest = max(entries, key=lambda e: e.seq)
    assert newest.officer == "sri"
    assert newest.detail == {
        "profile": "daftar-keluarga-v1", "version": 1, "format": "csv",
        "filter": {"selection": "list", "statuses": [], "rw": 2, "scope": "31.74.01.1001"},
        "rows": 2, "households": 2,
        "sha256": hashlib.sha256(result.path.read_bytes()).hexdigest(),
    }  # fmt: skip
    text = str([e.detail for e in entries])
    assert HEAD_NIK not in text and "Nur Hasanah" not in text and NO_KK not in text


def test_a_petugas_may_not_export_and_nothing_is_written_or_audited(decided, tmp_path):
    before = len(audit_log.page(limit=1000))
    with pytest.raises(AuthError, match="export.personal"):
        exports.export("siks-ng-usulan-v1", "xlsx", tmp_path / "a.xlsx", PETUGAS)
    assert not (tmp_path / "a.xlsx").exists()
    assert len(audit_log.page(limit=1000)) == before


def test_another_kelurahan_is_left_out_unless_the_scope_is_dinsos(store, tmp_path):
    ours = other_family("Ani Wijaya")
    theirs = new_household("31.74.01.1002", rw=2, rt=1, address="Jl. Lain No. 2")
    theirs["members"] = [new_member(name="Dedi Lain", relationship=1)]
    theirs = complete(theirs)
    theirs["status"] = "registered"
    stored.save(theirs)  # as a bundle from another kelurahan would store it

    mine = exports.export("daftar-keluarga-v1", "xlsx", tmp_path / "a.xlsx", SUPERVISOR)
    assert [r[5] for r in sheet(mine.path, "KELUARGA")[1:]] == ["Ani Wijaya"]

    from app.services.sync import imports

    imports.set_scope("31", ADMIN_OFFICER)  # Dinsos: all of DKI Jakarta
    wide = exports.export("daftar-keluarga-v1", "csv", tmp_path / "b.csv", SUPERVISOR)
    assert wide.households == 2
    assert ours["household_id"] and "Dedi Lain" in wide.path.read_text(encoding="utf-8-sig")
    assert exports.default_file_name(exports.load_profile("daftar-keluarga-v1"), "csv",
                                     dt.date(2026, 12, 1)) == (
        "wilayah-31_daftar-keluarga-v1_2026-12-01.csv")  # fmt: skip


def test_filters_by_status_and_rw_and_withdrawn_left_out_by_default(decided, tmp_path):
    known, poor, rich = decided
    by_status = exports.export("daftar-keluarga-v1", "csv", tmp_path / "a.csv", SUPERVISOR,
                               statuses=["not_poor", "registered"])  # fmt: skip
    assert by_status.households == 2  # rich (not_poor) and poor (registered)
    in_rw5 = exports.export("daftar-keluarga-v1", "csv", tmp_path / "b.csv", SUPERVISOR, rw=5)
    assert in_rw5.households == 1
    assert exports.default_file_name(exports.load_profile("siks-ng-usulan-v1"), "xlsx",
                                     dt.date(2026, 11, 30)) == (
        "tebet-timur_siks-ng-usulan-v1_2026-11-30.xlsx")  # fmt: skip


def test_an_existing_file_needs_force_and_a_bad_format_is_refused(decided, tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(OutputError):
        exports.export("siks-ng-usulan-v1", "xlsx", target, SUPERVISOR)
    assert target.read_bytes() == b"old"
    with pytest.raises(exports.ExportInputError):
        exports.export("siks-ng-usulan-v1", "ods", tmp_path / "b.ods", SUPERVISOR)
    with pytest.raises(exports.ExportInputError):
        exports.export("siks-ng-usulan-v1", "csv", tmp_path / "b.csv", SUPERVISOR,
                       statuses=["bogus"])  # fmt: skip
    exports.export("siks-ng-usulan-v1", "xlsx", target, SUPERVISOR, force=True)
    assert target.read_bytes().startswith(b"PK")


# --- profiles as data ----------------------------------------------------------------------------


def test_every_shipped_profile_loads_and_the_siks_ng_one_has_the_issue_columns():
    assert exports.profile_names() == [
        "daftar-keluarga-v1",
        "pemadanan-bapenda-v1",
        "pemadanan-dukcapil-v1",
        "siks-ng-usulan-v1",
    ]
    siks = exports.load_profile("siks-ng-usulan-v1")
    assert (siks.headers, siks.rows, siks.selection) == (HEADERS, "member", "usulan")
    assert exports.load_profile("daftar-keluarga-v1").rows == "household"


GOOD = '[profile]\nname = "x"\nversion = 1\nrows = "member"\nsheet = "S"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = ", "not valid TOML"),
        ("[[columns]]\nheader = 'A'\nfield = 'member.nik'\n", "[profile] table is missing"),
        (GOOD, "1 to 200 [[columns]]"),
        (GOOD.replace('"x"', '"y"') + "[[columns]]\nheader='A'\nfield='member.nik'\n",
         "must equal the file name"),
        (GOOD + "[[columns]]\nheader='A'\nfield='members.nik'\n", "is not household.KEY"),
        (GOOD + "[[columns]]\nheader='A'\nfield='member.nik'\ncodes='label'\n",
         "not a coded field"),
        (GOOD + "[[columns]]\nheader='A'\nfield='member.nik'\ncolour='red'\n",
         "unknown key 'colour'"),
        (GOOD + "[[columns]]\nheader='A'\nfield='member.nik'\n[[columns]]\nheader='A'\n"
         "field='member.name'\n", "column A appears twice"),
        (GOOD.replace('"member"', '"household"') + "[[columns]]\nheader='A'\nfield='member.nik'\n",
         "cannot use member.* fields"),
        (GOOD + "date_format = 'dd-mm'\n[[columns]]\nheader='A'\nfield='member.nik'\n",
         "not a strftime format"),
        (GOOD.replace('"S"', '"A/B"') + "[[columns]]\nheader='A'\nfield='member.nik'\n",
         "sheet may not hold"),
    ],
)  # fmt: skip
def test_a_malformed_profile_is_refused_in_one_line(text, message):
    with pytest.raises(ProfileError) as refused:
        export_profiles.parse("x", text)
    assert message in refused.value.detail
    assert "\n" not in refused.value.detail and "\n" not in str(refused.value)


def test_an_unknown_profile_names_the_ones_there_are():
    with pytest.raises(ProfileError, match="siks-ng-usulan-v1"):
        exports.load_profile("../../etc/passwd")


def test_a_field_the_document_lacks_is_an_empty_cell_and_constants_and_fallbacks_work():
    profile = export_profiles.parse(
        "p",
        GOOD.replace('"x"', '"p"')
        + """
[[columns]]
header = "SUMBER"
value = "LOKET"
[[columns]]
header = "DTKS"
field = "member.dtks_id"
fallback = "household.dtks_id"
[[columns]]
header = "BELUM_ADA"
field = "member.not_in_schema_yet"
[[columns]]
header = "LAHIR"
field = "member.birth_date"
type = "date"
date_format = "%Y/%m/%d"
""",
    )
    doc = {"dtks_id": "DTKS-9", "members": [{"birth_date": "2024-99-99"}, {"dtks_id": "M-1",
           "birth_date": "2001-02-03"}]}  # fmt: skip
    assert list(export_profiles.rows(profile, doc)) == [
        ["LOKET", "DTKS-9", None, ""],
        ["LOKET", "M-1", None, "2001/02/03"],
    ]


def test_the_dialog_starts_in_the_profile_and_exports_the_daftar_usulan(qtbot, decided, tmp_path):
    from app.ui.reports.export_dialog import ExportListDialog
    from app.ui.runner import Runner

    dialog = ExportListDialog(Runner(synchronous=True), SUPERVISOR)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.profile)
    assert dialog.profile.currentData() == "siks-ng-usulan-v1"
    assert dialog.target.toolTip().endswith(f"tebet-timur_siks-ng-usulan-v1_{dt.date.today()}.xlsx")
    dialog.set_path(tmp_path / "usulan.xlsx")
    dialog.send.click()
    assert "1 keluarga (2 baris)" in dialog.result.text()
    assert [r[8] for r in sheet(tmp_path / "usulan.xlsx")] == ["NIK", HEAD_NIK, CHILD_NIK]
    with pytest.raises(AuthError):
        ExportListDialog(Runner(synchronous=True), PETUGAS)


def test_csv_never_hands_a_spreadsheet_a_formula_and_xlsx_writes_it_as_text():
    from app.exports.csv_file import write_csv
    from app.exports.xlsx import write_xlsx

    profile = export_profiles.parse("p", GOOD.replace('"x"', '"p"') + """
[[columns]]
header = "A"
field = "member.name"
[[columns]]
header = "B"
field = "count.members"
type = "number"
""")  # fmt: skip
    data, count = write_csv(profile, [["=HYPERLINK(1)", 3], ["@SUM(A1)", None], ["-", 0]])
    assert count == 3
    assert data.decode("utf-8-sig") == "A,B\r\n'=HYPERLINK(1),3\r\n'@SUM(A1),\r\n-,0\r\n"
    book, _count = write_xlsx(profile, [["=1+1", 2]])
    xml = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "=1+1" in xml


@pytest.mark.parametrize("profile_name", ["siks-ng-usulan-v1", "daftar-keluarga-v1"])
def test_the_fast_reads_give_the_rows_full_documents_give_cell_by_cell(store, tmp_path,
                                                                        profile_name):  # fmt: skip
    """The export reads only the keys the profile needs (app/db/export_rows.py) and fills rows
    in one loop (app/core/export_cells.py); the same demo households as full documents, each
    cell made by its column's own function, give the same file byte for byte."""
    from app.core import codes, export_cells
    from app.exports.csv_file import write_csv
    from app.services import demo, listing

    demo.load_demo(120, seed=5, officer=ADMIN_OFFICER)
    odd = stored.load(known_family()["household_id"])  # with typed text that looks like a formula
    stored.save({**odd, "address": "=HYPERLINK(1) @ Gg. Ke-5", "phone": "+62 812"})
    statuses = [str(c) for c, _ in codes.choices("household", "status") if c != "withdrawn"]
    result = exports.export(profile_name, "csv", tmp_path / "fast.csv", SUPERVISOR,
                            statuses=statuses, delimiter=";")  # fmt: skip

    profile = exports.load_profile(profile_name)
    query = listing.ListQuery(sort="rw_rt", descending=False)
    ids = listing.find_households(query).ids
    docs = [d for d in map(stored.load, ids) if d and d["status"] in statuses]
    cells = [export_cells._cell_function(profile, column) for column in profile.columns]
    rows = [[cell(doc, member, export_cells.head_of(doc)) for cell in cells]
            for doc in docs
            for member in (doc["members"] if profile.rows == "member" else [{}])]  # fmt: skip
    expected, count = write_csv(profile, rows, ";")
    assert (result.rows, result.households) == (count, len(docs))
    assert len(docs) > 100 and count >= len(docs)
    assert result.path.read_bytes() == expected
    assert "'=HYPERLINK(1) @ Gg. Ke-5" in expected.decode("utf-8-sig")
