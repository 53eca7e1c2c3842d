"""An import's safety copy written beside the import (issue 20, app/db/copy_beside.py): the
copy is the database as it was when it started, whatever is committed meanwhile; the import
commits only once the copy is whole, and a copy that fails (a full disk) rolls it back."""

from __future__ import annotations

import errno
import shutil
import threading

import pytest
from sync_support import exchange, register

from app.db import copies, copy_beside
from app.db.connection import database
from app.services import backups, households
from app.services.sync import imports as bundles


def gated(monkeypatch) -> threading.Event:
    """The copy thread's file copy held until the returned event is set."""
    gate = threading.Event()

    def held(source, target):  # the WAL is copied at once, before any write, not so
        assert gate.wait(30), "the gate was never opened"
        return copies.copy_file(source, target)

    monkeypatch.setattr(copy_beside, "copy_file", held)
    return gate


@pytest.mark.parametrize("wal_emptied", [False, True])
def test_the_copy_is_the_database_as_it_was_when_it_started(kelurahan, monkeypatch, wal_emptied):
    """With the last change still in the WAL (the reader's snapshot holds WAL frames), and with
    the WAL emptied first (the reader reads the file alone, and the next write starts the WAL
    again from its beginning)."""
    gate = gated(monkeypatch)
    with kelurahan:
        register("Warga Lama")
        if wal_emptied:
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        target = kelurahan.paths.backups / "beside.db"
        running = copy_beside.copy_beside(database.obj, target)
        assert running is not None
        for i in range(30):  # committed while the copy waits to start
            register(f"Warga Baru {i}")
        database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")  # may not write into the file
        gate.set()
        assert running.wait() == target
        assert households.household_count() == 31
        key = database.obj.connect_params["passphrase"]
    assert copies.household_count(target) == 1
    conn = copies.connect_file(target, key)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_no_copy_beside_from_inside_a_transaction(kelurahan):
    with kelurahan, database.atomic():
        assert copy_beside.copy_beside(database.obj, kelurahan.paths.backups / "x.db") is None


def test_an_import_commits_after_its_safety_copy_which_holds_the_database_before_it(
    laptop, kelurahan, monkeypatch
):
    exchange((laptop, kelurahan))
    with laptop:
        for i in range(5):
            register(f"Warga {i}")
        bundle = laptop.export(kelurahan)
    gate = gated(monkeypatch)
    with kelurahan:
        register("Warga Kelurahan")
        seen: list[int] = []

        def progress(done: int, total: int) -> None:  # the import is under way: copy now
            seen.append(done)
            gate.set()

        [report] = bundles.import_bundles(
            kelurahan.paths, [bundle], kelurahan.officer, progress=progress
        )
        assert not isinstance(report, Exception) and report.counts["new"] == 5
        assert seen and households.household_count() == 6
        [copy] = [b for b in backups.list_backups(kelurahan.paths) if b.reason == "import"]
    assert copies.household_count(copy.path) == 1


def test_a_safety_copy_that_fails_rolls_the_import_back(laptop, kelurahan, monkeypatch):
    exchange((laptop, kelurahan))
    with laptop:
        register("Warga Satu")
        bundle = laptop.export(kelurahan)

    written: list[str] = []

    def full(source, target):  # the WAL is copied; the disk fills in the thread's file copy
        written.append(str(target))
        with open(target, "wb") as half:
            half.write(b"\0" * 4096)
        raise OSError(errno.ENOSPC, "No space left on device")

    with kelurahan:
        monkeypatch.setattr(copy_beside, "copy_file", full)
        seen: list[int] = []
        [failed] = bundles.import_bundles(
            kelurahan.paths, [bundle], kelurahan.officer, progress=lambda d, t: seen.append(d)
        )
        assert written and seen  # the copy failed beside an import that had begun
        assert isinstance(failed, Exception) and "Disk penuh: cadangan loket-" in str(failed)
        assert "Warga" not in str(failed)
        assert households.household_count() == 0
        assert not [b for b in backups.list_backups(kelurahan.paths) if b.reason == "import"]
        assert not list(kelurahan.paths.backups.glob("*.partial*"))
        monkeypatch.undo()
        [report] = kelurahan.take(bundle)  # room again: the bundle goes in whole
        assert report.counts["new"] == 1 and households.household_count() == 1


def test_a_wal_that_cannot_be_copied_refuses_the_import_before_it_begins(
    laptop, kelurahan, monkeypatch
):
    exchange((laptop, kelurahan))
    with laptop:
        register("Warga Satu")
        bundle = laptop.export(kelurahan)

    def full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    with kelurahan:
        register("Warga Kelurahan")  # the WAL holds a change: it is copied first
        monkeypatch.setattr(shutil, "copyfile", full)
        seen: list[int] = []
        [failed] = bundles.import_bundles(
            kelurahan.paths, [bundle], kelurahan.officer, progress=lambda d, t: seen.append(d)
        )
        assert not seen and "Disk penuh: cadangan loket-" in str(failed)
        assert households.household_count() == 1
        assert not list(kelurahan.paths.backups.glob("*.partial*"))
