"""The reads of spreadsheet exports (issue 18): of each household, only the keys an export
profile uses, read in batches of ids and in their order.

A full document (app/db/households.py `load_many`) parses every JSON column and builds every
member with all twenty keys; 50,000 households are ~3 s of that. An export needs a dozen keys,
so this reads those columns only and gives *partial* documents: the same keys with the same
values as the full document has (booleans as booleans, JSON parsed, optional keys absent when
empty, a column that is not a document key never read). Which keys a profile needs is the
profile's (app/core/export_profiles.py `needs`): the mapping of fields stays in one place.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

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

BATCH = 500  # households a query reads: memory stays bounded at 50,000
_BOOL_HOUSEHOLD_COLUMNS = frozenset({"deleted", "house_photo"})


def _household_columns(keys: Collection[str]) -> list[str]:
    """The household columns of these document keys (those the document has), in table order."""
    document_keys = {*load_schema()["required"], *OPTIONAL_KEYS}
    return [c for c in HOUSEHOLD_COLUMNS if c in keys and c in document_keys]


def partial_documents(
    household_ids: list[str],
    household_keys: Collection[str],
    member_keys: Collection[str] | None,
    batch: int = BATCH,
) -> Iterator[Document]:
    """Of the households with these ids that exist, in the order of `household_ids`: a document
    of `household_id`, `schema_version`, the `household_keys` and, unless `member_keys` is None,
    `members` (in their order) with only the `member_keys` (and `member_id`)."""
    columns = _household_columns(household_keys)
    loads = [(i, c) for i, c in enumerate(columns, 1) if c in JSON_COLUMNS]
    bools = [(i, c) for i, c in enumerate(columns, 1) if c in _BOOL_HOUSEHOLD_COLUMNS]
    optional = [(c, OPTIONAL_KEYS[c]) for c in columns if c in OPTIONAL_KEYS]
    stored = member_fields()
    wanted = [f for f in stored if member_keys is not None and f in member_keys]
    member_names = ("member_id", *wanted)
    member_bools = [f for f in wanted if f in BOOL_MEMBER_COLUMNS]
    select = ", ".join(["id", *columns])
    for start in range(0, len(household_ids), batch):
        chunk = household_ids[start : start + batch]
        marks = ", ".join("?" * len(chunk))
        rows = database.execute_sql(
            f"SELECT {select} FROM household WHERE id IN ({marks})", chunk
        ).fetchall()
        members: dict[str, list[dict[str, Any]]] = {row[0]: [] for row in rows}
        if member_keys is not None and rows:
            sql = (f"SELECT household_id, {', '.join(['id', *wanted])} FROM member"
                   f" WHERE household_id IN ({marks}) ORDER BY household_id, position")  # fmt: skip
            for m in database.execute_sql(sql, chunk).fetchall():
                member = dict(zip(member_names, m[1:], strict=True))
                for f in member_bools:
                    member[f] = bool(member[f])
                members[m[0]].append(member)
        found: dict[str, Document] = {}
        for row in rows:
            values = list(row)
            for i, _column in loads:
                values[i] = orjson.loads(values[i])
            for i, _column in bools:
                values[i] = bool(values[i])
            doc: Document = dict(zip(columns, values[1:], strict=True))
            for column, empty in optional:
                if doc[column] == empty:
                    del doc[column]
            doc["household_id"], doc["schema_version"] = row[0], SCHEMA_VERSION
            if member_keys is not None:
                doc["members"] = members[row[0]]
            found[row[0]] = doc
        for household_id in chunk:
            if household_id in found:
                yield found[household_id]
