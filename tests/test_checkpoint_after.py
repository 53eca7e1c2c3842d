"""The checkpoint after a bulk import, run by a thread (app/db/connection.checkpoint_after,
issue 20): the block's commit leaves its pages in the WAL, the thread copies them into the
database file after the block, and everything committed reads back, also after reopening."""

from __future__ import annotations

import threading

import pytest
from conftest import log_in_again

from app.db.connection import (
    AUTO_CHECKPOINT,
    checkpoint_after,
    database,
    wait_for_checkpoint,
)
from app.services import auth

ROWS = 3000  # 3000 x 4 KB: well over the 1,000 WAL pages after which a commit checkpoints


def auto_checkpoint() -> int:
    return int(database.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0])


def write_pages() -> None:
    with database.atomic():
        database.execute_sql("CREATE TABLE IF NOT EXISTS bulk_c (x BLOB)")
        database.execute_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO bulk_c SELECT randomblob(4000) FROM n",
            (ROWS,),
        )


def test_the_commit_leaves_the_wal_to_the_thread_after_the_block(store):
    db_file = store.db
    write_pages()  # the auto-checkpoint at this commit copies the WAL into the file
    grown = db_file.stat().st_size
    assert grown > ROWS * 4000
    with checkpoint_after():
        assert auto_checkpoint() == 0
        write_pages()  # committed, in the WAL only
        assert db_file.stat().st_size == grown
    assert auto_checkpoint() == AUTO_CHECKPOINT
    wait_for_checkpoint()
    assert db_file.stat().st_size > grown + ROWS * 4000  # the thread copied the pages in
    busy, wal_pages, copied = database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert (busy, copied) == (0, wal_pages)
    auth.log_out()
    log_in_again(store)
    assert database.execute_sql("SELECT count(*) FROM bulk_c").fetchone()[0] == 2 * ROWS


def test_a_block_that_failed_leaves_the_file_as_it_was_and_says_why(store):
    write_pages()
    database.execute_sql("INSERT INTO bulk_c VALUES (1)")  # a commit left in the WAL
    before = store.db.read_bytes()
    with pytest.raises(RuntimeError, match="halfway"), checkpoint_after(), database.atomic():
        database.execute_sql("CREATE TABLE bulk_d (x)")
        raise RuntimeError("a bundle refused halfway")
    assert "loket-checkpoint" not in {t.name for t in threading.enumerate()}
    assert store.db.read_bytes() == before  # no checkpoint: nothing was committed
    assert auto_checkpoint() == AUTO_CHECKPOINT
    tables = database.execute_sql("SELECT name FROM sqlite_master WHERE name = 'bulk_d'")
    assert tables.fetchall() == []


def test_closing_the_database_waits_for_the_checkpoint(store):
    with checkpoint_after():
        write_pages()
    auth.log_out()  # close_db: no thread goes on with the database closed
    assert "loket-checkpoint" not in {t.name for t in threading.enumerate()}
