"""`export ...` on the command line (in-process: `cli.main`), the issue's contract: `export
profiles`, `export --profile NAME --format xlsx|csv --out FILE [--status ...] [--rw N]
[--delimiter ';']`, a folder as --out gets the default name, with the service's role and
one-line refusals that name no one."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ADMIN_OFFICER, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD
from python_calamine import CalamineWorkbook
from test_exports import CHILD_NIK, HEAD_NIK, decide_and_lock, known_family, other_family

from app.cli import main as cli
from app.services import auth


@pytest.fixture
def home(store, monkeypatch):
    """The known family decided layak in a locked musyawarah, another registered, a petugas;
    the store closed, as a CLI run finds it."""
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    known = known_family()
    other_family("Budi Santoso", rw=2)
    decide_and_lock((known, "eligible"))
    auth.create_officer("budi", "Budi", "petugas", OFFICER_PASSWORD, ADMIN_OFFICER, FAST_KDF)
    auth.log_out()
    return store


def app(paths, *args: str, user: str = "admin") -> int:
    return cli.main(["--home", str(paths.home), "--user", user, *args])


def test_export_profiles_lists_them(home, capsys):
    assert cli.main(["--home", str(home.home), "export", "profiles"]) == 0
    out = capsys.readouterr().out
    assert "siks-ng-usulan-v1  v1  one row per member" in out
    assert "daftar-keluarga-v1  v1  one row per household" in out


def test_the_daftar_usulan_as_xlsx_and_a_filtered_list_as_csv(home, tmp_path, capsys):
    target = tmp_path / "usulan.xlsx"
    assert app(home, "export", "--profile", "siks-ng-usulan-v1", "--format", "xlsx",
               "--out", str(target)) == 0  # fmt: skip
    assert "2 rows, 1 households" in capsys.readouterr().out
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_name("USULAN").to_python()
    assert [r[8] for r in rows] == ["NIK", HEAD_NIK, CHILD_NIK]

    assert app(home, "export", "--profile", "daftar-keluarga-v1", "--format", "csv", "--out",
               str(tmp_path), "--status", "registered", "eligible", "--rw", "2",
               "--delimiter", ";") == 0  # fmt: skip
    named = tmp_path / f"tebet-timur_daftar-keluarga-v1_{dt.date.today().isoformat()}.csv"
    text = named.read_bytes().decode("utf-8-sig")
    assert text.startswith("NOMOR_REGISTRASI;RW;RT;") and "Budi Santoso" in text
    assert text.count("\r\n") == 2  # header and the one household of RW 2


def test_refusals_are_one_line_and_name_no_one(home, tmp_path, capsys, monkeypatch):
    target = tmp_path / "a.xlsx"
    assert app(home, "export", "--profile", "nope", "--format", "xlsx", "--out", str(target)) == 2
    assert "available: daftar-keluarga-v1, pemadanan-bapenda-v1" in capsys.readouterr().err
    assert app(home, "export", "--profile", "siks-ng-usulan-v1", "--format", "xlsx") == 2
    assert "--out" in capsys.readouterr().err
    assert app(home, "export", "--profile", "siks-ng-usulan-v1", "--format", "csv", "--out",
               str(target), "--status", "layak") == 2  # fmt: skip
    assert "unknown status" in capsys.readouterr().err
    monkeypatch.setenv("LOKET_PASSWORD", OFFICER_PASSWORD)
    assert app(home, "export", "--profile", "siks-ng-usulan-v1", "--format", "xlsx", "--out",
               str(target), user="budi") == 1  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "export.personal" in err and "Nur" not in err
    assert not target.exists()
    with pytest.raises(SystemExit) as bad:
        app(home, "export", "--profile", "siks-ng-usulan-v1", "--format", "ods", "--out", "x")
    assert bad.value.code == 2
