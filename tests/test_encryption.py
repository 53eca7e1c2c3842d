"""Encryption at rest (issue 4): no personal value in any file on disk, a copied database is
unreadable, the recovery key opens it, old plain databases are encrypted in place, and a hard
kill during writes leaves the encrypted database intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3
from argon2 import PasswordHasher
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, FAST_KDF, log_in_again, set_up_home
from peewee import SqliteDatabase

from app.cli.main import main
from app.db import keystore, open_database
from app.db.connection import WrongKeyError, close_db, is_plain_sqlite
from app.db.migrations import migrate
from app.services import auth, backups, households, installation
from app.services.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent


def files_of(paths) -> list[Path]:
    """Every file the app keeps: database, WAL, key file, backups, migration copies."""
    return [p for p in paths.home.rglob("*") if p.is_file()]


def test_no_nik_or_name_in_any_file_after_a_demo_load(store):
    load_demo(40, seed=7, officer=ADMIN_OFFICER)
    household = households.load_household(households.household_page()[0].id)
    member = household["members"][0]
    secrets = [member["nik"].encode(), member["name"].encode(), household["no_kk"].encode()]
    backups.create_backup(store, "manual")
    wal = Path(f"{store.db}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # checked while the WAL holds the load
    for path in files_of(store):
        data = path.read_bytes()
        assert not any(secret in data for secret in secrets), path.name
        assert b"SQLite format 3" not in data[:16], path.name
    close_db()
    for path in files_of(store):
        assert not any(secret in path.read_bytes() for secret in secrets), path.name


def test_a_copied_database_cannot_be_opened_without_the_key(store, tmp_path):
    households.save_household(households.new_household(), final=False, officer=ADMIN_OFFICER)
    close_db()
    copy = tmp_path / "copied.db"
    copy.write_bytes(store.db.read_bytes())
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(copy).execute("SELECT * FROM household").fetchall()
    with pytest.raises(sqlcipher3.DatabaseError, match="not a database"):
        sqlcipher3.connect(str(copy)).execute("SELECT * FROM household").fetchall()
    with pytest.raises(WrongKeyError):
        open_database(copy, bytes(32))
    # and the copy's key file does not help without a password
    assert keystore.unwrap(store.db, ADMIN, "tebakan-salah") is None


def test_the_recovery_key_opens_the_database_when_the_key_file_is_lost(paths, monkeypatch):
    admin, recovery = auth.set_up(paths, ADMIN, "Admin", ADMIN_PASSWORD, FAST_KDF)
    installation.set_village("31.74.01.1001", admin)
    saved = households.save_household(
        households.new_household(), final=False, officer=ADMIN_OFFICER
    )
    auth.log_out()
    keystore.key_file_path(paths.db).unlink()

    home = ["--home", str(paths.home)]
    monkeypatch.setenv("LOKET_NEW_PASSWORD", "sandi-baru-99")
    monkeypatch.setenv("LOKET_RECOVERY_KEY", "AAAA-" * 7 + "AAAA")
    assert main([*home, "recover", "--admin", ADMIN]) == 1  # a wrong recovery key
    monkeypatch.setenv("LOKET_RECOVERY_KEY", recovery.lower().replace("-", " "))
    assert main([*home, "recover", "--admin", ADMIN]) == 0
    officer = auth.log_in(paths, ADMIN, "sandi-baru-99")
    assert officer.role == "admin"
    assert households.load_household(saved["household_id"])["household_id"] == saved["household_id"]
    auth.log_out()


def make_plain_v4_home(paths) -> str:
    """A home as the version before encryption left it: a plain database at schema 4 with an
    admin, a petugas and a household, a plain daily backup, and a plain migration copy."""
    paths.ensure()
    db = SqliteDatabase(str(paths.db), pragmas={"journal_mode": "wal"})
    db.connect()
    migrate(db, paths.db, upto=4)
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    for username, role in (("siti", "admin"), ("budi", "petugas")):
        db.execute_sql(
            "INSERT INTO officer (username, full_name, role, password_hash, created_at)"
            " VALUES (?, ?, ?, ?, '2026-01-01')",
            (username, username.title(), role, hasher.hash(ADMIN_PASSWORD)),
        )
    db.execute_sql(
        "INSERT INTO household (id, no_kk, village_code, rw, rt, address, housing, assets,"
        " musyawarah, status, exclusions, created_at, updated_at, rev, revs, deleted) VALUES"
        " ('01900000-0000-7000-8000-000000000001', '3174010101260001', '31.74.01.1001', 3, 7,"
        " 'Jl. Tebet', '{}', '{}', '{}', 'draft', '[]', '2026-01-01T00:00:00Z',"
        " '2026-01-01T00:00:00Z', '1-abc', '[\"1-abc\"]', 0)"
    )
    db.execute_sql(
        "INSERT INTO member (id, household_id, position, nik, name, sex, relationship,"
        " public_post, permanent_employee, disability, pregnant) VALUES"
        " ('01900000-0000-7000-8000-0000000000a1', '01900000-0000-7000-8000-000000000001', 0,"
        " '3174015708850003', 'Dewi Lestari', 2, 1, 'none', 0, 'none', 0)"
    )
    paths.backups.mkdir(parents=True, exist_ok=True)
    for copy in (paths.backups / "loket-20260101-080000-daily.db", Path(f"{paths.db}.v3-x.bak")):
        with sqlite3.connect(copy) as dest:
            db.connection().backup(dest)
        dest.close()
    db.close()
    return "01900000-0000-7000-8000-000000000001"


def test_a_plain_database_of_an_earlier_version_is_encrypted_by_the_admin(paths, capsys):
    household_id = make_plain_v4_home(paths)
    assert auth.needs_encryption(paths)
    home = ["--home", str(paths.home)]
    os.environ["LOKET_PASSWORD"] = ADMIN_PASSWORD
    try:
        assert main([*home, "--user", "siti", "household", "list"]) == 1
        assert "not encrypted yet" in capsys.readouterr().err
        assert main([*home, "--user", "budi", "encrypt"]) == 1  # a petugas may not
        assert "tidak berwenang" in capsys.readouterr().err
        assert all(is_plain_sqlite(p) for p in files_of(paths) if p.suffix in (".db", ".bak"))

        assert main([*home, "--user", "siti", "encrypt"]) == 0
        report = capsys.readouterr().out
        assert "recovery key: " in report and "need a password reset by siti: budi" in report
    finally:
        del os.environ["LOKET_PASSWORD"]
    stored = [p for p in files_of(paths) if p.suffix in (".db", ".bak")]
    assert len(stored) >= 3 and not any(is_plain_sqlite(p) for p in stored)
    for path in files_of(paths):
        assert b"3174015708850003" not in path.read_bytes(), path.name
        assert b"Dewi Lestari" not in path.read_bytes(), path.name

    auth.log_in(paths, "siti", ADMIN_PASSWORD)
    assert households.load_household(household_id)["members"][0]["name"] == "Dewi Lestari"
    assert [b.households for b in backups.list_backups(paths)] == [1]  # still readable
    with pytest.raises(auth.AuthError):  # budi has no wrapped key until the admin resets it
        auth.confirm_password(auth.Officer("budi", "Budi", "petugas"), ADMIN_PASSWORD)
    auth.log_out()


def test_a_hard_kill_during_writes_keeps_every_committed_household(paths):
    set_up_home(paths)
    auth.log_out()
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.writing_child", str(paths.home)],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        text=True,
    )
    committed = []
    try:
        while len(committed) < 25:
            committed.append(child.stdout.readline().strip())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)

    log_in_again(paths)
    from app.db.connection import database

    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    for household_id in committed:
        assert households.load_household(household_id)["household_id"] == household_id
    auth.log_out()
