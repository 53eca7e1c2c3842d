"""The bulk import's larger page cache (app/db/connection.bulk_cache, issue 20): raised for the
block on the real encrypted database, and put back afterwards, also when the block fails."""

from __future__ import annotations

import pytest

from app.db.connection import PRAGMAS, bulk_cache, database


def cache_size() -> int:
    return int(database.execute_sql("PRAGMA cache_size").fetchone()[0])


def test_the_cache_is_raised_for_the_block_and_put_back(store):
    assert cache_size() == PRAGMAS["cache_size"]  # 64 MB, as every connection opens
    with bulk_cache(128), database.atomic():
        assert cache_size() == -128_000
        database.execute_sql("CREATE TABLE bulk_t (x)")
        database.execute_sql("INSERT INTO bulk_t VALUES (1)")
    assert cache_size() == PRAGMAS["cache_size"]
    assert database.execute_sql("SELECT x FROM bulk_t").fetchall() == [(1,)]


def test_the_cache_is_put_back_when_the_block_fails_and_the_write_is_rolled_back(store):
    with pytest.raises(RuntimeError), bulk_cache(), database.atomic():
        database.execute_sql("CREATE TABLE bulk_u (x)")
        raise RuntimeError("a bundle refused halfway")
    assert cache_size() == PRAGMAS["cache_size"]
    tables = database.execute_sql("SELECT name FROM sqlite_master WHERE name = 'bulk_u'")
    assert tables.fetchall() == []
