"""A database's page size (issue 20, session 12): a database made with SQLCipher's 4 KB pages
is converted once to PAGE_SIZE (app/db/connection.py says why), and a backup of either size can
be put back.

SQLCipher fixes the page size when a file is made, so converting is exporting
(`sqlcipher_export`: tables, indexes, triggers, the FTS5 index) into a new file beside it
(`export_checked`: the copy passes `integrity_check` and holds as many rows in every table, and
is on disk, or it is removed and PageError raised). `repage` then keeps the original beside the
database as a migration's copy is kept (`<db>.v<N>-<stamp>-4k.bak`, a hard link where the file
system has them, so no second 2.7 GB at Dinsos) and puts the new file in its place with one
atomic rename: a failure or a kill at any point leaves the database as it was, and every
committed row is in the original. It refuses while another connection has the database open
(it would go on writing to the original).

The backup API copies pages as they are and cannot copy between page sizes (SQLCipher crashes
the process), so a restore of a backup of the other size first exports it into a copy of the
database's size (`converted_copy`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import sqlcipher3

from app.core.errors import UserError
from app.db.connection import PAGE_SIZE, PRAGMAS, connect_file, page_size_of, sqlcipher_key

STAGING = ".repaging"  # the new file while it is written (`<db>.repaging`)


class PageError(UserError):
    """The database could not be converted (nothing changed)."""


def table_counts(conn: sqlcipher3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def export_checked(
    source: sqlcipher3.Connection, target: Path, passphrase: str, page_size: int
) -> None:
    """Export the database open on `source` into the new file `target`, encrypted with
    `passphrase` in pages of `page_size`; check it and make it durable. PageError (and
    nothing left at `target`) when the copy does not check out."""
    drop(target)
    try:
        expected = table_counts(source)
        source.execute("ATTACH DATABASE ? AS exported KEY ?", (str(target), passphrase))
        source.execute(f"PRAGMA exported.cipher_page_size = {int(page_size)}")
        source.execute("SELECT sqlcipher_export('exported')")
        source.execute("DETACH DATABASE exported")
        copy = connect_file(target, passphrase, page_size)
        try:  # with the app's page cache: with SQLite's 2 MB, 84 s instead of 10 s at 1.3 GB
            copy.execute(f"PRAGMA cache_size = {PRAGMAS['cache_size']}")
            ok = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            same = table_counts(copy) == expected
        finally:
            copy.close()
        if not (ok and same):
            raise PageError(
                "Salinan basis data tidak lolos pemeriksaan; tidak ada yang diubah.",
                f"the exported copy {target.name} did not check out (integrity {ok}, rows {same})",
            )
        with open(target, "rb+") as f:
            os.fsync(f.fileno())
    except BaseException:
        drop(target)
        raise


def repage(path: Path, key: bytes, version: int) -> Path:
    """Convert the closed database at `path` (of another page size) to PAGE_SIZE; return where
    the original is kept. PageError, nothing changed, when it cannot be done now."""
    passphrase = sqlcipher_key(key)
    staging = path.with_name(path.name + STAGING)
    source = connect_file(path, passphrase)
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every commit in the file itself
        try:  # possible only when no other connection has the database open
            mode = source.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlcipher3.OperationalError:  # "database is locked"
            mode = "wal"
        if mode != "delete":
            raise PageError(
                "Basis data sedang dipakai; ukuran halamannya diubah lain kali.",
                f"{path.name}: not converted, another connection has it open",
            )
        export_checked(source, staging, passphrase, PAGE_SIZE)
    finally:
        source.close()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.v{version}-{stamp}-4k.bak")
    try:
        _keep(path, kept)
    except BaseException:
        drop(staging)
        raise
    os.replace(staging, path)  # the one step that changes the database: atomic
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)  # the original's, empty: it was closed in DELETE mode
    return kept


def converted_copy(backup: Path, passphrase: str, page_size: int, target: Path) -> bool:
    """When the copy `backup` has pages of another size than `page_size`, export it into
    `target` with that size and return True; False (nothing written) when it has that size."""
    if page_size_of(backup, passphrase) == page_size:
        return False
    source = connect_file(backup, passphrase)
    try:
        export_checked(source, target, passphrase, page_size)
    finally:
        source.close()
    return True


def drop(path: Path) -> None:
    """Remove a file this module was writing, with its -journal (an export writes one)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _keep(path: Path, kept: Path) -> None:
    """The original file also at `kept`: a hard link (nothing copied), or a copy on a file
    system without them."""
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)
