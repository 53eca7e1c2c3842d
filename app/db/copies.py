"""Copies of the database files: backups taken, read and put back (the only SQL on files other
than the open database). Rotation, names and roles are app/services/backups.py.

A copy is always encrypted with the open database's key: the file itself is copied (never a
decrypted dump), or SQLite's backup API writes it through a connection keyed the same way.
"""

from __future__ import annotations

import errno
import mmap
import os
import shutil
import time
from pathlib import Path

import sqlcipher3
from peewee import DatabaseError, SqliteDatabase

from app.core.errors import UserError
from app.core.faults import disk_full, is_disk_full
from app.db import cipher
from app.db.connection import (
    close_db,
    connect_file,
    current_key,
    database,
    page_mac,
    page_mac_of,
    sqlcipher_key,
)


class UnreadableCopyError(UserError):
    """A backup file that the open database's key does not open, or that is damaged."""


def backup_copy(db: SqliteDatabase, target: Path) -> Path:
    """Copy the live database to `target`, encrypted with the same key (a backup must never
    hold plaintext): the file itself when it can be copied whole (`_copy_whole_file`), else
    with SQLite's online backup API, which decrypts and re-encrypts every page (1.5 s for a
    kelurahan's 130 MB, where the file copy takes 0.2 s).

    Either writes `<target>.partial` and renames it, so `target` is whole or absent; the
    partial files of copies killed earlier are removed first (`remove_stale_partials`). A
    full disk is DiskFullError ("Disk penuh: ..."): the database itself is untouched."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_partials(target.parent)
        if not _copy_whole_file(db, target):
            _copy_through_api(db, target)
    except Exception as exc:
        if is_disk_full(exc):
            raise disk_full(f"cadangan {target.name}") from None
        raise
    return target


RESTORING = ".restoring"  # a backup of the other MAC, converted for a restore (put_back)
PARTIAL = ".partial"  # a copy being written: `<name>.partial` (+ `-wal`, `-shm` while open)
STALE_AFTER = 10 * 60  # seconds: a partial this old belongs to a copy that was killed


def _is_partial_copy(path: Path) -> bool:
    name = path.name
    for suffix in (PARTIAL, PARTIAL + "-wal", PARTIAL + "-shm"):
        if name.endswith(suffix):
            return name[: -len(suffix)].endswith((".db", ".bak"))
    return False


def remove_stale_partials(folder: Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove the partial files that killed copies (a backup, a migration copy) left in
    `folder`: they are never a usable copy. Returns what was removed."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.iterdir():
        if not _is_partial_copy(path):
            continue
        try:
            if now - path.stat().st_mtime >= older_than:
                path.unlink()
                removed.append(path)
        except OSError:  # gone meanwhile, or not ours to remove: leave it
            continue
    return removed


def partial_of(target: Path) -> Path:
    """Where a copy to `target` is written until it is whole (`seal_copy`)."""
    return target.with_name(target.name + PARTIAL)


DIRECT_CHUNK = 8 * 1024 * 1024  # bytes read and written at a time by `copy_file`
DIRECT_BLOCK = 4096  # what direct writes must be a multiple of (and the buffer aligned to)


def copy_file(source: Path, target: Path) -> None:
    """`source` copied byte for byte to `target`: a database file, gigabytes at Dinsos (issue
    20). Where the system can (Linux's O_DIRECT), the copy is written straight to the disk,
    not through the page cache: copying 1.5 GB that way took 0.2 s of CPU against 0.4-3.8 s
    (the kernel filling new cache pages), it does not push the live database's pages out of
    the cache, and it leaves the CPU to the import the safety copy is written beside
    (app/db/copy_beside.py). Elsewhere (Windows, a file system without direct writes)
    `shutil.copyfile`."""
    if not _copied_direct(source, target):
        shutil.copyfile(source, target)


def _copied_direct(source: Path, target: Path) -> bool:
    """`copy_file` with direct writes; False (nothing written) where they are not offered."""
    direct = getattr(os, "O_DIRECT", 0)
    if not direct:
        return False
    try:
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | direct, 0o600)
    except OSError as exc:
        if exc.errno == errno.EINVAL:  # this file system takes no direct writes (tmpfs)
            return False
        raise
    # page-aligned, as direct writes need; not closed here: freed with the last view of it
    # (an error's traceback may hold one)
    buffer = mmap.mmap(-1, DIRECT_CHUNK)
    view = memoryview(buffer)
    try:
        with open(source, "rb", buffering=0) as src:
            while size := src.readinto(buffer):
                if direct and size % DIRECT_BLOCK:  # the file's end, off a block boundary
                    direct = _buffered(out)
                at = os.lseek(out, 0, os.SEEK_CUR)
                try:
                    _write_all(out, view[:size])
                except OSError as exc:
                    if not direct or exc.errno != errno.EINVAL:
                        raise
                    direct = _buffered(out)  # direct writes refused after all: go on so
                    os.lseek(out, at, os.SEEK_SET)
                    _write_all(out, view[:size])
    finally:
        os.close(out)
    return True


def _buffered(fd: int) -> int:
    """Writes to `fd` go through the page cache from now on; returns 0 (no O_DIRECT)."""
    import fcntl  # only where O_DIRECT is: Linux

    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_DIRECT)
    return 0


def _write_all(fd: int, data: memoryview) -> None:
    written = 0
    while written < len(data):
        written += os.write(fd, data[written:])


def copy_wal(source: Path, partial: Path) -> None:
    """The database's WAL, if it has one, copied beside the copy at `partial` (`seal_copy`
    folds it in); taken under a read transaction, as the file itself is."""
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, partial.with_name(partial.name + "-wal"))


def _copy_through_api(db: SqliteDatabase, target: Path) -> None:
    partial = partial_of(target)
    try:
        dest = connect_file(partial, db.connect_params["passphrase"], page_mac(db))
        try:
            db.connection().backup(dest)  # the same MAC: the backup API copies pages as they are
        finally:
            dest.close()
        with open(partial, "rb+") as copied:
            os.fsync(copied.fileno())
        os.replace(partial, target)
    except BaseException:
        drop_partial(partial)
        raise


def _copy_whole_file(db: SqliteDatabase, target: Path) -> bool:
    """Copy the database's files byte for byte, then fold the copied WAL into the copy; False
    (nothing written) when this connection is inside a transaction.

    Nothing in the live database changes, not even its files' bytes. The copy is consistent
    because it is taken under a read transaction: SQLite then lets no checkpoint write a change
    into the database file that is not also kept in the WAL, and does not restart a WAL that
    the reader uses. Other programs may still commit (appending to the WAL) during the copy;
    when the copy is opened, SQLite replays the WAL's whole transactions and drops any torn
    tail, so the copy is the database as of a commit."""
    conn = db.connection()
    if conn.in_transaction:
        return False
    source = Path(db.database)
    partial = partial_of(target)
    try:
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the read transaction
            copy_file(source, partial)
            copy_wal(source, partial)
        finally:
            conn.execute("COMMIT")
        seal_copy(partial, target, db.connect_params["passphrase"])
    except BaseException:  # a full disk, say: leave no half-made copy behind
        drop_partial(partial)
        raise
    return True


def seal_copy(partial: Path, target: Path, passphrase: str) -> None:
    """Finish a copy of the database file written to `partial`, its WAL copied beside it (or
    none): fold the WAL into it, make it durable, and put it at `target`."""
    copy = connect_file(partial, passphrase)
    try:
        copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy becomes one file
    finally:
        copy.close()  # the last connection removes the copy's -wal and -shm
    with open(partial, "rb+") as copied:
        os.fsync(copied.fileno())
    os.replace(partial, target)


def drop_partial(partial: Path) -> None:
    """Remove a copy that was not finished, with its -wal and -shm."""
    for suffix in ("", "-wal", "-shm"):
        partial.with_name(partial.name + suffix).unlink(missing_ok=True)


def household_count(path: Path) -> int:
    """Households (not deleted) in the copy at `path`."""
    conn = connect_file(path)
    try:
        households: int = conn.execute(
            "SELECT COUNT(*) FROM household WHERE deleted = 0"
        ).fetchone()[0]
        return households
    finally:
        conn.close()


def active_officers(path: Path) -> set[str]:
    """Usernames that can log in to the database in backup `path` (none before officers)."""
    conn = connect_file(path)
    try:
        rows = conn.execute("SELECT username FROM officer WHERE active = 1").fetchall()
    except sqlcipher3.OperationalError:  # a backup from before officer accounts
        rows = []
    finally:
        conn.close()
    return {username for (username,) in rows}


def newer_than_copy(backup: Path) -> list[tuple[str, str, str | None]]:
    """Households of the open database that putting `backup` back would lose or set back:
    [(household_id, updated_at, registration_number)], oldest change first."""
    key = sqlcipher_key(current_key())
    try:
        # ATTACH reads the file at once, with SQLCipher's default MAC (process-wide; every
        # connection of the app sets its own MAC after its key, so no other is affected)
        default = database.execute_sql("PRAGMA cipher_default_hmac_algorithm").fetchone()[0]
        database.execute_sql(f"PRAGMA cipher_default_hmac_algorithm = {page_mac_of(backup, key)}")
        try:
            database.execute_sql("ATTACH DATABASE ? AS restoring KEY ?", (str(backup), key))
        finally:
            database.execute_sql(f"PRAGMA cipher_default_hmac_algorithm = {default}")
        try:
            rows = database.execute_sql(
                "SELECT h.id, h.updated_at, h.registration_number FROM main.household h"
                " LEFT JOIN restoring.household b ON b.id = h.id"
                " WHERE b.id IS NULL OR h.updated_at > b.updated_at ORDER BY h.updated_at"
            ).fetchall()
        finally:
            database.execute_sql("DETACH DATABASE restoring")
    except (DatabaseError, sqlcipher3.DatabaseError) as exc:
        raise UnreadableCopyError(
            f"Cadangan {backup.name} tidak dapat dibaca (rusak, atau dari loket lain).",
            f"{backup.name}: {exc}",
        ) from None
    return [tuple(r) for r in rows]


def put_back(backup: Path, db_path: Path) -> bytes:
    """Replace the open database at `db_path` with the copy `backup` (same key), leaving it
    closed; returns the key to open it with again (app.db.restore_copy does)."""
    key = current_key()
    passphrase = sqlcipher_key(key)
    close_db()
    converted = db_path.with_name(db_path.name + RESTORING)  # `backup` with the database's MAC
    try:
        mac = page_mac_of(db_path, passphrase)
        if cipher.converted_copy(backup, passphrase, mac, converted):
            backup = converted  # between MACs, SQLCipher's way is an export (app/db/cipher.py)
        source, dest = connect_file(backup, passphrase), connect_file(db_path, passphrase, mac)
        try:
            source.backup(dest)  # one transaction on `dest`: a failure leaves it as it was
        finally:
            source.close()
            dest.close()
    except sqlcipher3.DatabaseError as exc:
        if is_disk_full(exc):
            raise disk_full(db_path.name) from None
        raise
    finally:
        cipher.drop(converted)
    return key
