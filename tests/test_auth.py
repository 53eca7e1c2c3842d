"""Officers, roles and logins: argon2id hashes, no hint on failure, slower after failures."""

from __future__ import annotations

import pytest

from app import auth, services
from app.cli import main
from app.db import audit
from app.db.connection import close_db
from app.document import dumps
from app.paths import resolve_paths

PASSWORD = "rahasia-123"


@pytest.fixture
def admin(store):
    return auth.create_officer("siti", "Siti Aminah", "admin", PASSWORD)


def test_the_first_account_must_be_an_admin(store):
    with pytest.raises(auth.AuthError, match="Akun pertama harus admin"):
        auth.create_officer("budi", "Budi", "petugas", PASSWORD)
    assert not auth.has_officers()


def test_login_and_the_same_answer_for_every_wrong_login(admin):
    assert auth.authenticate("siti", PASSWORD) == admin
    with pytest.raises(auth.AuthError) as wrong_password:
        auth.authenticate("siti", "salah-salah")
    with pytest.raises(auth.AuthError) as unknown_user:
        auth.authenticate("tidakada", PASSWORD)
    assert str(wrong_password.value) == str(unknown_user.value) == auth.WRONG_LOGIN
    actions = [e.action for e in audit.entries()]
    assert actions == ["officer.create", "login", "login.failed", "login.failed"]
    assert all(PASSWORD not in str(e.detail) for e in audit.entries())


def test_repeated_failures_wait_longer_and_success_resets(admin):
    waited = []
    for _ in range(6):
        with pytest.raises(auth.AuthError):
            auth.authenticate("siti", "salah-salah", sleep=waited.append)
    assert waited == [1.0, 2.0, 4.0]  # the first three failures answer at once
    auth.authenticate("siti", PASSWORD, sleep=waited.append)
    assert waited[-1] == 8.0
    waited.clear()
    with pytest.raises(auth.AuthError):
        auth.authenticate("siti", "salah-salah", sleep=waited.append)
    assert waited == []  # the successful login reset the count


def test_roles_decide_who_manages_officers(admin):
    budi = auth.create_officer("budi", "Budi Santoso", "petugas", PASSWORD, by=admin)
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        auth.create_officer("eve", "Eve", "admin", PASSWORD, by=budi)
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        auth.reset_password("siti", "baru-12345", by=budi)
    auth.reset_password("budi", "baru-12345", by=admin)  # a forgotten password, reset
    assert auth.authenticate("budi", "baru-12345").role == "petugas"
    assert [o.username for o in auth.list_officers()] == ["budi", "siti"]


@pytest.mark.parametrize(
    ("username", "role", "password", "says"),
    [
        ("B", "petugas", PASSWORD, "Nama pengguna"),
        ("budi", "lurah", PASSWORD, "Peran tidak dikenal"),
        ("budi", "petugas", "pendek", "minimal 8"),
        ("siti", "petugas", PASSWORD, "sudah dipakai"),
    ],
)
def test_bad_new_accounts_are_refused(admin, username, role, password, says):
    with pytest.raises(auth.AuthError, match=says):
        auth.create_officer(username, "Nama", role, password, by=admin)


def test_the_password_is_not_in_the_database_file(admin, store):
    files = [store.db, store.db.with_name(store.db.name + "-wal")]
    data = b"".join(f.read_bytes() for f in files if f.exists())  # while open: WAL included
    assert b"$argon2id$" in data and PASSWORD.encode() not in data
    close_db()
    assert PASSWORD.encode() not in store.db.read_bytes()


def test_cli_init_then_a_role_that_may_not_add_officers(tmp_path, capsys, monkeypatch):
    home = str(tmp_path / "home")
    monkeypatch.setenv("LOKET_PASSWORD", PASSWORD)
    assert main(["--home", home, "init", "--kelurahan", "31.74.01.1001", "--admin", "siti"]) == 0
    assert main(["--home", home, "init", "--kelurahan", "31.74.01.1001", "--admin", "x"]) == 1
    monkeypatch.setenv("LOKET_NEW_PASSWORD", "petugas-123")
    add = ["officer", "add", "budi", "--role", "petugas", "--full-name", "Budi"]
    assert main(["--home", home, "--user", "siti", *add]) == 0
    monkeypatch.setenv("LOKET_PASSWORD", "petugas-123")
    eve = ["officer", "add", "eve", "--role", "admin", "--full-name", "Eve"]
    assert main(["--home", home, "--user", "budi", *eve]) == 1
    assert main(["--home", home, *eve]) == 1  # no --user at all
    err = capsys.readouterr().err
    assert "tidak berwenang" in err and "needs a login" in err
    monkeypatch.setenv("LOKET_PASSWORD", "wrong-password")
    assert main(["--home", home, "--user", "siti", "officer", "list"]) == 1
    assert auth.WRONG_LOGIN in capsys.readouterr().err


def test_a_home_with_officers_needs_a_login_for_households(tmp_path, capsys, monkeypatch):
    home = str(tmp_path / "home")
    monkeypatch.setenv("LOKET_PASSWORD", PASSWORD)
    assert main(["--home", home, "init", "--kelurahan", "31.74.01.1001", "--admin", "siti"]) == 0
    doc = tmp_path / "h.json"
    assert main(["--home", home, "household", "list"]) == 1
    assert "needs a login" in capsys.readouterr().err
    assert main(["--home", home, "--user", "siti", "household", "list"]) == 0
    services.open_store(resolve_paths(home=home))
    saved = services.new_household()
    close_db()
    doc.write_bytes(dumps(saved))
    assert main(["--home", home, "--user", "siti", "household", "add", str(doc)]) == 0
    assert main(["--home", home, "--user", "siti", "household", "show", saved["household_id"]]) == 0
    services.open_store(resolve_paths(home=home))
    actions = [(e.action, e.officer) for e in audit.entries(saved["household_id"])]
    assert actions == [("household.import", "siti"), ("household.view", "siti")]
    close_db()
