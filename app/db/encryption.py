"""Turning plain SQLite files from earlier versions into SQLCipher files (issue 4).

`encrypt_in_place(path, key)` exports the plain file into an encrypted copy beside it
(`sqlcipher_export`, which keeps tables, indexes, triggers and the FTS5 index), checks the
copy, then replaces the original atomically. The plain bytes are overwritten with zeros before
the file is replaced (best effort: a journaling file system or SSD may keep old blocks).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlcipher3

from app.core.errors import UserError
from app.db.connection import is_plain_sqlite, sqlcipher_key


class EncryptionError(UserError):
    """An old plain database that could not be encrypted (nothing was replaced)."""


def _checkpoint(path: Path) -> None:
    """Fold a plain WAL into the main file so that one file holds everything."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _table_counts(conn: sqlcipher3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def _wipe(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(0, size, len(chunk)):
            f.write(chunk)
        f.truncate(size)
        f.flush()
        os.fsync(f.fileno())


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Encrypt the plain SQLite file `path` with `key`; nothing changes if any step fails."""
    if not is_plain_sqlite(path):
        raise EncryptionError(f"{path} is not a plain SQLite file")
    _checkpoint(path)
    staging = path.with_name(path.name + ".encrypting")
    staging.unlink(missing_ok=True)
    source = sqlcipher3.connect(str(path))
    try:
        expected = _table_counts(source)
        source.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(staging), sqlcipher_key(key)))
        source.execute("SELECT sqlcipher_export('encrypted')")
        source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()
    copy = sqlcipher3.connect(str(staging))
    try:
        copy.execute(f'PRAGMA key = "{sqlcipher_key(key)}"')
        ok = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        same = _table_counts(copy) == expected
    finally:
        copy.close()
    if not (ok and same):
        staging.unlink(missing_ok=True)
        raise EncryptionError(f"the encrypted copy of {path} did not check out; nothing changed")
    with open(staging, "rb") as f:
        os.fsync(f.fileno())
    _wipe(path)
    os.replace(staging, path)
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


def plain_files_beside(db: Path, backups: Path) -> list[Path]:
    """Plain SQLite copies an earlier version left: migration backups and rotating backups."""
    candidates = list(db.parent.glob(f"{db.name}.v*.bak")) + list(backups.glob("*.db"))
    return sorted(p for p in candidates if is_plain_sqlite(p))
