"""A database's page MAC (issue 20, session 12): new databases sign their pages with PAGE_MAC
(app/db/connection.py says why); databases and backups made before, with SQLCipher 4's default
HMAC-SHA512, are read as they are (`connection.page_mac_of`), and a backup of either kind can be
put back.

A restore puts a backup back with the backup API, which copies pages; between files whose pages
hold different amounts of data (the MAC's length sets it) SQLCipher's own way is
`sqlcipher_export` (the backup API between page sizes crashed the process here; between MACs it
worked on a small file, but nothing promises it), so a backup of the other kind is first
exported into a copy of the database's kind (`converted_copy`, `export_checked`: the copy passes
`integrity_check`, holds as many rows in every table and is on disk, or it is removed and
CipherError raised).

Not done: converting a database made before. It means exporting it and putting the new file in
its place, and a connection another process opens meanwhile (the CLI beside the window) keeps
the old file and would go on writing to it, where nothing reads it again: that needs a lock
every opener honours first (ARCHITECTURE, "Page MAC and page size").
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlcipher3

from app.core.errors import UserError
from app.db.connection import PRAGMAS, checked_mac, connect_file, page_mac_of


class CipherError(UserError):
    """A copy could not be made with the other MAC (nothing changed)."""


def table_counts(conn: sqlcipher3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def export_checked(source: sqlcipher3.Connection, target: Path, passphrase: str, mac: str) -> None:
    """Export the database open on `source` into the new file `target`, encrypted with
    `passphrase` and its pages signed with `mac`; check it and make it durable. CipherError
    (and nothing left at `target`) when the copy does not check out."""
    drop(target)
    try:
        expected = table_counts(source)
        source.execute("ATTACH DATABASE ? AS exported KEY ?", (str(target), passphrase))
        source.execute(f"PRAGMA exported.cipher_hmac_algorithm = {checked_mac(mac)}")
        source.execute("SELECT sqlcipher_export('exported')")
        source.execute("DETACH DATABASE exported")
        copy = connect_file(target, passphrase, mac)
        try:  # with the app's page cache: with SQLite's 2 MB, 84 s instead of 10 s at 1.3 GB
            copy.execute(f"PRAGMA cache_size = {PRAGMAS['cache_size']}")
            ok = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            same = table_counts(copy) == expected
        finally:
            copy.close()
        if not (ok and same):
            raise CipherError(
                "Salinan basis data tidak lolos pemeriksaan; tidak ada yang diubah.",
                f"the exported copy {target.name} did not check out (integrity {ok}, rows {same})",
            )
        with open(target, "rb+") as f:
            os.fsync(f.fileno())
    except BaseException:
        drop(target)
        raise


def converted_copy(backup: Path, passphrase: str, mac: str, target: Path) -> bool:
    """When the copy `backup` was made with another MAC than `mac`, export it into `target`
    with `mac` and return True; False (nothing written) when it has that MAC."""
    if page_mac_of(backup, passphrase) == mac:
        return False
    source = connect_file(backup, passphrase)
    try:
        export_checked(source, target, passphrase, mac)
    finally:
        source.close()
    return True


def drop(path: Path) -> None:
    """Remove a file this module was writing, with its -journal (an export writes one)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
