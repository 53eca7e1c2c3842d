"""Turning plain SQLite files from earlier versions into SQLCipher files (issue 4).

`encrypt_in_place(path, key)` exports the plain file into an encrypted copy beside it
(`stage`: `cipher.export_checked`, `sqlcipher_export`, which keeps tables, indexes, triggers and
the FTS5 index, with the app's page MAC; checked and on disk), then puts the copy in its place
(`swap`): the plain file gets a second name (`<file>.wiping`, a hard link), the copy replaces it
atomically, and only then are the plain bytes overwritten with zeros through that second name
and the name removed (best effort: a journaling file system or SSD may keep old blocks). So a
power cut at any moment leaves the plain file whole or the encrypted copy in place, never
zeros where the data was (before, the plain file was zeroed first and then replaced).
`settle_leftovers` removes what such a cut leaves: a staged copy never swapped in, and a second
name, zeroed first unless it is still the file's own.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlcipher3

from app.core.errors import UserError
from app.db import keystore
from app.db.cipher import CipherError, drop, export_checked
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


STAGED = ".encrypting"  # the encrypted copy of a file, before it takes the file's place
ASIDE = ".wiping"  # a plain file's second name, while it is replaced and its bytes zeroed


def staged(path: Path) -> Path:
    """Where `stage` writes the encrypted copy of `path`."""
    return path.with_name(path.name + STAGED)


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Encrypt the plain SQLite file `path` with `key`; nothing changes if any step fails, and
    a power cut leaves either the plain file or the encrypted one at `path`."""
    stage(path, key)
    swap(path)


def stage(path: Path, key: bytes) -> Path:
    """The encrypted, checked copy of the plain SQLite file `path`, on disk beside it (`path`
    itself is not changed, but for its WAL folded into it). EncryptionError when it does not
    check out (nothing is left then)."""
    if not is_plain_sqlite(path):
        raise EncryptionError(f"{path} is not a plain SQLite file")
    copy = staged(path)
    try:
        _checkpoint(path)
        source = sqlcipher3.connect(str(path))
        try:
            export_checked(source, copy, sqlcipher_key(key), PAGE_MAC)
        finally:
            source.close()
    except (CipherError, sqlite3.DatabaseError, sqlcipher3.DatabaseError):  # damaged
        raise EncryptionError(
            f"Berkas {path.name} tidak dapat dienkripsi (rusak?); tidak ada yang diubah.",
            f"the encrypted copy of {path.name} could not be made",
        ) from None
    return copy


def swap(path: Path) -> None:
    """Put the copy `stage` made in the place of the plain file `path` (atomically), then
    overwrite the plain bytes with zeros. Where the file system has no hard links, the plain
    bytes are left to the file system (the replace is what matters)."""
    aside = path.with_name(path.name + ASIDE)
    _drop_aside(aside, path)
    try:
        os.link(path, aside)
        linked = True
    except OSError:
        linked = False
    os.replace(staged(path), path)
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)
    if linked:
        _drop_aside(aside, path)


def _drop_aside(aside: Path, path: Path) -> None:
    """Remove a plain file's second name; its bytes zeroed first when it is no longer the
    file at `path` (replaced by its encrypted copy), never while it still is, and only when
    they are a plain SQLite file (what `swap` names so: a link someone else put there to
    another file is only removed)."""
    if not aside.exists():
        return
    if not (path.exists() and os.path.samefile(aside, path)) and is_plain_sqlite(aside):
        _wipe(aside)
    aside.unlink()


def adopt_key_file(copy: Path, db: Path) -> None:
    """The key file written for `copy` (the encrypted copy of a plain database, before it took
    the database's place: app/services/legacy.py) becomes `db`'s, atomically. Already done
    (another process starting meanwhile settled it) is done."""
    try:
        os.replace(keystore.key_file_path(copy), keystore.key_file_path(db))
    except FileNotFoundError:
        if not keystore.exists(db):
            raise


def discard_key_file(copy: Path) -> None:
    """Forget the key file written for `copy`, which never took the database's place."""
    keystore.key_file_path(copy).unlink(missing_ok=True)


def recovery_marker(db: Path) -> Path:
    """A file beside the database while a new database key's recovery key has not been handed
    on to be shown (app/services/legacy.py): its presence after a power cut says the key in
    the key file has no recovery key on paper."""
    return db.with_name(db.name + ".recovery-pending")


def settle_leftovers(db: Path, backups: Path) -> None:
    """What a power cut during an encryption left beside the database (files named after it:
    the database and its migration copies; a database put with `--db` in a folder of other
    files leaves those alone) and in the backups folder: plain bytes under a second name
    (zeroed, unless still the file's own) and encrypted copies never put in place (removed:
    their file is still the plain one, encrypted again next time)."""
    for folder, names in ((db.parent, f"{db.name}*"), (backups, "*")):
        for aside in folder.glob(names + ASIDE):
            _drop_aside(aside, aside.with_name(aside.name[: -len(ASIDE)]))
        for copy in folder.glob(names + STAGED):
            drop(copy)


def plain_files_beside(db: Path, backups: Path) -> list[Path]:
    """Plain SQLite copies an earlier version left: migration backups and rotating backups."""
    candidates = list(db.parent.glob(f"{db.name}.v*.bak")) + list(backups.glob("*.db"))
    return sorted(p for p in candidates if is_plain_sqlite(p))
