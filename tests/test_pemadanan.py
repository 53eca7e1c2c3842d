"""Pemadanan result files (issue 19): column profiles, a bounded reader for CSV (`;` or `,`)
and XLSX, a preview that changes nothing, and an import that records the results the way
`household match` does, so the rules exclude on a car or an NJOP above Rp 1 M."""

from __future__ import annotations

import json

import pytest
import xlsxwriter
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, officer_named
from helpers.households import head, household

from app.cli.main import main
from app.core import pemadanan_profiles
from app.core.export_profiles import ProfileError
from app.db import audit
from app.services import auth, households, installation, pemadanan, pemadanan_files
from app.services.actions import AuthError

HEAD_NIK = "3174016705800004"
OTHER_NIK = "3174015708850003"
UNKNOWN_NIK = "3174010101900009"


def write_csv(path, lines, bom=False):
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def saved_household(dinsos=True):
    """A registered household in Tebet Timur; then the installation becomes a Dinsos one."""
    doc = households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    if dinsos:
        installation.set_dinsos(None, ADMIN_OFFICER)
    return doc["household_id"]


def test_the_built_in_profiles_load_and_a_broken_one_is_refused_in_one_line():
    assert pemadanan_files.profile_names() == ["bapenda", "dukcapil"]
    dukcapil = pemadanan_files.load_profile("dukcapil")
    assert dukcapil.columns == {"nik": "NIK", "found": "STATUS_DUKCAPIL"}
    assert pemadanan_files.load_profile("bapenda").source == "bapenda"
    with pytest.raises(ProfileError, match="columns.nik wajib"):
        pemadanan_profiles.parse("x", 'name = "x"\nsource = "bapenda"\n[columns]\ncar = "M"\n')
    with pytest.raises(ProfileError, match="values.car_yes"):
        pemadanan_profiles.parse(
            "x", 'name = "x"\nsource = "bapenda"\n[columns]\nnik = "N"\ncar = "M"\n'
        )
    with pytest.raises(pemadanan_files.FileRefused, match="tidak dikenal"):
        pemadanan_files.load_profile("sikasep")


def test_a_semicolon_csv_with_bom_extra_columns_and_bad_rows(tmp_path):
    path = write_csv(
        tmp_path / "dukcapil.csv",
        [
            "NO;NIK;NAMA;status_dukcapil",
            f"1;{HEAD_NIK};Nur;Ditemukan",
            f"2;{OTHER_NIK};X;TIDAK  DITEMUKAN",
            "3;3.17401E+15;Y;DITEMUKAN",
            "4;317401;Z;DITEMUKAN",
            f"5;{UNKNOWN_NIK};W;MUNGKIN",
            "",
        ],
        bom=True,
    )
    read = pemadanan_files.read_file(path, pemadanan_files.load_profile("dukcapil"))
    assert [(n, r.nik, r.found) for n, r in read.results] == [
        (2, HEAD_NIK, True),
        (3, OTHER_NIK, False),
    ]
    assert [e.row for e in read.errors] == [4, 5, 6]
    assert "Excel" in read.errors[0].reason and "16 digit" in read.errors[1].reason
    assert "STATUS_DUKCAPIL" in read.errors[2].reason
    assert not any(UNKNOWN_NIK in e.describe() or "317401" in e.describe() for e in read.errors)


def test_a_comma_csv_for_bapenda_and_a_missing_column(tmp_path):
    profile = pemadanan_files.load_profile("bapenda")
    path = write_csv(
        tmp_path / "bapenda.csv",
        ["NIK,MOBIL,NJOP,ALAMAT", f"{HEAD_NIK},ya,1.200.000.000,Jl. X", f"{OTHER_NIK},TIDAK,,"],
    )
    read = pemadanan_files.read_file(path, profile)
    assert [(r.car, r.njop_idr) for _n, r in read.results] == [(True, 1_200_000_000), (False, None)]
    bad = write_csv(tmp_path / "bad.csv", [f"{HEAD_NIK},ya,12,5", "NIK,MOBIL"])
    with pytest.raises(pemadanan_files.FileRefused, match="kolom tidak ada"):
        pemadanan_files.read_file(bad, profile)
    njop = write_csv(tmp_path / "njop.csv", ["NIK,MOBIL,NJOP", f"{HEAD_NIK},YA,1.20"])
    [error] = pemadanan_files.read_file(njop, profile).errors
    assert error.row == 2


def test_an_xlsx_first_sheet_refuses_a_nik_excel_turned_into_a_number(tmp_path):
    path = tmp_path / "bapenda.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Hasil")
    for r, row in enumerate(
        [
            ["NIK", "MOBIL", "NJOP", "CATATAN"],
            [HEAD_NIK, "YA", 950_000_000, "x"],
            [3174015708850003.0, "TIDAK", "800.000.000", ""],
            ["3.17401E+15", "YA", "", ""],
        ]
    ):
        for c, value in enumerate(row):
            sheet.write(r, c, value) if not isinstance(value, str) else sheet.write_string(
                r, c, value
            )
    book.add_worksheet("Lain").write_string(0, 0, "ignored")
    book.close()
    read = pemadanan_files.read_file(path, pemadanan_files.load_profile("bapenda"))
    assert [(n, r.car, r.njop_idr) for n, r in read.results] == [(2, True, 950_000_000)]
    assert [e.row for e in read.errors] == [3, 4]
    assert "angka" in read.errors[0].reason and "Excel" in read.errors[1].reason


def test_an_oversized_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pemadanan_files, "MAX_BYTES", 100)
    path = write_csv(tmp_path / "big.csv", ["NIK;STATUS_DUKCAPIL"] * 20)
    with pytest.raises(pemadanan_files.FileRefused, match="terlalu besar"):
        pemadanan_files.read_file(path, pemadanan_files.load_profile("dukcapil"))
    monkeypatch.setattr(pemadanan_files, "MAX_BYTES", 10_000)
    monkeypatch.setattr(pemadanan_files, "MAX_ROWS", 3)
    rows = ["NIK;STATUS_DUKCAPIL"] + [f"{HEAD_NIK};DITEMUKAN"] * 5
    with pytest.raises(pemadanan_files.FileRefused, match=r"terlalu banyak baris \(maks. 3\)"):
        pemadanan_files.read_file(
            write_csv(tmp_path / "many.csv", rows), pemadanan_files.load_profile("dukcapil")
        )


def test_a_quote_left_open_in_a_large_csv_is_refused_in_one_line(tmp_path):
    """The rest of the file becomes one cell, past the csv module's limit: refused, not a crash,
    and the refusal quotes nothing of the file."""
    rows = ["NIK;MOBIL;NJOP", f'"{HEAD_NIK};YA;1'] + [f"{OTHER_NIK};TIDAK;"] * 8000
    path = write_csv(tmp_path / "open-quote.csv", rows)
    with pytest.raises(pemadanan_files.FileRefused) as refused:
        pemadanan_files.read_file(path, pemadanan_files.load_profile("bapenda"))
    message = str(refused.value)
    assert "tanda kutip" in message and "baris 2:" in message
    assert "\n" not in message and HEAD_NIK not in message and OTHER_NIK not in message


def test_a_row_of_a_million_cells_is_refused_before_it_is_split(tmp_path):
    """A row is a list of its cells: 256 MB of `;` would be gigabytes of memory. One row on one
    line, or spread over lines by quoted line breaks, is refused past MAX_ROW_CHARS."""
    profile = pemadanan_files.load_profile("bapenda")
    wide = tmp_path / "lebar,nov.csv"  # a comma in its name stays one
    wide.write_text(f"NIK;MOBIL;NJOP\n{HEAD_NIK};YA;1\n{HEAD_NIK};YA" + ";" * 1_000_000 + "\n")
    with pytest.raises(pemadanan_files.FileRefused) as refused:
        pemadanan_files.read_file(wide, profile)
    assert str(refused.value) == (
        "lebar,nov.csv: baris 3 terlalu panjang (lebih dari 1.000.000 karakter); berkas ditolak"
    )
    spread = tmp_path / "baris-baru.csv"
    spread.write_text("NIK;MOBIL;NJOP" + ';"\n"' * 300_000 + "\n")
    with pytest.raises(pemadanan_files.FileRefused, match="baris 1 terlalu panjang"):
        pemadanan_files.read_file(spread, profile)
    fits = tmp_path / "pas.csv"  # the same cells in rows of their own are read
    fits.write_text("NIK;MOBIL;NJOP\n" + f"{HEAD_NIK};YA;1\n" * 50_000)
    assert len(pemadanan_files.read_file(fits, profile).results) == 50_000


def test_dry_run_changes_nothing_and_apply_excludes_on_a_car(store, admin, tmp_path):
    hid = saved_household()
    path = write_csv(
        tmp_path / "bapenda.csv",
        ["NIK;MOBIL;NJOP", f"{HEAD_NIK};YA;1.500.000.000", f"{UNKNOWN_NIK};TIDAK;", "x;YA;"],
    )
    before = households.load_household(hid)
    entries = len(audit.entries())
    preview = pemadanan.preview(path, "bapenda", admin)
    assert preview.counts == {
        "rows": 2, "matched": 1, "nik_not_found": 0, "car": 1, "njop_over_limit": 1,
        "other_kelurahan": 0, "unmatched": 1, "refused": 1, "households": 1,
    }  # fmt: skip
    assert households.load_household(hid) == before and len(audit.entries()) == entries

    pemadanan.apply(path, "bapenda", admin)
    after = households.load_household(hid)
    assert after["status"] == "matched"
    assert after["matching"]["car_per_bapenda"] is True
    assert after["exclusions"] == ["car", "njop_over_1b"]
    [entry] = [e for e in audit.entries() if e.action == "pemadanan.import"]
    text = json.dumps(entry.detail) if not isinstance(entry.detail, str) else entry.detail
    assert '"matched": 1' in text and HEAD_NIK not in text and "Nur" not in text

    # a later Dukcapil file keeps Bapenda's car and adds the NIK it did not find
    dukcapil = write_csv(tmp_path / "d.csv", ["NIK,STATUS_DUKCAPIL", f"{HEAD_NIK},tidak ditemukan"])
    pemadanan.apply(dukcapil, "dukcapil", admin)
    after = households.load_household(hid)
    assert after["matching"]["car_per_bapenda"] is True
    assert after["matching"]["nik_not_found"] == [HEAD_NIK]


def test_a_petugas_is_refused_and_nothing_changes(store, admin, tmp_path):
    hid = saved_household()
    path = write_csv(tmp_path / "b.csv", ["NIK;MOBIL;NJOP", f"{HEAD_NIK};YA;"])
    before = households.load_household(hid)
    for role in ("petugas", "pendamping"):
        with pytest.raises(AuthError, match="pemadanan.import"):
            pemadanan.apply(path, "bapenda", officer_named("budi", role))
        with pytest.raises(AuthError):
            pemadanan.preview(path, "bapenda", officer_named("budi", role))
    assert households.load_household(hid) == before


def test_a_kelurahan_installation_does_not_import_pemadanan_results(store, admin, tmp_path):
    hid = saved_household(dinsos=False)
    path = write_csv(tmp_path / "b.csv", ["NIK;MOBIL;NJOP", f"{HEAD_NIK};YA;"])
    before = households.load_household(hid)
    with pytest.raises(AuthError, match="Dinas Sosial"):
        pemadanan.apply(path, "bapenda", admin)
    assert households.load_household(hid) == before


def test_the_cli_previews_then_applies(store, admin, tmp_path, capsys, monkeypatch):
    hid = saved_household()
    auth.log_out()
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    path = write_csv(tmp_path / "b.csv", ["NIK,MOBIL,NJOP", f"{HEAD_NIK},YA,", "3.17401E+15,YA,"])
    args = ["--home", str(store.home), "--user", ADMIN, "pemadanan", "import", str(path)]
    assert main([*args, "--profile", "bapenda", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing changed" in out and "baris 3: NIK rusak oleh Excel" in out
    assert main([*args, "--profile", "nope"]) == 2
    assert "tidak dikenal" in capsys.readouterr().err
    request = ["--home", str(store.home), "--user", ADMIN, "pemadanan", "request"]
    assert main([*request, "--source", "bapenda", "--out", str(tmp_path / "r.xlsx")]) == 0
    assert "1 rows, 1 households (pemadanan-bapenda-v1, xlsx)" in capsys.readouterr().out
    assert main([*args, "--profile", "bapenda"]) == 0
    assert "1 households updated" in capsys.readouterr().out
    auth.log_in(store, ADMIN, ADMIN_PASSWORD)
    assert households.load_household(hid)["exclusions"] == ["car"]


def test_a_request_file_lists_the_members_of_registered_households(store, admin, tmp_path):
    hid = saved_household()
    out = tmp_path / "permintaan.csv"
    result = pemadanan.request("dukcapil", "csv", out, admin)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "NIK,NO_KK,NAMA,TANGGAL_LAHIR"
    assert lines[1] == f"{HEAD_NIK},3174012304150007,Nur Hasanah,27-05-1980"
    assert (result.rows, result.households) == (1, 1)
    assert any(e.action == "export.personal" for e in audit.entries())
    pemadanan.apply(write_csv(tmp_path / "b.csv", ["NIK;MOBIL;NJOP", f"{HEAD_NIK};TIDAK;"]),
                    "bapenda", admin)  # fmt: skip
    assert households.load_household(hid)["status"] == "matched"
    again = pemadanan.request("bapenda", "xlsx", tmp_path / "lagi.xlsx", admin)
    assert again.rows == 0  # matched: no longer asked for
    with pytest.raises(pemadanan_files.FileRefused, match="tidak dikenal"):
        pemadanan.request("bpjs", "csv", tmp_path / "x.csv", admin)
    with pytest.raises(AuthError):
        pemadanan.request("dukcapil", "csv", tmp_path / "p.csv", officer_named("budi", "petugas"))
    assert not (tmp_path / "p.csv").exists()
