"""A database's page MAC (issue 20, session 12): a database made with SQLCipher 4's default
HMAC-SHA512 is converted once to PAGE_MAC (app/db/connection.py says why), and a backup of either
kind can be read and put back.

SQLCipher fixes a file's MAC when the file is made (it sets how much of each page holds data),
so converting is exporting (`sqlcipher_export`: tables, indexes, triggers, the FTS5 index) into
a new file beside it (`export_checked`: the copy passes `integrity_check` and holds as many rows
in every table, and is on disk, or it is removed and CipherError raised). `convert` then keeps
the original beside the database as a migration's copy is kept (`<db>.v<N>-<stamp>-sha512.bak`,
a hard link where the file system has them: no second 2.7 GB at Dinsos) and puts the new file in
its place with one atomic rename: a failure or a kill at any point leaves the database as it
was, and every committed row is in the original. It refuses while another connection has the
database open (that connection would go on writing to the original).

A restore puts a backup back with the backup API, which copies pages; between files whose pages
hold different amounts of data SQLCipher's own way is `sqlcipher_export` (the backup API between
page sizes crashed the process here; between MACs it worked on a small file, but nothing
promises it), so a backup of the other kind is first exported into a copy of the database's
kind (`converted_copy`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import sqlcipher3

from app.core.errors import UserError
from app.db.connection import (
    PAGE_MAC,
    PRAGMAS,
    checked_mac,
    connect_file,
    page_mac_of,
    sqlcipher_key,
)

STAGING = ".converting"  # the new file while it is written (`<db>.converting`)


class CipherError(UserError):
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


def convert(path: Path, key: bytes, version: int) -> Path:
    """Convert the closed database at `path` (of the other MAC) to PAGE_MAC; return where the
    original is kept. CipherError, nothing changed, when it cannot be done now."""
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
            raise CipherError(
                "Basis data sedang dipakai; diperbarui lain kali.",
                f"{path.name}: not converted, another connection has it open",
            )
        export_checked(source, staging, passphrase, PAGE_MAC)
    finally:
        source.close()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.v{version}-{stamp}-sha512.bak")
    try:
        _keep(path, kept)
        os.replace(staging, path)  # the one step that changes the database: atomic
    except BaseException:
        drop(staging)
        raise
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)  # the original's, empty: it was closed in DELETE mode
    return kept


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


def _keep(path: Path, kept: Path) -> None:
    """The original file also at `kept`: a hard link (nothing copied), or a copy on a file
    system without them."""
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)
