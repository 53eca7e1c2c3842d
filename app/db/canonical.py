"""Household documents as JSON, built by SQLite from the rows, for exports (issue 20).

A full export used to rebuild every document in Python (`households.changed_since`: a dict per
household and member, the JSON columns parsed) only to serialise it again: two thirds of its
time. Here one SELECT per batch has SQLite write each household's JSON itself, in C: the bytes
are those of `orjson.dumps(households.load(id))` (same keys, same order, the same escaping,
booleans as booleans, the optional keys only when not empty; tests/test_canonical_json.py
checks it for every way a household is saved). The SQL is made from the column lists of
app/db/households.py and the schema, so a new column or member field is in it without an edit
here.

Storing each document's JSON beside its rows on save was measured and rejected: 2.8 s more CPU
per 50,000 households saved (an import), 50-100 MB more database, and with the JSON in the
household row a full scan of the table 18 times slower (it no longer fits the page cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

import orjson

from app.core.document import SCHEMA_VERSION, load_schema
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
    (household id, revision) of each, in the same order."""

    carried: list[tuple[str, str]]
    json: bytes


# (change number, household id, revision, document as JSON)
Row = tuple[int, str, str, bytes]


def _value(column: str) -> str:
    """SQL for a household column's value as JSON text."""
    if column in BOOL_HOUSEHOLD_COLUMNS:
        return f"CASE WHEN h.{column} THEN 'true' ELSE 'false' END"
    if column in JSON_COLUMNS:
        return f"json(h.{column})"  # minified, as orjson writes it
    return f"json_quote(h.{column})"


def _key(key: str, first: bool = False) -> str:
    """SQL for the text before a value: `{"key":` or `,"key":`."""
    return f"'{'{' if first else ','}{orjson.dumps(key).decode()}:'"


@cache
def document_sql() -> str:
    """SQL for the JSON of household `h`'s document."""
    fields = member_fields()
    values = [
        f"json(CASE WHEN m.{f} THEN 'true' ELSE 'false' END)" if f in BOOL_MEMBER_COLUMNS
        else f"m.{f}" for f in fields
    ]  # fmt: skip
    pairs = ", ".join(f"'{f}', {v}" for f, v in zip(fields, values, strict=True))
    members = (  # json_object in one call: 40% faster than concatenating the member's fields
        f"(SELECT json_group_array(json_object('member_id', m.id, {pairs}) ORDER BY m.position)"
        " FROM member m WHERE m.household_id = h.id)"
    )
    special = {"schema_version": str(SCHEMA_VERSION), "household_id": "json_quote(h.id)",
               "members": members}  # fmt: skip
    required: list[str] = load_schema()["required"]
    assert set(HOUSEHOLD_COLUMNS) - set(required) <= set(OPTIONAL_KEYS), "a column is not read"
    pieces = [
        p for i, k in enumerate(required) for p in (_key(k, i == 0), special.get(k) or _value(k))
    ]
    pieces += [
        f"CASE WHEN h.{k} IS NULL OR json(h.{k}) = '{orjson.dumps(empty).decode()}' THEN ''"
        f" ELSE {_key(k)} || json(h.{k}) END"
        for k, empty in OPTIONAL_KEYS.items()
    ]
    # one concat() of the pieces: `||` would copy the growing text once per piece
    return f"CAST(concat({', '.join(pieces)}, '}}') AS BLOB)"


def changed_since(change: int, batch: int = 500) -> Iterator[list[Row]]:
    """Every household changed after `change` as (change number, id, rev, document as JSON),
    oldest change first, `batch` at a time: memory stays bounded however many there are."""
    sql = (
        f"SELECT h.change_seq, h.id, h.rev, {document_sql()} FROM household h"
        " WHERE h.change_seq > ? ORDER BY h.change_seq LIMIT ?"
    )
    while rows := database.execute_sql(sql, (change, batch)).fetchall():
        yield rows
        change = rows[-1][0]


def of(household_ids: list[str]) -> Iterator[list[Row]]:
    """These households (those that exist) as changed_since gives them (change number 0), in
    the order asked, 500 at a time."""
    for i in range(0, len(household_ids), 500):
        chunk = household_ids[i : i + 500]
        rows = database.execute_sql(
            f"SELECT 0, h.id, h.rev, {document_sql()} FROM household h"
            f" WHERE h.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        found = {row[1]: row for row in rows}
        yield [found[hid] for hid in chunk if hid in found]
