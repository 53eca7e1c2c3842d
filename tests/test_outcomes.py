"""SIKS-NG outcomes back (issue 19): the `siks-ng` column profile, the shared bounded reader
(CSV, XLSX, its zip-bomb guard), a preview that changes nothing, an import that records the
events through `dinsos_status.record`, the ID DTKS owned by Dinsos at a kelurahan, and the
round trip Dinsos -> kelurahan in real bundles."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
import xlsxwriter
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, officer_named
from helpers.households import head, household
from sync_support import Installation, exchange

from app.cli.main import main
from app.core import outcome_profiles
from app.core.document import new_member
from app.core.export_profiles import ProfileError
from app.core.outcome_profiles import RowRefused
from app.db import audit
from app.services import auth, households, installation, outcomes, pemadanan_files
from app.services.actions import AuthError
from app.services.households import FieldOwnerError

HEAD_NIK = "3174016705800004"
CHILD_NIK = "3174015708100003"
UNKNOWN_NIK = "3174010101900009"
HEADER = "NIK;NO_KK;STATUS;ALASAN;ID_DTKS;TANGGAL"


def write_csv(path, lines, bom=False):
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def saved(no_kk="3174012304150007", village="31.74.01.1001", nik=HEAD_NIK, final=True):
    """A registered household (or a draft), saved before the installation becomes Dinsos."""
    doc = {**household(head(nik=nik), no_kk=no_kk), "village_code": village}
    return households.save_household(doc, final=final, officer=ADMIN_OFFICER)["household_id"]


def test_the_built_in_profile_and_broken_ones():
    assert outcomes.names() == ["siks-ng"]
    profile = outcomes.load_profile("siks-ng")
    assert profile.columns == {
        "nik": "NIK", "no_kk": "NO_KK", "status": "STATUS", "reason": "ALASAN",
        "dtks_id": "ID_DTKS", "date": "TANGGAL",
    }  # fmt: skip
    assert profile.values["rejected"] == {"DITOLAK"}
    for text, why in (
        ('name = "x"\n[columns]\nstatus = "S"\n[values]\ndetermined = ["D"]\n', "no_kk"),
        ('name = "x"\n[columns]\nnik = "N"\nstatus = "S"\n', "memerlukan values"),
        ('name = "x"\n[columns]\nnik = "N"\nstatus = "S"\n[values]\nrejected = ["T"]\n', "reason"),
        ('name = "x"\n[columns]\nnik = "N"\ndtks_id = "N"\n', "sama"),
        (
            'name = "x"\n[columns]\nnik = "N"\nstatus = "S"\n[values]\napproved = ["Y"]\n',
            "approved",
        ),
    ):
        with pytest.raises(ProfileError, match=why):
            outcome_profiles.parse("x", text)
    with pytest.raises(pemadanan_files.FileRefused, match="profil hasil SIKS-NG tidak dikenal"):
        outcomes.load_profile("sikasep")


def test_rows_dates_and_refusals_name_the_row_never_the_nik(tmp_path):
    path = write_csv(
        tmp_path / "siks.csv",
        [
            "NO;" + HEADER.lower() + ";CATATAN",
            f"1;{HEAD_NIK};;Ditetapkan;;DT-31.74-0001;05-11-2026;x",
            "2;;3174012304150007;DITOLAK;Sudah menerima bantuan lain;;2026-11-06;",
            "3;3.17401E+15;;DITETAPKAN;;;05-11-2026;",
            f"4;{UNKNOWN_NIK};;DITETAPKAN;;;31-02-2026;",
            f"5;{UNKNOWN_NIK};;DITETAPKAN;;;11/05/2026;",
            f"6;{UNKNOWN_NIK};;DITOLAK;;;05-11-2026;",
            f"7;{UNKNOWN_NIK};;MUNGKIN;;;05-11-2026;",
            "8;;;DITETAPKAN;;;05-11-2026;",
            f"9;{UNKNOWN_NIK};;;;;05-11-2026;",
            f"10;{UNKNOWN_NIK};;TERVERIFIKASI;;ID DTKS!;05-11-2026;",
            "",
        ],
        bom=True,
    )
    profile = outcomes.load_profile("siks-ng")
    read = pemadanan_files.read_table(
        path, profile.headers(), lambda cells: outcome_profiles.read_row(profile, cells)
    )
    assert [(n, o.nik, o.no_kk, o.step, o.dtks_id, o.date) for n, o in read.results] == [
        (2, HEAD_NIK, None, "determined", "DT-31.74-0001", "2026-11-05"),
        (3, None, "3174012304150007", "rejected", None, "2026-11-06"),
    ]
    assert read.results[1][1].reason == "Sudah menerima bantuan lain"
    reasons = {e.row: e.reason for e in read.errors}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "Excel" in reasons[4] and "tanggal yang ada" in reasons[5]
    assert "DD-MM-YYYY" in reasons[6] and "alasan" in reasons[7] and "STATUS" in reasons[8]
    assert "kosong" in reasons[9] and "tanpa hasil" in reasons[10] and "ID DTKS" in reasons[11]
    assert not any(UNKNOWN_NIK in e.describe() for e in read.errors)
    with pytest.raises(RowRefused, match="angka"):
        outcome_profiles.read_date(45601.0)
    assert outcome_profiles.read_date(dt.datetime(2026, 11, 5, 0, 0)) == "2026-11-05"


def test_an_xlsx_date_cell_is_read_and_a_numeric_no_kk_is_refused(tmp_path):
    path = tmp_path / "siks.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    dated = book.add_format({"num_format": "dd-mm-yyyy"})
    for c, text in enumerate(HEADER.split(";")):
        sheet.write_string(0, c, text)
    sheet.write_string(1, 0, HEAD_NIK)
    sheet.write_string(1, 2, "Masuk SIKS-NG")
    sheet.write_datetime(1, 5, dt.datetime(2026, 10, 1), dated)
    sheet.write_number(2, 1, 3174012304150007.0)
    sheet.write_string(2, 2, "DITETAPKAN")
    sheet.write_string(2, 5, "01-10-2026")
    book.close()
    profile = outcomes.load_profile("siks-ng")
    read = pemadanan_files.read_table(
        path, profile.headers(), lambda cells: outcome_profiles.read_row(profile, cells)
    )
    assert [(n, o.step, o.date) for n, o in read.results] == [(2, "in_siks_ng", "2026-10-01")]
    [error] = read.errors
    assert error.row == 3 and "No. KK berupa angka" in error.reason


def _bomb(path, size):
    """An 'XLSX' whose one entry unpacks to `size` bytes of zeros (a zip bomb, small)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        bomb.writestr("xl/workbook.xml", "<workbook/>")
        with bomb.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\0" * 2**20
            for _ in range(size // 2**20):
                sheet.write(chunk)
    return path


def test_an_xlsx_that_would_unpack_too_far_is_refused_before_calamine(tmp_path, monkeypatch):
    profile = outcomes.load_profile("siks-ng")

    def read(path):
        return pemadanan_files.read_table(path, profile.headers(), lambda c: c)

    bomb = _bomb(tmp_path / "bom.xlsx", 64 * 2**20)
    assert bomb.stat().st_size < 2**20  # packs more than 100 to 1
    opened = []
    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", opened.append)
    with pytest.raises(pemadanan_files.FileRefused, match="terlalu besar setelah dibuka"):
        read(bomb)
    monkeypatch.setattr(pemadanan_files, "MAX_XLSX_UNPACKED", 3 * 2**20)
    with pytest.raises(pemadanan_files.FileRefused, match="maks. 3 MB"):
        read(_bomb(tmp_path / "klein.xlsx", 3 * 2**20 + 2**20))
    assert opened == []  # calamine never saw them
    # an entry whose declared size lies fails its check, also before calamine
    lying = tmp_path / "lying.xlsx"
    data = bytearray(_bomb(tmp_path / "one.xlsx", 2**20).read_bytes())
    at = data.rfind(b"xl/worksheets/sheet1.xml") - 46 + 24  # central directory: file_size
    data[at : at + 4] = (1000).to_bytes(4, "little")
    lying.write_bytes(bytes(data))
    with pytest.raises(pemadanan_files.FileRefused, match="rusak"):
        read(lying)
    assert opened == []


def test_preview_changes_nothing_and_apply_records_through_dinsos_status(store, admin, tmp_path):
    hid = saved()
    other_kota = saved("3171012304150001", "31.71.01.1001", CHILD_NIK, final=False)
    twin_a, twin_b = (
        saved("3174012304159998", nik=nik, final=False)  # a No. KK registered twice
        for nik in ("3174016705800012", "3174016705800020")
    )
    installation.set_dinsos("31.74", ADMIN_OFFICER)  # Suku Dinas Jakarta Selatan
    path = write_csv(
        tmp_path / "siks.csv",
        [
            HEADER,
            f"{HEAD_NIK};;MASUK SIKS-NG;;;01-10-2026",
            f"{HEAD_NIK};;DITETAPKAN;;DT-0001;2026-11-05",
            f"{HEAD_NIK};;TERVERIFIKASI;;;20-10-2026",
            f"{UNKNOWN_NIK};;DITETAPKAN;;;2026-11-05",
            f"{CHILD_NIK};;DITETAPKAN;;;2026-11-05",
            ";3174012304159998;DITOLAK;Mampu;;2026-11-05",
            "3.17401E+15;;DITETAPKAN;;;2026-11-05",
        ],
    )
    before = {h: households.load_household(h) for h in (hid, other_kota, twin_a, twin_b)}
    entries = len(audit.entries())
    plan = outcomes.preview(path, "siks-ng", admin)
    assert plan.counts == {
        "rows": 6, "matched": 3, "in_siks_ng": 1, "verified": 1, "determined": 1,
        "rejected": 0, "dtks_id": 1, "not_found": 1, "other_kelurahan": 1, "ambiguous": 1,
        "refused": 1, "households": 1,
    }  # fmt: skip
    assert [k for k, _ in outcomes.COUNTS] == list(plan.counts)
    assert [e.row for e in plan.errors] == [8]
    assert {h: households.load_household(h) for h in before} == before
    assert len(audit.entries()) == entries

    applied = outcomes.apply(path, "siks-ng", admin)
    assert applied.counts["households"] == 1
    after = households.load_household(hid)
    assert (after["status"], after["dtks_id"]) == ("determined", "DT-0001")
    steps = [(e["step"], e["date"]) for e in after["dinsos_events"]]
    assert steps == [
        ("in_siks_ng", "2026-10-01"), ("verified", "2026-10-20"),
        ("determined", "2026-11-05"), ("dtks_id", "2026-11-05"),
    ]  # fmt: skip
    assert {e["by"] for e in after["dinsos_events"]} == {installation.area_label("31.74")}
    for untouched in (other_kota, twin_a, twin_b):
        assert households.load_household(untouched) == before[untouched]
    [entry] = [e for e in audit.entries() if e.action == "dinsos.status"]
    text = json.dumps(entry.detail) if not isinstance(entry.detail, str) else entry.detail
    assert '"profile": "siks-ng"' in text and '"determined": 1' in text
    assert HEAD_NIK not in text and "Nur" not in text and "DT-0001" not in text
    # the same file again is no news
    assert outcomes.preview(path, "siks-ng", admin).counts["households"] == 0
    assert outcomes.apply(path, "siks-ng", admin).counts["households"] == 0
    assert households.load_household(hid)["rev"] == after["rev"]


def test_a_rejection_by_no_kk_keeps_its_reason(store, admin, tmp_path):
    hid = saved()
    installation.set_dinsos(None, ADMIN_OFFICER)
    path = write_csv(tmp_path / "s.csv", [HEADER, ";3174012304150007;Ditolak;Sudah mampu;;"])
    with_date = outcomes.load_profile("siks-ng")
    [error] = outcomes.plan(path, with_date).errors  # a date column left empty: refused
    assert "TANGGAL kosong" in error.reason
    no_date = tmp_path / "tanpa-tanggal.toml"
    text = outcomes.profiles_folder().joinpath("siks-ng.toml").read_text(encoding="utf-8")
    no_date.write_text(text.replace('date = "TANGGAL"', ""), encoding="utf-8")
    outcomes.apply(path, str(no_date), admin)
    [event] = households.load_household(hid)["dinsos_events"]
    assert (event["step"], event["reason"]) == ("rejected", "Sudah mampu")
    assert event["date"] == dt.date.today().isoformat()  # no date column: the import's day


def test_refused_for_a_petugas_and_at_a_kelurahan(store, admin, tmp_path):
    hid = saved()
    path = write_csv(tmp_path / "s.csv", [HEADER, f"{HEAD_NIK};;DITETAPKAN;;;2026-11-05"])
    before = households.load_household(hid)
    with pytest.raises(AuthError, match="Dinas Sosial"):
        outcomes.apply(path, "siks-ng", admin)  # a kelurahan installation
    installation.set_dinsos(None, ADMIN_OFFICER)
    for role in ("petugas", "pendamping"):
        with pytest.raises(AuthError, match="dinsos.status"):
            outcomes.preview(path, "siks-ng", officer_named("budi", role))
        with pytest.raises(AuthError, match="dinsos.status"):
            outcomes.apply(path, "siks-ng", officer_named("budi", role))
    assert households.load_household(hid) == before


def test_a_kelurahan_may_not_change_the_id_dtks_by_a_local_save(store, admin):
    hid = saved()
    doc = households.load_household(hid)
    doc["dtks_id"] = "DT-9"
    for officer in (admin, officer_named("sri", "supervisor"), officer_named("budi", "petugas")):
        with pytest.raises(FieldOwnerError, match="^Kolom dtks_id hanya dapat diubah oleh Dinsos"):
            households.save_household(doc, final=False, officer=officer)
    new = household(head(nik=CHILD_NIK), no_kk="3174012304151111", dtks_id="DT-9")
    with pytest.raises(FieldOwnerError, match="dtks_id"):
        households.save_household(new, final=False, officer=admin)
    assert households.load_household(hid)["dtks_id"] is None
    doc["dtks_id"] = None
    doc["members"][0]["dtks_id"] = "DT-M-1"  # a member's ID DTKS stays registration data
    households.save_household(doc, final=False, officer=officer_named("budi", "petugas"))
    installation.set_dinsos(None, ADMIN_OFFICER)
    doc = households.load_household(hid)
    doc["dtks_id"] = "DT-9"  # at Dinsos, a supervisor may correct it
    assert households.save_household(doc, final=False, officer=admin)["dtks_id"] == "DT-9"


def test_the_cli_previews_then_applies(store, admin, tmp_path, capsys, monkeypatch):
    hid = saved()
    installation.set_dinsos(None, ADMIN_OFFICER)
    auth.log_out()
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    path = write_csv(
        tmp_path / "s.csv", [HEADER, f"{HEAD_NIK};;DITETAPKAN;;DT-1;05-11-2026", "3.17401E+15;;;;;"]
    )
    args = ["--home", str(store.home), "--user", ADMIN, "outcomes", "import", str(path)]
    assert main([*args, "--profile", "siks-ng", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing changed" in out and "baris 3: NIK rusak oleh Excel" in out
    assert "1  ditetapkan (determined)" in out and HEAD_NIK not in out
    assert main([*args, "--profile", "nope"]) == 2
    assert "tidak dikenal" in capsys.readouterr().err
    assert main([*args, "--profile", "siks-ng"]) == 0
    assert "1 households updated" in capsys.readouterr().out
    assert main(["--home", str(store.home), "outcomes", "profiles"]) == 0
    assert "siks-ng  v1" in capsys.readouterr().out
    auth.log_in(store, ADMIN, ADMIN_PASSWORD)
    assert households.load_household(hid)["status"] == "determined"


def test_the_outcome_travels_to_the_kelurahan_in_a_bundle(tmp_path, qtbot):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), Installation(tmp_path, "dinsos")
    exchange((kelurahan, dinsos))
    with kelurahan:
        doc = household(head(), new_member(name="Ahmad", nik=CHILD_NIK, relationship=3))
        hid = households.save_household(doc, final=True, officer=kelurahan.officer)["household_id"]
        sent = kelurahan.export(dinsos)
    with dinsos:
        dinsos.take(sent)
        installation.set_dinsos(None, dinsos.officer)
        path = write_csv(
            tmp_path / "siks.csv",
            [HEADER, f"{CHILD_NIK};;DITETAPKAN;;DT-31-0042;05-11-2026"],
        )
        assert outcomes.apply(path, "siks-ng", dinsos.officer).counts["households"] == 1
        back = dinsos.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(back)
        assert report.counts["rejected"] == 0
        shown = households.load_household(hid)
        assert (shown["status"], shown["dtks_id"]) == ("determined", "DT-31-0042")
        assert [(e["step"], e["date"], e["by"]) for e in shown["dinsos_events"]] == [
            ("determined", "2026-11-05", "Dinas Sosial Provinsi DKI Jakarta"),
            ("dtks_id", "2026-11-05", "Dinas Sosial Provinsi DKI Jakarta"),
        ]
        # the household form shows the ID DTKS, read-only, and an edit keeps it
        from app.ui.application import create_main_window
        from app.ui.runner import Runner

        window = create_main_window(kelurahan.officer, Runner(synchronous=True))
        qtbot.addWidget(window)
        window.open_household(hid)
        field = window.form.fields["dtks_id"]
        assert field.text() == "DT-31-0042" and field.isReadOnly()
        edited = households.load_household(hid)
        edited["address"] = "Jl. Tebet Timur Dalam III No. 7"
        saved_again = households.save_household(edited, final=False, officer=kelurahan.officer)
        assert saved_again["dtks_id"] == "DT-31-0042"
