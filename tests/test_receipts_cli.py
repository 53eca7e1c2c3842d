"""`receipt` and `privacy-notice` on the command line (in-process: `cli.main`), with exit codes."""

from __future__ import annotations

import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, log_in_again
from helpers.households import household

from app.cli import main as cli
from app.services import auth, households
from app.services import receipts as receipt_service


@pytest.fixture
def home(store, monkeypatch):
    """A set-up home with one household saved as final and one draft; the store closed, as a
    CLI run finds it."""
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    final = households.save_household(household(), final=True, officer=ADMIN_OFFICER)
    draft = households.save_household(household(), final=False, officer=ADMIN_OFFICER)
    auth.log_out()
    return store, final, draft


def app(paths, *args: str, user: str | None = ADMIN) -> int:
    login = ("--user", user) if user else ()
    return cli.main(["--home", str(paths.home), *login, *args])


def test_receipt_writes_the_original_then_a_copy(home, tmp_path, capsys):
    paths, final, _draft = home
    out = tmp_path / "tanda-terima.pdf"
    assert app(paths, "receipt", final["household_id"], "--out", str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "original, a5" in capsys.readouterr().out

    again = tmp_path / "salinan.pdf"
    assert app(paths, "receipt", final["household_id"], "--out", str(again), "--paper", "a4") == 0
    assert "copy 1 (SALINAN), a4" in capsys.readouterr().out

    log_in_again(paths)
    history = receipt_service.receipt_history(final["household_id"])
    assert [(r.copy, r.paper, r.printed_by) for r in history] == [
        (0, "a5", ADMIN),
        (1, "a4", ADMIN),
    ]


def test_receipt_errors_have_exit_codes_and_write_nothing(home, tmp_path, capsys):
    paths, final, draft = home
    out = tmp_path / "r.pdf"
    assert app(paths, "receipt", "no-such-id", "--out", str(out)) == 1
    assert "tidak ditemukan" in capsys.readouterr().err
    assert app(paths, "receipt", draft["household_id"], "--out", str(out)) == 1
    assert "disimpan final" in capsys.readouterr().err
    assert app(paths, "receipt", final["household_id"], "--out", str(out), user=None) == 1
    assert "--user" in capsys.readouterr().err
    missing = tmp_path / "no-folder" / "r.pdf"
    assert app(paths, "receipt", final["household_id"], "--out", str(missing)) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        app(paths, "receipt", final["household_id"], "--out", str(out), "--paper", "letter")
    assert exited.value.code == 2
    assert not out.exists()

    log_in_again(paths)
    assert receipt_service.receipt_history(final["household_id"]) == []


def test_privacy_notice_command(home, tmp_path, capsys):
    paths, _final, _draft = home
    out = tmp_path / "privasi.pdf"
    assert app(paths, "privacy-notice", "--out", str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert app(paths, "privacy-notice", "--out", str(tmp_path / "x" / "y.pdf")) == 2
