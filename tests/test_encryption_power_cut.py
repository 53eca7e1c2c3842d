"""Encrypting a plain database of an earlier version, cut at every step (issue 4; found in
issue 20's session 15): the process is killed with SIGKILL at each step of `encrypt_home`, and
the next start finds either the plain database as it was (its admin encrypts it again) or the
encrypted one with its key file in place, never a database no key opens; no plain personal data
stays on disk once it is done, and nothing of the interrupted run is left beside."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADMIN, ADMIN_PASSWORD, FAST_KDF
from test_encryption import files_of, make_plain_v4_home

from app.db import audit, encryption
from app.db.connection import close_db, is_plain_sqlite
from app.services import auth, households, session

ROOT = Path(__file__).resolve().parent.parent
NIK, NAME = b"3174015708850003", b"Dewi Lestari"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def cut_at(paths, step: str) -> None:
    """Run the encryption in a child process killed at `step` (tests/helpers/encrypting_child)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.helpers.encrypting_child", str(paths.home), step],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr  # killed where asked, not failed before


def leftovers(paths) -> list[str]:
    return sorted(
        p.name
        for p in files_of(paths)
        if encryption.STAGED in p.name or p.name.endswith(encryption.ASIDE)
    )


@pytest.mark.parametrize("step", ["key-file", "swap", "replace"])
def test_a_cut_before_the_database_is_replaced_leaves_it_plain_and_whole(paths, step):
    household_id = make_plain_v4_home(paths)
    cut_at(paths, step)

    assert not auth.is_set_up(paths)  # settled: the key file of the copy is forgotten
    assert auth.needs_encryption(paths) and is_plain_sqlite(paths.db)
    assert leftovers(paths) == []
    with sqlite3.connect(paths.db) as plain:  # untouched: not zeroed, not half replaced
        assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        name = plain.execute("SELECT name FROM member WHERE household_id = ?", (household_id,))
        assert name.fetchone()[0] == NAME.decode()
    plain.close()

    auth.encrypt_legacy(paths, "siti", ADMIN_PASSWORD, FAST_KDF)  # the admin tries again
    assert_encrypted_and_readable(paths, household_id)


@pytest.mark.parametrize("step", ["wipe", "adopt", "copies"])
def test_a_cut_after_the_database_is_replaced_is_finished_at_the_next_start(paths, step):
    household_id = make_plain_v4_home(paths)
    cut_at(paths, step)

    assert not is_plain_sqlite(paths.db)
    assert auth.is_set_up(paths)  # the key file beside the copy's name was put in place
    assert not auth.needs_encryption(paths)
    assert leftovers(paths) == []  # the plain bytes under the second name were zeroed
    officer = auth.log_in(paths, "siti", ADMIN_PASSWORD)  # and encrypts the plain copies left
    assert auth.recovery_key_lost(paths, officer)  # never shown: the admin is told at login
    assert_encrypted_and_readable(paths, household_id)


def assert_encrypted_and_readable(paths, household_id: str, user: str = "siti") -> None:
    if not session.is_open():
        auth.log_in(paths, user, ADMIN_PASSWORD)
    assert households.load_household(household_id)["members"][0]["name"] == NAME.decode()
    auth.log_out()
    close_db()
    stored = [p for p in files_of(paths) if p.suffix in (".db", ".bak")]
    assert len(stored) >= 3 and not any(is_plain_sqlite(p) for p in stored)
    for path in files_of(paths):
        data = path.read_bytes()
        assert NIK not in data and NAME not in data, path.name
    assert leftovers(paths) == []


def test_a_damaged_plain_copy_left_beside_never_keeps_an_officer_out(paths):
    """A plain backup that cannot be encrypted (damaged) stays as it is; the login goes on and
    the audit log names the file for support."""
    household_id = make_plain_v4_home(paths)
    auth.encrypt_legacy(paths, "siti", ADMIN_PASSWORD, FAST_KDF)
    auth.log_out()
    close_db()
    damaged = paths.backups / "loket-20251231-080000-daily.db"
    damaged.write_bytes(b"SQLite format 3\0" + os.urandom(4096))

    auth.log_in(paths, "siti", ADMIN_PASSWORD)
    assert households.load_household(household_id)["household_id"] == household_id
    failed = [e.detail for e in audit.entries() if e.action == "database.encrypt.failed"]
    assert failed == [{"files": [damaged.name]}]
    auth.log_out()
    assert damaged.exists() and leftovers(paths) == []


@pytest.mark.parametrize("step", ["setup-open", "setup-admin"])
@pytest.mark.parametrize("home", ["new", "plain without officers"])
def test_a_set_up_cut_after_its_key_file_is_finished_at_the_admins_login(paths, step, home):
    """The key file (the admin's password opens the database key) is on disk before the admin's
    row: the admin's login writes the row and the first signed officer table then."""
    household_id = None
    if home != "new":
        household_id = make_plain_v4_home(paths)
        with sqlite3.connect(paths.db) as plain:
            plain.execute("DELETE FROM officer")
        plain.close()
    cut_at(paths, step)

    assert auth.is_set_up(paths) and not is_plain_sqlite(paths.db)
    with pytest.raises(auth.AuthError):
        auth.set_up(paths, ADMIN, "Admin", ADMIN_PASSWORD, FAST_KDF)  # refused: set up already
    with pytest.raises(auth.AuthError):
        auth.log_in(paths, ADMIN, "bukan-sandinya-9")
    officer = auth.log_in(paths, ADMIN, ADMIN_PASSWORD)
    assert officer.role == "admin" and auth.recovery_key_lost(paths, officer)
    setups = [e.detail for e in audit.entries() if e.action == "setup"]
    assert len(setups) == 1 and setups[0]["resumed"] is True
    if household_id is not None:
        assert_encrypted_and_readable(paths, household_id, ADMIN)
    auth.log_out()
    auth.log_in(paths, ADMIN, ADMIN_PASSWORD)  # and from then on as any set-up home
    assert len([e for e in audit.entries() if e.action == "setup"]) == 1
    auth.log_out()


def test_a_second_name_that_is_no_plain_database_is_removed_not_zeroed(paths, tmp_path):
    """Settling zeroes only what `swap` names so: a plain SQLite file. A hard link put there to
    another file (of another program) loses its name only."""
    paths.ensure()
    other = tmp_path / "notes.txt"
    other.write_bytes(b"keep me")
    os.link(other, paths.home / f"loket.db{encryption.ASIDE}")
    assert not auth.is_set_up(paths)  # settles
    assert other.read_bytes() == b"keep me" and leftovers(paths) == []


def test_a_recovery_key_never_shown_is_said_at_the_admins_login_until_a_rekey(
    qtbot, paths, monkeypatch, capsys
):
    """A cut after the key file was in place and before the recovery key was shown: the key
    has no recovery key on paper. The admin's login says so (window and CLI), a petugas' does
    not, and a re-key (which shows a new one) ends it."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    from app.cli.main import main
    from app.ui import application
    from app.ui.login.dialogs import LoginDialog

    make_plain_v4_home(paths)
    cut_at(paths, "copies")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))

    def typed_login(dialog: LoginDialog) -> QDialog.DialogCode:  # the officer types, Enter
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.username, "siti")
        qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
        dialog._submit()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LoginDialog, "exec", typed_login)
    officer = application.log_in(paths)
    assert officer is not None and officer.username == "siti"
    assert auth.recovery_key_lost(paths, officer)
    assert len(shown) == 1 and "Ganti kunci basis data" in shown[0]
    budi = auth.Officer("budi", "Budi", "petugas")
    assert not auth.recovery_key_lost(paths, budi)  # not a petugas' to act on
    auth.log_out()

    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    assert main(["--home", str(paths.home), "--user", "siti", "household", "list"]) == 0
    assert "no recovery key on paper" in capsys.readouterr().err

    officer = auth.log_in(paths, "siti", ADMIN_PASSWORD)
    rekeyed = auth.change_database_key(officer)
    assert rekeyed.recovery and not auth.recovery_key_lost(paths, officer)
    auth.log_out()
    shown.clear()
    assert application.log_in(paths) is not None and shown == []
    auth.log_out()


@pytest.mark.parametrize("home", ["new", "plain with officers"])
def test_a_set_up_or_encryption_that_ends_leaves_no_recovery_key_missing(paths, home):
    if home == "new":
        officer, recovery = auth.set_up(paths, ADMIN, "Admin", ADMIN_PASSWORD, FAST_KDF)
    else:
        make_plain_v4_home(paths)
        officer, recovery = auth.encrypt_legacy(paths, "siti", ADMIN_PASSWORD, FAST_KDF)
    assert recovery and not auth.recovery_key_lost(paths, officer)
    assert leftovers(paths) == [] and not any(
        ".recovery-pending" in p.name for p in files_of(paths)
    )
    auth.log_out()


def test_settling_leaves_files_not_named_after_the_database_alone(paths):
    """A database put with `--db` in a folder of other files: only the files named after it
    are the encryption's."""
    paths.ensure()
    other = paths.db.parent / f"arsip.db{encryption.ASIDE}"
    with sqlite3.connect(other) as plain:  # a plain SQLite file of someone else's
        plain.execute("CREATE TABLE t (x)")
    plain.close()
    kept = other.read_bytes()
    assert not auth.is_set_up(paths)  # settles
    assert other.read_bytes() == kept
