"""Backups: taken with the backup API, rotated, and a restore that never silently loses data."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, OFFICER_PASSWORD, log_in_again
from helpers.households import ANSWERS, complete

from app.cli.main import main
from app.core.document import new_member
from app.db import copies as db_copies
from app.db.connection import close_db, connect_file
from app.services import backups, households


def register(name: str, nik: str) -> dict:
    doc = households.new_household()
    doc["no_kk"] = "317401010126" + nik[-4:]  # one family each: no duplicate (issue 14)
    doc["members"] = [new_member(nik=nik, name=name, relationship=1)]
    return households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)


def test_daily_backup_once_a_day_and_rotation(store):
    register("Dewi", "3174015708850003")
    day = dt.datetime(2026, 11, 22, 8, 0, 0)
    assert backups.daily_backup(store, now=day).households == 1
    assert backups.daily_backup(store, now=day.replace(hour=15)) is None  # already today
    for i in range(backups.KEEP + 3):
        backups.create_backup(store, "manual", now=day + dt.timedelta(minutes=i))
    kept = backups.list_backups(store)
    assert sum(b.reason == "manual" for b in kept) == backups.KEEP
    assert sum(b.reason == "daily" for b in kept) == 1
    assert kept[0].taken_at == day + dt.timedelta(minutes=backups.KEEP + 2)  # newest first


def test_restore_says_what_would_be_lost_and_needs_yes(store, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    dewi = register("Dewi", "3174015708850003")
    snapshot = backups.create_backup(store, "manual")
    budi = register("Budi", "3174011203100001")  # after the backup
    dewi["address"] = "Jl. Baru No. 1"
    households.save_household(dewi, final=True, officer=ADMIN_OFFICER)  # changed after the backup
    close_db()

    home = ["--home", str(store.home), "--user", ADMIN]
    assert main([*home, "backup", "restore", str(snapshot.path)]) == 1
    report = capsys.readouterr().out
    assert "would lose or set back 2 household(s)" in report
    assert budi["registration_number"] in report and "Nothing was changed" in report
    log_in_again(store)
    assert households.household_count() == 2  # untouched
    close_db()

    assert main([*home, "backup", "restore", str(snapshot.path), "--yes"]) == 0
    assert "is kept in" in capsys.readouterr().out
    log_in_again(store)
    assert households.household_count() == 1
    assert households.load_household(dewi["household_id"])["address"] == ANSWERS["address"]
    safety = [b for b in backups.list_backups(store) if b.reason == "before-restore"]
    assert safety and safety[0].households == 2  # the newer data is still kept


def test_restore_of_a_missing_file_is_refused(store, capsys):
    close_db()
    assert main(["--home", str(store.home), "backup", "restore", "/nonexistent.db"]) == 2
    assert "no such backup" in capsys.readouterr().err


def test_a_restore_that_would_lock_out_the_restoring_officer_is_refused(store, admin):
    from conftest import FAST_KDF

    from app.core.errors import UserError
    from app.services import auth
    from app.services import restore as restore_service

    snapshot = backups.create_backup(store, "manual")  # before Ani's account existed
    ani = auth.create_officer("ani", "Ani Wijaya", "supervisor", OFFICER_PASSWORD, admin, FAST_KDF)
    register("Dewi", "3174015708850003")
    with pytest.raises(UserError, match="ani belum ada"):
        restore_service.restore_backup(store, snapshot.path, ani)
    assert households.household_count() == 1  # nothing restored
    safety = restore_service.restore_backup(store, snapshot.path, admin)  # the admin is in it
    assert households.household_count() == 0
    assert safety.taker == "admin"  # the before-restore backup names the restorer's role


def test_the_database_in_use_is_no_backup_to_restore(store, admin, tmp_path):
    """Given as the backup (itself, its key file, a hard link to it): refused in one line,
    and no before-restore copy is made."""
    from app.core.errors import UserError
    from app.services import restore as restore_service

    register("Dewi", "3174015708850003")
    link = tmp_path / "salinan.db"
    link.hardlink_to(store.db)
    for given in (store.db, store.db.with_name(store.db.name + ".keys"), link):
        with pytest.raises(UserError, match="basis data yang sedang dipakai") as refused:
            restore_service.restore_backup(store, given, admin)
        assert "\n" not in str(refused.value)
    assert backups.list_backups(store) == [] and households.household_count() == 1


def database_bytes(store) -> dict[str, bytes]:
    """The database file and its WAL (the -shm index changes with every read)."""
    files = (store.db, store.db.with_name(store.db.name + "-wal"))
    return {f.name: f.read_bytes() for f in files if f.exists()}


@pytest.mark.parametrize("other_is_reading", [False, True])
def test_a_backup_holds_what_another_program_committed_and_changes_no_byte(store, other_is_reading):
    """Another program (the CLI beside the GUI) committed a change that is still in the WAL,
    and may be reading when the backup is taken. The backup has the change, is one whole
    file, and the live database's files are byte for byte as before."""
    household = register("Dewi", "3174015708850003")
    other = connect_file(store.db)
    try:
        other.execute("UPDATE household SET address = 'Jl. Lain 2' WHERE id = ?",
                      (household["household_id"],))  # fmt: skip
        other.commit()
        if other_is_reading:
            other.execute("BEGIN")
            other.execute("SELECT COUNT(*) FROM household").fetchone()
        live = database_bytes(store)
        taken = backups.create_backup(store, "manual")
        after = database_bytes(store)
    finally:
        other.close()
    assert after == live
    name = taken.path.name  # and its sidecar (reason, taker's role; issue 15)
    assert sorted(p.name for p in taken.path.parent.iterdir()) == [name, f"{name}.json"]
    copy = connect_file(taken.path)
    try:
        [(address,)] = copy.execute("SELECT address FROM household").fetchall()
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()
    assert address == "Jl. Lain 2"
    assert taken.households == 1


def test_a_backup_that_fails_half_way_leaves_nothing_behind(store, monkeypatch):
    register("Dewi", "3174015708850003")
    copied = []

    def disk_full_at_the_wal(source, partial):
        copied.append(partial.stat().st_size)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db_copies, "copy_wal", disk_full_at_the_wal)
    with pytest.raises(OSError, match="No space"):
        backups.create_backup(store, "manual")
    assert copied and copied[0] > 0  # the database file was copied before the disk filled up
    assert list(store.backups.iterdir()) == []
