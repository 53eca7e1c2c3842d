"""Storage: the only package that runs SQL (issue 13). Everything above it calls these modules;
`open_database` is how the app opens its store.
"""

from __future__ import annotations

from pathlib import Path

from playhouse.sqlcipher_ext import SqlCipherDatabase

from app.core.faults import is_disk_full
from app.db import cipher, copies, migrations, regions
from app.db.connection import PAGE_MAC, close_db, connect, page_mac


def open_database(path: str | Path, key: bytes) -> SqlCipherDatabase:
    """Open (creating if needed) the encrypted database at `path` with `key`, bring its schema
    up to date and seed the reference data. WrongKeyError when the key does not fit."""
    db = connect(path, key)
    kept = None
    if page_mac() != PAGE_MAC:  # signed with SQLCipher's HMAC-SHA512: converted once (cipher.py)
        kept = _convert(Path(path), key, migrations.current_version(db))
        db = connect(path, key)
    migrations.migrate(db, Path(path), copy_first=kept is None)  # the kept original is one
    regions.seed_regions()
    return db


def _convert(path: Path, key: bytes, version: int) -> Path | None:
    """Convert the database to PAGE_MAC; where its original is kept, or None when that cannot be
    done now (another connection has it open, or the disk has no room for the new file): it
    then works as it is, only slower, and the next opening tries again."""
    close_db()
    try:
        return cipher.convert(path, key, version)
    except Exception as exc:
        if isinstance(exc, cipher.CipherError) or is_disk_full(exc):
            return None
        raise


def restore_copy(backup: Path, db_path: Path) -> None:
    """Put the copy `backup` in place of the open database and open it again (migrated if the
    copy is older)."""
    key = copies.put_back(backup, db_path)
    open_database(db_path, key)
