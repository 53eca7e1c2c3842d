"""Storage: the only package that runs SQL (issue 13). Everything above it calls these modules;
`open_database` is how the app opens its store.
"""

from __future__ import annotations

from pathlib import Path

from playhouse.sqlcipher_ext import SqlCipherDatabase

from app.db import copies, migrations, regions
from app.db.connection import connect


def open_database(path: str | Path, key: bytes) -> SqlCipherDatabase:
    """Open (creating if needed) the encrypted database at `path` with `key`, bring its schema
    up to date and seed the reference data. WrongKeyError when the key does not fit."""
    db = connect(path, key)
    migrations.migrate(db, Path(path))
    regions.seed_regions()
    return db


def restore_copy(backup: Path, db_path: Path) -> None:
    """Put the copy `backup` in place of the open database and open it again (migrated if the
    copy is older)."""
    key = copies.put_back(backup, db_path)
    open_database(db_path, key)
