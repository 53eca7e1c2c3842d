"""A copy of the database written by a thread while this connection goes on writing (issue
20: an import's safety copy beside the import, app/services/backups.py). The copy is the
database as it was when the copy started, whatever is written meanwhile, and the live files
stay byte for byte as they were (as with app/db/copies.py).

How: a second connection holds a read transaction, and the WAL is copied at once, before the
caller writes anything; the thread then copies the database file byte for byte and folds the
copied WAL into the copy. While a reader holds a snapshot, SQLite never writes a later change
into the database file (a checkpoint stops at the oldest reader's snapshot) and never
restarts a WAL whose frames the reader uses: the file copied later is the snapshot, or holds
pages of it that the copied WAL also holds. The copy is encrypted with the same key as the
database (it is the same bytes), so it is no less protected.

The caller must not commit what the copy has to precede until `wait()` returned: an import
calls it before its commit, so a copy that fails (a full disk) rolls the import back.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import sqlcipher3
from peewee import SqliteDatabase

from app.core.faults import disk_full, is_disk_full
from app.db.connection import checked_mac, page_mac
from app.db.copies import (
    copy_file,
    copy_wal,
    drop_partial,
    partial_of,
    remove_stale_partials,
    seal_copy,
)


class CopyBeside:
    """A copy being written by its thread; `wait()` for it."""

    def __init__(self, reader: sqlcipher3.Connection, passphrase: str, source: Path, target: Path):
        self.target = target
        self.seconds = 0.0  # how long the copy itself took
        self.waited = 0.0  # how long `wait()` waited for it
        self._reader, self._passphrase, self._source = reader, passphrase, source
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._copy, name="loket-copy-beside", daemon=True)
        self._thread.start()

    def _copy(self) -> None:
        started = time.perf_counter()
        partial = partial_of(self.target)
        try:
            copy_file(self._source, partial)
            self._reader.execute("COMMIT")  # checkpoints may write into the database again
            seal_copy(partial, self.target, self._passphrase)
        except BaseException as exc:  # a full disk, say: leave no half-made copy behind
            drop_partial(partial)
            self._error = exc
        finally:
            if self._reader.in_transaction:
                self._reader.execute("COMMIT")
            self._reader.close()
            self.seconds = time.perf_counter() - started

    def wait(self) -> Path:
        """The copy, once written; DiskFullError ("Disk penuh: cadangan ...") or what else
        stopped it, every time it is asked."""
        started = time.perf_counter()
        self._thread.join()
        self.waited += time.perf_counter() - started
        if self._error is not None:
            if is_disk_full(self._error):
                raise disk_full(f"cadangan {self.target.name}") from None
            raise self._error
        return self.target


def copy_beside(db: SqliteDatabase, target: Path) -> CopyBeside | None:
    """Start copying the database to `target` while `db` goes on (the module's docstring);
    None when this connection is inside a transaction: copy it in one go then
    (app/db/copies.backup_copy). A full disk is DiskFullError ("Disk penuh: cadangan ...")."""
    if db.connection().in_transaction:
        return None
    source = Path(db.database)
    passphrase = db.connect_params["passphrase"]
    mac = page_mac(db)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(target.parent)
    partial = partial_of(target)
    reader = sqlcipher3.connect(str(source), check_same_thread=False)
    try:
        reader.execute("PRAGMA cipher_log_level = NONE")
        reader.execute(f'PRAGMA key = "{passphrase}"')
        reader.execute(f"PRAGMA cipher_hmac_algorithm = {checked_mac(mac)}")  # the database's
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the snapshot held
        copy_wal(source, partial)  # before the caller writes into it
    except BaseException as exc:
        reader.close()
        drop_partial(partial)
        if is_disk_full(exc):
            raise disk_full(f"cadangan {target.name}") from None
        raise
    return CopyBeside(reader, passphrase, source, target)
