"""Turning plain SQLite files from earlier versions into SQLCipher files (issue 4).

`encrypt_in_place(path, key)` exports the plain file into an encrypted copy beside it
(`cipher.export_checked`: `sqlcipher_export`, which keeps tables, indexes, triggers and the
FTS5 index, with the app's page MAC), checks the copy, then replaces the original atomically.
The plain bytes are overwritten with zeros before the file is replaced (best effort: a
journaling file system or SSD may keep old blocks).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlcipher3

from app.core.errors import UserError
from app.db.cipher import CipherError, export_checked
from app.db.connection import PAGE_MAC, is_plain_sqlite, sqlcipher_key


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
    source = sqlcipher3.connect(str(path))
    try:
        export_checked(source, staging, sqlcipher_key(key), PAGE_MAC)
    except CipherError:
        raise EncryptionError(
            f"the encrypted copy of {path} did not check out; nothing changed"
        ) from None
    finally:
        source.close()
    _wipe(path)
    os.replace(staging, path)
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


def plain_files_beside(db: Path, backups: Path) -> list[Path]:
    """Plain SQLite copies an earlier version left: migration backups and rotating backups."""
    candidates = list(db.parent.glob(f"{db.name}.v*.bak")) + list(backups.glob("*.db"))
    return sorted(p for p in candidates if is_plain_sqlite(p))
