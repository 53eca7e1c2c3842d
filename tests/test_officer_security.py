"""Officers against an insider (issue 15): each attack is performed through the service or the
CLI and must be refused with the data unchanged.

- weak and context-specific passwords are refused everywhere a password is set;
- a password typed into the user-name field is never stored as typed;
- a closed account's old key file copy and old password open nothing live (the database is
  re-keyed), while the remaining officers keep logging in without a password reset;
- a power cut in the middle of a re-key locks nobody out.
"""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import pytest
from conftest import (
    ADMIN,
    ADMIN_OFFICER,
    ADMIN_PASSWORD,
    FAST_KDF,
    OFFICER_PASSWORD,
    log_in_again,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.cli.main import main
from app.db import audit, keystore, open_database
from app.db.connection import (
    WrongKeyError,
    close_db,
    connect_file,
    current_key,
    rekey,
    sqlcipher_key,
)
from app.services import auth, households

WEAK = [
    ("pendek-1", "minimal 10"),
    ("password123", "sangat umum"),
    ("qwertyuiop", "sangat umum"),
    ("budi-santoso-2026", "memuat nama"),  # the officer's own name
    ("Tebet-Timur-77", "memuat nama"),  # the kelurahan's name
    ("loket-dtks-2026", "memuat nama"),  # the app's
    ("aaaaaaaaaaaaaaaa", "pengulangan"),
]


def key_file(paths) -> Path:
    return keystore.key_file_path(paths.db)


def household_ids() -> list[str]:
    return sorted(row.id for row in households.household_page(None, 500))


def save_one() -> str:
    return households.save_household(
        households.new_household(), final=False, officer=ADMIN_OFFICER
    )["household_id"]


def every_file(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if p.is_file()]


@pytest.fixture
def budi(admin):
    return auth.create_officer("budi", "Budi Santoso", "petugas", OFFICER_PASSWORD, admin, FAST_KDF)


# --- 1. passwords --------------------------------------------------------------------------


@pytest.mark.parametrize(("password", "says"), WEAK)
def test_weak_passwords_are_refused_everywhere_and_nothing_changes(
    store, admin, budi, password, says
):
    before_keys = key_file(store).read_bytes()
    before_audit = audit.verify()
    attempts = [
        lambda: auth.create_officer("budi2", "Budi Santoso", "petugas", password, admin, FAST_KDF),
        lambda: auth.reset_password("budi", password, admin, FAST_KDF),
    ]
    for attempt in attempts:
        with pytest.raises(auth.AuthError, match=says) as refused:
            attempt()
        assert password not in str(refused.value) and password not in refused.value.detail
    assert key_file(store).read_bytes() == before_keys
    assert audit.verify() == before_audit
    assert auth.log_in(store, "budi", OFFICER_PASSWORD).username == "budi"


def test_weak_passwords_are_refused_at_reactivation_and_recovery(tmp_path, paths, monkeypatch):
    admin, _recovery = auth.set_up(paths, ADMIN, "Admin Kelurahan", ADMIN_PASSWORD, FAST_KDF)
    auth.create_officer("budi", "Budi Santoso", "petugas", OFFICER_PASSWORD, admin, FAST_KDF)
    rekeyed = auth.deactivate_officer("budi", admin)
    with pytest.raises(auth.AuthError, match="memuat nama"):
        auth.reactivate_officer("budi", "budi-santoso-9", admin, FAST_KDF)
    assert not dict((o.username, a) for o, a in auth.officer_accounts())["budi"]
    auth.log_out()
    # recovery: the re-key at deactivation gave a new recovery key
    recovery = rekeyed.recovery
    before = key_file(paths).read_bytes()
    monkeypatch.setenv("LOKET_RECOVERY_KEY", recovery)
    monkeypatch.setenv("LOKET_NEW_PASSWORD", "admin-kelurahan-1")
    assert main(["--home", str(paths.home), "recover", "--admin", ADMIN]) == 1
    assert key_file(paths).read_bytes() == before


def test_cli_init_refuses_a_password_naming_the_kelurahan(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("LOKET_PASSWORD", "tebet-timur-2026")
    init = ["--home", str(home), "init", "--kelurahan", "31.74.01.1001", "--admin", "siti"]
    assert main(init) == 1
    err = capsys.readouterr().err
    assert "too weak" in err and "tebet-timur-2026" not in err
    assert not (home / "loket.db.keys").exists()
    monkeypatch.setenv("LOKET_PASSWORD", OFFICER_PASSWORD)
    assert main(init) == 0
    auth.log_out()


# --- 2. a password typed as the user name ----------------------------------------------------


def test_a_password_typed_as_the_user_name_is_never_stored(store, monkeypatch, capsys):
    auth.log_out()
    with pytest.raises(auth.AuthError, match=auth.WRONG_LOGIN):
        auth.log_in(store, ADMIN_PASSWORD, ADMIN_PASSWORD)
    monkeypatch.setenv("LOKET_PASSWORD", "apa-saja-123")
    assert main(["--home", str(store.home), "--user", ADMIN_PASSWORD, "officer", "list"]) == 1
    assert ADMIN_PASSWORD not in capsys.readouterr().err
    text = key_file(store).read_text()
    assert ADMIN_PASSWORD not in text
    tag = keystore.login_name(store.db, ADMIN_PASSWORD)
    assert tag.startswith("tidak dikenal (#") and tag in text

    log_in_again(store)  # the real login writes the pending failures into the audit log
    failed = [e for e in audit.entries() if e.action == "login.failed"]
    assert [e.detail["username"] for e in failed] == [tag, tag]
    assert all(ADMIN_PASSWORD not in json.dumps(e.detail) for e in audit.entries())
    assert ADMIN_PASSWORD not in key_file(store).read_text()
    for path in every_file(store.home):  # nor in the support log or anything else
        assert ADMIN_PASSWORD.encode() not in path.read_bytes(), path


def test_a_known_user_name_is_kept_and_the_tag_counts_failures(store):
    auth.log_out()
    for _ in range(2):
        with pytest.raises(auth.AuthError):
            auth.log_in(store, "orang-asing", "apa-saja-123")
    assert keystore.failures(store.db, keystore.login_name(store.db, "orang-asing")) == 2
    with pytest.raises(auth.AuthError):
        auth.log_in(store, ADMIN, "salah-salah-1")
    assert keystore.failures(store.db, ADMIN) == 1
    log_in_again(store)


# --- 3. closing an account re-keys the database ------------------------------------------------


def test_a_closed_accounts_old_key_file_and_password_open_nothing_live(
    tmp_path, store, admin, budi, monkeypatch, capsys
):
    ani = auth.create_officer("ani", "Ani Wijaya", "supervisor", OFFICER_PASSWORD, admin, FAST_KDF)
    save_one()
    old_key = current_key()
    stolen = tmp_path / "stolen.keys"
    shutil.copy(key_file(store), stolen)  # budi copies the key file before leaving

    wal, wal_sizes = Path(f"{store.db}-wal"), []

    def rekey_and_measure(path, key):
        rekey(path, key)
        wal_sizes.append(wal.stat().st_size if wal.exists() else 0)

    monkeypatch.setattr(auth, "rekey", rekey_and_measure)
    rekeyed = auth.deactivate_officer("budi", admin)
    assert wal_sizes == [0]  # emptied: no page under the old key is left in the WAL
    later = save_one()  # data added after the account was closed
    new_key = current_key()
    assert new_key != old_key and rekeyed.dropped == []
    assert keystore.key_from_recovery(rekeyed.recovery) == new_key
    ids = household_ids()
    auth.log_out()

    # the old key opens neither the database file nor its WAL
    with pytest.raises(WrongKeyError):
        open_database(store.db, old_key)
    close_db()
    conn = connect_file(store.db, sqlcipher_key(old_key))
    with pytest.raises(Exception, match="not a database"):
        conn.execute("SELECT COUNT(*) FROM household").fetchone()
    conn.close()

    # budi puts the old copy in place and logs in with the old password, by service and CLI
    live = key_file(store).read_bytes()
    shutil.copy(stolen, key_file(store))
    assert keystore.unwrap(store.db, "budi", OFFICER_PASSWORD) == old_key  # the copy still opens
    with pytest.raises(auth.AuthError, match=auth.WRONG_LOGIN):
        auth.log_in(store, "budi", OFFICER_PASSWORD)
    monkeypatch.setenv("LOKET_PASSWORD", OFFICER_PASSWORD)
    assert main(["--home", str(store.home), "--user", "budi", "household", "list"]) == 1
    assert auth.WRONG_LOGIN in capsys.readouterr().err
    # nor does the current key file help him
    key_file(store).write_bytes(live)
    assert keystore.unwrap(store.db, "budi", OFFICER_PASSWORD) is None
    with pytest.raises(auth.AuthError, match=auth.WRONG_LOGIN):
        auth.log_in(store, "budi", OFFICER_PASSWORD)

    # the others log in with their own passwords, no reset needed; nothing was lost
    assert auth.log_in(store, "ani", OFFICER_PASSWORD) == ani
    assert household_ids() == ids and later in ids
    auth.log_out()
    assert log_in_again(store) == admin
    rekeys = [e for e in audit.entries() if e.action == "database.rekey"]
    assert [(e.officer, e.detail["reason"]) for e in rekeys] == [(ADMIN, "officer.deactivate")]
    assert audit.verify()[1] is None
    # the old recovery key no longer opens the live database
    auth.log_out()
    monkeypatch.setenv("LOKET_NEW_PASSWORD", "layang-layang-biru-5")
    monkeypatch.setenv("LOKET_RECOVERY_KEY", "A" * 32)
    assert main(["--home", str(store.home), "recover", "--admin", ADMIN]) == 1


def test_the_admin_changes_the_key_and_a_petugas_may_not(store, admin, budi):
    old = current_key()
    ids = household_ids()
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        auth.change_database_key(budi)
    assert current_key() == old
    rekeyed = auth.change_database_key(admin)
    assert current_key() != old and household_ids() == ids
    auth.log_out()
    assert auth.log_in(store, "budi", OFFICER_PASSWORD) == budi
    auth.log_out()
    assert keystore.key_from_recovery(rekeyed.recovery) != old


@pytest.mark.parametrize("cut", ["before_rekey", "after_rekey"])
def test_a_power_cut_during_a_rekey_locks_nobody_out(store, admin, budi, monkeypatch, cut):
    ids = household_ids()
    old = current_key()

    class PowerCut(Exception):
        pass

    def cut_power(*_args):
        raise PowerCut

    if cut == "before_rekey":
        monkeypatch.setattr(auth, "rekey", cut_power)  # the key file staged, the database not
    else:
        monkeypatch.setattr(keystore, "finish_rekey", cut_power)  # the database re-keyed
    with pytest.raises(PowerCut):
        auth.change_database_key(admin)
    monkeypatch.undo()
    assert keystore.staged_key_check(store.db) is not None
    auth.log_out()
    close_db()

    assert auth.log_in(store, "budi", OFFICER_PASSWORD) == budi
    assert keystore.staged_key_check(store.db) is None  # settled at the login
    assert (current_key() == old) == (cut == "before_rekey")
    assert household_ids() == ids
    auth.log_out()
    assert log_in_again(store) == admin


def test_an_old_format_entry_is_upgraded_at_login_and_dropped_by_a_rekey(store, admin, budi):
    """Key files of format 1 wrapped the database key directly under the password."""
    key = current_key()
    data = json.loads(key_file(store).read_text())
    for name in ("budi", ADMIN):
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        kek = keystore._kek(OFFICER_PASSWORD if name == "budi" else ADMIN_PASSWORD, salt, FAST_KDF)
        data["officers"][name] = {
            "kdf": {
                "argon2id": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
                "salt": salt.hex(),
            },
            "nonce": nonce.hex(),
            "wrapped": AESGCM(kek).encrypt(nonce, key, name.encode()).hex(),
        }
    data["format"] = 1
    key_file(store).write_text(json.dumps(data))
    auth.log_out()
    assert log_in_again(store) == admin  # upgraded now
    assert not keystore.is_legacy(store.db, ADMIN) and keystore.is_legacy(store.db, "budi")
    rekeyed = auth.change_database_key(admin)
    assert rekeyed.dropped == ["budi"]  # never logged in since: needs a password reset
    auth.log_out()
    with pytest.raises(auth.AuthError, match=auth.WRONG_LOGIN):
        auth.log_in(store, "budi", OFFICER_PASSWORD)
    log_in_again(store)
    auth.reset_password("budi", "layang-layang-biru-5", admin, FAST_KDF)
    auth.log_out()
    assert auth.log_in(store, "budi", "layang-layang-biru-5") == budi
    auth.log_out()
