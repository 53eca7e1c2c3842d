"""Officers, roles and logins: the password unwraps the database key, no hint on failure,
slower after failures, roles enforced in the service layer and through the CLI."""

from __future__ import annotations

import pytest
from conftest import ADMIN, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD

from app.cli.main import main
from app.core.document import dumps, new_household
from app.db import audit, keystore
from app.paths import resolve_paths
from app.services import auth

PASSWORD = OFFICER_PASSWORD
NEW_PASSWORD = "layang-layang-biru-5"


def add(username: str, role: str, by: auth.Officer, password: str = PASSWORD) -> auth.Officer:
    return auth.create_officer(username, username.title(), role, password, by=by, kdf=FAST_KDF)


def test_login_and_the_same_answer_for_every_wrong_login(store, admin):
    auth.log_out()
    assert auth.log_in(store, ADMIN, ADMIN_PASSWORD) == admin
    auth.log_out()
    with pytest.raises(auth.AuthError) as wrong_password:
        auth.log_in(store, ADMIN, "salah-salah")
    with pytest.raises(auth.AuthError) as unknown_user:
        auth.log_in(store, "tidakada", ADMIN_PASSWORD)
    assert str(wrong_password.value) == str(unknown_user.value) == auth.WRONG_LOGIN
    auth.log_in(store, ADMIN, ADMIN_PASSWORD)
    # failed attempts happen before the database can be opened; the next login audits them
    actions = [(e.action, e.detail.get("username")) for e in audit.entries()]
    # an unknown name may be a password typed in the wrong field: only its tag is kept
    assert actions[-3:] == [
        ("login.failed", ADMIN),
        ("login.failed", keystore.login_name(store.db, "tidakada")),
        ("login", None),
    ]
    assert actions[-2][1].startswith("tidak dikenal (#")
    assert all(ADMIN_PASSWORD not in str(e.detail) for e in audit.entries())
    assert keystore.pending_failures(store.db) == []


def test_repeated_failures_wait_longer_and_success_resets(store):
    auth.log_out()
    waited = []
    for _ in range(6):
        with pytest.raises(auth.AuthError):
            auth.log_in(store, ADMIN, "salah-salah", sleep=waited.append)
    assert waited == [1.0, 2.0, 4.0]  # the first three failures answer at once
    auth.log_in(store, ADMIN, ADMIN_PASSWORD, sleep=waited.append)
    assert waited[-1] == 8.0
    auth.log_out()
    waited.clear()
    with pytest.raises(auth.AuthError):
        auth.log_in(store, ADMIN, "salah-salah", sleep=waited.append)
    assert waited == []  # the successful login reset the count


def test_roles_decide_who_manages_officers(store, admin):
    budi = add("budi", "petugas", admin)
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        add("eve", "admin", budi)
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        auth.reset_password(ADMIN, NEW_PASSWORD, by=budi)
    auth.reset_password("budi", NEW_PASSWORD, by=admin, kdf=FAST_KDF)  # forgotten, reset
    auth.log_out()
    with pytest.raises(auth.AuthError):
        auth.log_in(store, "budi", PASSWORD)
    assert auth.log_in(store, "budi", NEW_PASSWORD).role == "petugas"
    assert [o.username for o in auth.list_officers()] == [ADMIN, "budi"]


@pytest.mark.parametrize(
    ("username", "role", "password", "says"),
    [
        ("B", "petugas", PASSWORD, "Nama pengguna"),
        ("budi", "lurah", PASSWORD, "Peran tidak dikenal"),
        ("budi", "petugas", "pendek-12", "minimal 10"),
        ("budi", "petugas", "password123", "sangat umum"),
        ("budi", "petugas", "budi-budi-budi", "nama pengguna"),
        (ADMIN, "petugas", PASSWORD, "sudah dipakai"),
    ],
)
def test_bad_new_accounts_are_refused(admin, username, role, password, says):
    with pytest.raises(auth.AuthError, match=says):
        auth.create_officer(username, "Nama", role, password, by=admin, kdf=FAST_KDF)


def test_a_home_is_set_up_once(store):
    with pytest.raises(auth.AuthError, match="sudah disiapkan"):
        auth.set_up(store, "lain", "Lain", PASSWORD, FAST_KDF)


def test_cli_init_then_roles_that_may_not_act(tmp_path, capsys, monkeypatch):
    home = str(tmp_path / "home")
    monkeypatch.setenv("LOKET_PASSWORD", PASSWORD)
    assert main(["--home", home, "init", "--kelurahan", "31.74.01.1001", "--admin", "siti"]) == 0
    assert "recovery key: " in capsys.readouterr().out
    assert main(["--home", home, "init", "--kelurahan", "31.74.01.1001", "--admin", "x"]) == 1
    monkeypatch.setenv("LOKET_NEW_PASSWORD", NEW_PASSWORD)
    add_budi = ["officer", "add", "budi", "--role", "petugas", "--full-name", "Budi"]
    assert main(["--home", home, "--user", "siti", *add_budi]) == 0
    assert main(["--home", home, "--user", "siti", "backup", "create"]) == 0
    backup = next((tmp_path / "home" / "backups").glob("*.db"))

    monkeypatch.setenv("LOKET_PASSWORD", NEW_PASSWORD)
    eve = ["officer", "add", "eve", "--role", "admin", "--full-name", "Eve"]
    assert main(["--home", home, "--user", "budi", *eve]) == 1
    restore = ["backup", "restore", str(backup), "--yes"]
    assert main(["--home", home, "--user", "budi", *restore]) == 1  # a supervisor action
    assert main(["--home", home, *eve]) == 1  # no --user at all
    err = capsys.readouterr().err
    assert err.count("tidak berwenang") == 2 and "needs a login" in err
    assert "(backup.restore)" in err
    monkeypatch.setenv("LOKET_PASSWORD", "wrong-password")
    assert main(["--home", home, "--user", "siti", "officer", "list"]) == 1
    assert auth.WRONG_LOGIN in capsys.readouterr().err


def test_households_need_a_login_and_reads_are_audited(tmp_path, capsys, monkeypatch):
    home = str(tmp_path / "home")
    monkeypatch.setenv("LOKET_PASSWORD", PASSWORD)
    assert main(["--home", home, "init", "--kelurahan", "31.74.01.1001", "--admin", "siti"]) == 0
    doc = tmp_path / "h.json"
    assert main(["--home", home, "household", "list"]) == 1
    assert "needs a login" in capsys.readouterr().err
    assert main(["--home", home, "--user", "siti", "household", "list"]) == 0
    saved = new_household("31.74.01.1001")
    doc.write_bytes(dumps(saved))
    assert main(["--home", home, "--user", "siti", "household", "add", str(doc)]) == 0
    assert main(["--home", home, "--user", "siti", "household", "show", saved["household_id"]]) == 0
    auth.log_in(resolve_paths(home=home), "siti", PASSWORD)
    actions = [(e.action, e.officer) for e in audit.entries(saved["household_id"])]
    assert actions == [("household.import", "siti"), ("household.view", "siti")]
    auth.log_out()
