"""Household documents as JSON, built by SQLite from the rows, for exports and for every bulk
read of documents (issue 20). `load_many` parses that JSON with orjson: half the time of
building the documents in Python, as `households.load` still does.

A full export used to rebuild every document in Python (`households.changed_since`: a dict per
household and member, the JSON columns parsed) only to serialise it again: two thirds of its
time. Here one SELECT per batch has SQLite write each household's JSON itself, in C: the bytes
are those of `orjson.dumps(households.load(id))` (same keys, same order, the same escaping,
booleans as booleans, the optional keys only when not empty; tests/test_canonical_json.py
checks it for every way a household is saved). The SQL is made from the column lists of
app/db/households.py and the schema, so a new column or member field is in it without an edit
here. The JSON columns go in as they are stored: every save writes them as orjson does
(`households.household_row`), and migration 27 minified those of older databases; re-parsing
them with json() cost 0.26 s per 50,000 households.

Reader threads making the next batches (each on its own connection, the GIL released while
SQLite works) beside the thread that compresses, encrypts and writes were built and measured,
and dropped: on 2 cores shared with other sessions they cost 0.2 s more CPU per 50,000
households and gained no wall time (the kernel shares the cores between sessions, not
threads); only an idle machine would gain (about 1.1 s -> 0.7 s, estimated from the threads'
CPU), not worth threads and a connection each in the database layer.

Storing each document's JSON beside its rows on save was measured and rejected: 2.8 s more CPU
per 50,000 households saved (an import), 50-100 MB more database, and with the JSON in the
household row a full scan of the table 18 times slower (it no longer fits the page cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any, NamedTuple

import orjson

from app.core.document import SCHEMA_VERSION, Document, load_schema
from app.db.connection import database
from app.db.households import (
    BOOL_MEMBER_COLUMNS,
    HOUSEHOLD_COLUMNS,
    JSON_COLUMNS,
    OPTIONAL_KEYS,
    member_fields,
)

# read back as booleans (households._documents); the other columns are taken as they are
BOOL_HOUSEHOLD_COLUMNS = frozenset({"deleted", "house_photo"})


class Documents(NamedTuple):
    """Households' documents as JSON lines (joined by newlines, without a last one), with the
    household id and revision of each, in the same order."""

    ids: list[str]
    revs: list[str]
    json: bytes

    def each(self) -> Iterator[Documents]:
        """One Documents per household (a JSON document holds no raw newline)."""
        for hid, rev, json in zip(self.ids, self.revs, self.json.split(b"\n"), strict=True):
            yield Documents([hid], [rev], json)


def _value(column: str) -> str:
    """SQL for a household column's value as JSON text."""
    if column in BOOL_HOUSEHOLD_COLUMNS:
        return f"CASE WHEN h.{column} THEN 'true' ELSE 'false' END"
    if column in JSON_COLUMNS:
        return f"h.{column}"  # stored as orjson writes it (see the module's docstring)
    return f"json_quote(h.{column})"


def _key(key: str, first: bool = False) -> str:
    """SQL for the text before a value: `{"key":` or `,"key":`."""
    return f"'{'{' if first else ','}{orjson.dumps(key).decode()}:'"


@cache
def document_sql(members: bool = True) -> str:
    """SQL for the JSON of household `h`'s document (with `"members": []` unless `members`)."""
    fields = member_fields()
    values = [
        f"CASE WHEN m.{f} THEN json('true') ELSE json('false') END" if f in BOOL_MEMBER_COLUMNS
        else f"m.{f}" for f in fields
    ]  # fmt: skip
    pairs = ", ".join(f"'{f}', {v}" for f, v in zip(fields, values, strict=True))
    # json_object in one call: 40% faster than concatenating the member's fields. The members
    # come in the order of the index on (household_id, position), which INDEXED BY makes sure
    # of; `json_group_array(… ORDER BY m.position)` sorted them again, 0.15 s per 50,000.
    member_array = (
        f"(SELECT json_group_array(json_object('member_id', m.id, {pairs}))"
        " FROM member m INDEXED BY member_household_id WHERE m.household_id = h.id)"
    )
    special = {"schema_version": str(SCHEMA_VERSION), "household_id": "json_quote(h.id)",
               "members": member_array if members else "'[]'"}  # fmt: skip
    required: list[str] = load_schema()["required"]
    assert set(HOUSEHOLD_COLUMNS) - set(required) <= set(OPTIONAL_KEYS), "a column is not read"
    pieces = [
        p for i, k in enumerate(required) for p in (_key(k, i == 0), special.get(k) or _value(k))
    ]
    pieces += [
        f"CASE WHEN h.{k} IS NULL OR h.{k} = '{orjson.dumps(empty).decode()}' THEN ''"
        f" ELSE {_key(k)} || h.{k} END"
        for k, empty in OPTIONAL_KEYS.items()
    ]
    # one concat() of the pieces: `||` would copy the growing text once per piece
    return f"CAST(concat({', '.join(pieces)}, '}}') AS BLOB)"


def changed_since(change: int, upto: int, batch: int | None = None) -> Iterator[Documents]:
    """The households whose last change number is in (change, upto], oldest change first,
    `batch` (BATCH) at a time: memory stays bounded however many there are.

    Each batch is one query that SQLite answers with one row: the ids, the revisions and the
    documents, each joined by newlines, so the whole batch is made in C and Python handles
    three values per batch, not three per household. Each batch sees the committed database of
    its moment (a household saved meanwhile moves past `upto`: the next export carries it)."""
    after = change
    while after < upto:
        row = database.execute_sql(
            "SELECT change_seq FROM household WHERE change_seq > ? ORDER BY change_seq"
            " LIMIT 1 OFFSET ?",
            (after, (batch or BATCH) - 1),
        ).fetchone()
        through = upto if row is None else min(row[0], upto)
        found = _read(after, through)
        if found is not None:
            yield found
        after = through


def load_many(household_ids: list[str]) -> dict[str, Document]:
    """The documents of these households (those that exist), by id: the JSON SQLite writes
    for them (`of`), parsed. They are the documents `households.load` builds from the rows in
    Python (tests/test_canonical_json.py), in less than half its time: 33 µs a household
    against 79 (2,000 at a time), which every bulk reader of documents gains (issue 20)."""
    found: dict[str, Document] = {}
    for batch in of(household_ids):
        found.update(zip(batch.ids, map(orjson.loads, batch.json.split(b"\n")), strict=True))
    return found


def load_bare(household_ids: list[str]) -> dict[str, tuple[Document, bytes | None]]:
    """The documents of these households (those that exist) without their members (`"members":
    []`), by id, each with what its members hash to (`households.members_digest`; None: not
    known, a row written before migration 29): a bundle import compares the members of a
    changed household by their digest, and reads them only when it differs (issue 20)."""
    found: dict[str, tuple[Document, bytes | None]] = {}
    for _, rows in _rows_of(household_ids, f"h.members_digest, {document_sql(members=False)}"):
        found.update((hid, (orjson.loads(json), digest)) for hid, digest, json in rows)
    return found


def of(household_ids: list[str]) -> Iterator[Documents]:
    """These households (those that exist), in the order asked, BATCH at a time."""
    for chunk, rows in _rows_of(household_ids, f"h.rev, {document_sql()}"):
        found = {row[0]: row for row in rows}
        rows = [found[hid] for hid in chunk if hid in found]
        if rows:
            ids, revs, docs = zip(*rows, strict=True)
            yield Documents(list(ids), list(revs), b"\n".join(docs))


def _rows_of(household_ids: list[str], columns: str) -> Iterator[tuple[list[str], list[Any]]]:
    """(the ids, the rows of `SELECT h.id, {columns} FROM household h` for them), BATCH ids a
    query."""
    for i in range(0, len(household_ids), BATCH):
        chunk = household_ids[i : i + BATCH]
        yield (
            chunk,
            database.execute_sql(
                f"SELECT h.id, {columns} FROM household h"
                f" WHERE h.id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall(),
        )


BATCH = 500  # households a query
# The three lists are made from the same rows in one pass, so they agree; the rows come in the
# order of the index, oldest change first.
_BATCH_SQL = (
    "SELECT group_concat(h.id, char(10)), group_concat(h.rev, char(10)),"
    " CAST(group_concat({document}, char(10)) AS BLOB), count(*)"
    " FROM household h INDEXED BY household_change_seq"
    " WHERE h.change_seq > ? AND h.change_seq <= ?"
)


def _read(after: int, through: int) -> Documents | None:
    sql = _BATCH_SQL.format(document=document_sql())
    ids, revs, json, count = database.execute_sql(sql, (after, through)).fetchone()
    if not count:
        return None
    found = Documents(ids.split("\n"), revs.split("\n"), json)
    if not len(found.ids) == len(found.revs) == count:  # a NULL revision or one with a newline
        raise RuntimeError(f"households changed in ({after}, {through}]: a revision is unreadable")
    return found
