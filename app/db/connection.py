"""The one place that connects to the database (STYLE §1): `connect(path, key)`; opening it for
use (connect, migrate, seed) is `app.db.open_database`.

The database is a SQLCipher file (issue 4): every page, the WAL included, is encrypted with the
database key (app/db/keystore.py), given in raw form so opening costs no extra KDF. Models bind to
`database`, a peewee DatabaseProxy, so tests and the app open real files the same way. Each
thread gets its own connection (peewee's default); WAL lets the UI read while the background
runner writes. Temporary tables and sorts stay in memory, never in plaintext temp files.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlcipher3
from peewee import Database, DatabaseError, DatabaseProxy
from playhouse.sqlcipher_ext import SqlCipherDatabase

from app.core.errors import UserError
from app.core.faults import disk_full, is_disk_full

database = DatabaseProxy()
_key: bytes | None = None  # the open database's key, for backups of it

PAGE_MAC = "HMAC_SHA256"  # a new database's page MAC (issue 20, session 12; see page_mac_of)
LEGACY_PAGE_MAC = "HMAC_SHA512"  # SQLCipher 4's default: the MAC of a database made before
PRAGMAS = {
    "cipher_log_level": "NONE",  # first: a wrong key is our error to report, not stderr noise
    "cipher_hmac_algorithm": PAGE_MAC,  # before the first read; connect() sets the file's own
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",  # a power cut must not lose a committed autosave
    "cache_size": -64_000,  # 64 MB page cache: measured 1.5x on bulk work (DESIGN §9)
    "busy_timeout": 10_000,
    "temp_store": "memory",
}
PLAIN_HEADER = b"SQLite format 3\x00"
BULK_CACHE_MB = 128  # one bulk import's page cache (bulk_cache): 256 gains ~3% more, +140 MB


def sqlcipher_key(key: bytes) -> str:
    """The key in SQLCipher's raw-key form (no second, slower KDF inside SQLCipher)."""
    return f"x'{key.hex()}'"


class WrongKeyError(UserError):
    """The key does not open this database file."""


def is_plain_sqlite(path: Path) -> bool:
    """True for an unencrypted SQLite file (from a version before encryption)."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == PLAIN_HEADER
    except FileNotFoundError:
        return False


def connect(path: str | Path, key: bytes) -> SqlCipherDatabase:
    """Connect (creating if needed) to the encrypted database at `path` with `key` and bind the
    models to it. WrongKeyError when the key does not fit."""
    global _key
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    close_db()
    passphrase = sqlcipher_key(key)
    pragmas = dict(PRAGMAS, cipher_hmac_algorithm=page_mac_of(path, passphrase))
    db = SqlCipherDatabase(str(path), passphrase=passphrase, pragmas=pragmas)
    try:
        db.connect()
    except (sqlcipher3.DatabaseError, DatabaseError) as exc:  # "file is not a database"
        db.close()
        if is_disk_full(exc):  # not the key's fault: say so, nothing is lost
            raise disk_full(f"basis data {path.name}") from None
        raise WrongKeyError(
            "Kunci tidak cocok dengan basis data ini (berkas kunci atau basis data tertukar?).",
            f"{path}: {exc}",
        ) from None
    database.initialize(db)
    _key = key
    return db


def connect_file(
    path: str | Path, passphrase: str | None = None, mac: str | None = None
) -> sqlcipher3.Connection:
    """A DB-API connection to another file (a backup) encrypted with the open database's key
    (or `passphrase`): for the backup API, counts and restores. Its pages are checked with the
    file's own MAC (`page_mac_of`) or `mac`. The caller closes it."""
    passphrase = passphrase or sqlcipher_key(current_key())
    return _keyed(path, passphrase, mac or page_mac_of(path, passphrase))


def _keyed(path: str | Path, passphrase: str, mac: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f'PRAGMA key = "{passphrase}"')
    conn.execute(f"PRAGMA cipher_hmac_algorithm = {checked_mac(mac)}")
    conn.execute(f"PRAGMA busy_timeout = {PRAGMAS['busy_timeout']}")  # wait for a writer
    return conn


def checked_mac(mac: str) -> str:
    if mac not in (PAGE_MAC, LEGACY_PAGE_MAC):  # it goes into a PRAGMA
        raise ValueError(f"not a page MAC of this app: {mac!r}")
    return mac


def page_mac_of(path: str | Path, passphrase: str) -> str:
    """The page MAC the encrypted file at `path` was made with. SQLCipher must be told it
    before the first read (the file's header is encrypted too, and the MAC's length sets how
    much of each page holds data), so it is found by reading: PAGE_MAC, else LEGACY_PAGE_MAC (a
    database or backup made before, used as it is: app/db/cipher.py). PAGE_MAC for a file that
    does not exist yet, is empty, or that neither reads (a wrong key: opening it then says so).

    Why HMAC-SHA256: every page read from disk is checked and every page written is signed,
    and this machine's SHA-256 (with the CPU's SHA extensions) is twice as fast as SHA-512
    (1.7 against 0.8 GB/s, `openssl speed`); both are sound page MACs. Measured: see
    ARCHITECTURE, "Page MAC and page size"."""
    path = Path(path)
    try:
        if not path.exists() or path.stat().st_size == 0:
            return PAGE_MAC
    except OSError:
        return PAGE_MAC
    for mac in (PAGE_MAC, LEGACY_PAGE_MAC):
        conn = _keyed(path, passphrase, mac)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return mac
        except sqlcipher3.DatabaseError:  # "file is not a database": not this MAC
            continue
        finally:
            conn.close()
    return PAGE_MAC


def page_mac(db: Database | None = None) -> str:
    """The page MAC of the open database (or of `db`, opened with its key)."""
    found: str = (db or database).execute_sql("PRAGMA cipher_hmac_algorithm").fetchone()[0]
    return found


@contextmanager
def bulk_cache(megabytes: int | None = None) -> Iterator[None]:
    """This thread's page cache raised to `megabytes` (BULK_CACHE_MB, as it is when called)
    for one bulk write, then put back: at
    Dinsos scale the indexes (NIK, No. KK, names) outgrow the 64 MB cache, and each page read
    again is read and decrypted again. Memory stays bounded: the cache has a fixed size."""
    conn = database.connection()
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    size = BULK_CACHE_MB if megabytes is None else megabytes
    conn.execute(f"PRAGMA cache_size = {-1000 * int(size)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


AUTO_CHECKPOINT = 1000  # SQLite's default: WAL pages after which a commit checkpoints
_checkpoint: threading.Thread | None = None  # the one `checkpoint_after` started


@contextmanager
def checkpoint_after() -> Iterator[None]:
    """The block's commits on this thread's connection leave the WAL as it is; once the block
    is over, a thread copies the WAL into the database file (issue 20).

    SQLite writes a transaction's pages into the WAL at its commit (`synchronous = full` syncs
    it: the data is safe then), and the commit then copies the WAL into the database file
    itself once it holds AUTO_CHECKPOINT pages (the auto-checkpoint) before it returns: after
    a bulk import thousands of pages, 0.2-0.4 s of a 50,000-household import, about 0.6 s at
    Dinsos. Here one passive checkpoint runs on its own connection while the officer reads
    the report. A checkpoint only copies committed pages; one cut short (the app closed, a
    kill -9) is done again from the WAL when the database is next opened. The next block and
    `close_db` wait for it (`wait_for_checkpoint`), so the WAL starts again from its beginning
    before the next bulk write and never grows import after import. A block that raised
    committed nothing: no thread then, the database file stays byte for byte as it was."""
    wait_for_checkpoint()
    conn = database.connection()
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        with suppress(sqlcipher3.Error, DatabaseError):
            conn.execute(f"PRAGMA wal_autocheckpoint = {AUTO_CHECKPOINT}")
    _start_checkpoint(database.database, sqlcipher_key(current_key()), page_mac())


def wait_for_checkpoint() -> None:
    """Return once the checkpoint `checkpoint_after` started, if any, has ended."""
    global _checkpoint
    if _checkpoint is not None:
        _checkpoint.join()
        _checkpoint = None


def _start_checkpoint(path: str, passphrase: str, mac: str) -> None:
    global _checkpoint

    def run() -> None:  # a checkpoint that fails (a full disk) leaves the WAL as it is: the
        with suppress(sqlcipher3.Error):  # next commit's auto-checkpoint does it
            conn = _keyed(path, passphrase, mac)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                conn.close()

    _checkpoint = threading.Thread(target=run, name="loket-checkpoint", daemon=True)
    _checkpoint.start()


def current_key() -> bytes:
    if _key is None:
        raise RuntimeError("no database is open")
    return _key


def close_db() -> None:
    wait_for_checkpoint()
    if database.obj is not None and not database.is_closed():
        database.close()


class RekeyError(UserError):
    """The database could not be re-keyed (nothing changed)."""


def rekey(path: str | Path, key: bytes) -> None:
    """Re-encrypt every page of the open database with `key` (SQLCipher `PRAGMA rekey`), then
    reopen it with that key on this thread (other threads reconnect through the proxy).

    The WAL is folded into the file and emptied first, so no frame under the old key survives
    in it; the re-key writes every page (free pages too) under the new key into the WAL, and
    a second `TRUNCATE` checkpoint moves them into the file and leaves a zero-length -wal."""
    wal = Path(f"{path}-wal")
    wait_for_checkpoint()
    busy, _log, _done = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy or (wal.exists() and wal.stat().st_size):
        raise RekeyError(
            "Basis data sedang dipakai; tutup jendela lain lalu coba lagi.",
            "re-key refused: the WAL could not be emptied (a reader is open)",
        )
    database.execute_sql(f'PRAGMA rekey = "{sqlcipher_key(key)}"')
    # the new pages into the file; a reader elsewhere may delay it, but they are under the new
    # key either way, and the next checkpoint folds them in
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    connect(path, key)
