"""The reads of spreadsheet exports (issue 18): of each household, only the keys an export
profile uses, in the order of the ids asked for.

A full document (app/db/households.py `load_many`) parses every JSON column and builds every
member with all twenty keys; 50,000 households are ~3 s of that. An export needs a dozen keys,
so this reads those columns only and gives *partial* documents: the same keys with the same
values as the full document has (booleans as booleans, JSON parsed, optional keys absent when
empty, a column that is not a document key never read). Which keys a profile needs is the
profile's (app/core/export_profiles.py `needs`): the mapping of fields stays in one place.

Two ways to read, the same documents: a few households are looked up 500 at a time by id
(memory stays bounded); when the ids are at least half of the table, both tables are read once
in storage order and the rows put in the ids' order here (members sorted and grouped by
household in C). Looking up 200,000 members by index, household by household, was 1.15 s of CPU
at 50,000 households, the whole table in storage order is 0.55 s (each page decrypted once, in
turn). The price: the raw rows are held until their household's turn, ~140 MB more at the peak
of a 50,000-household export (440 MB for the CSV, was 300 MB); the documents are still made one
at a time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import groupby, repeat
from operator import itemgetter
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
Row = Sequence[Any]


def _household_columns(keys: Collection[str]) -> list[str]:
    """The household columns of these document keys (those the document has), in table order."""
    document_keys = {*load_schema()["required"], *OPTIONAL_KEYS}
    return [c for c in HOUSEHOLD_COLUMNS if c in keys and c in document_keys]


_HOUSEHOLD, _HOUSEHOLD_POSITION = itemgetter(-2), itemgetter(-2, -1)  # a member row's end


def _scanned(
    household_ids: list[str], select: str, member_select: str | None
) -> Iterator[tuple[Row, list[Row]]]:
    """(household row, its member rows) of the ids, both tables read once in storage order."""
    wanted = set(household_ids)
    found = {row[0]: row for row in database.execute_sql(f"SELECT {select} FROM household")
             if row[0] in wanted}  # fmt: skip
    members: dict[str, list[Row]] = {}
    if member_select is not None:
        rows = database.execute_sql(f"SELECT {member_select}, position FROM member").fetchall()
        rows.sort(key=_HOUSEHOLD_POSITION)  # sorted and grouped in C, not row by row
        members = {key: list(group) for key, group in groupby(rows, _HOUSEHOLD)}
        del rows
    for household_id in household_ids:
        if household_id in found:
            yield found.pop(household_id), members.pop(household_id, [])


def _looked_up(
    household_ids: list[str], select: str, member_select: str | None, batch: int
) -> Iterator[tuple[Row, list[Row]]]:
    """(household row, its member rows) of the ids, `batch` households a query."""
    for start in range(0, len(household_ids), batch):
        chunk = household_ids[start : start + batch]
        marks = ", ".join("?" * len(chunk))
        found = {row[0]: row for row in database.execute_sql(
            f"SELECT {select} FROM household WHERE id IN ({marks})", chunk)}  # fmt: skip
        members: dict[str, list[Row]] = {household_id: [] for household_id in found}
        if member_select is not None and found:
            sql = (f"SELECT {member_select} FROM member WHERE household_id IN ({marks})"
                   " ORDER BY household_id, position")  # fmt: skip
            for m in database.execute_sql(sql, chunk):
                members[m[-1]].append(m)
        for household_id in chunk:
            if household_id in found:
                yield found.pop(household_id), members.pop(household_id)


def _whole_table(household_ids: list[str], batch: int) -> bool:
    """Whether to read both tables whole: the ids are more than a few batches and at least half
    of the households."""
    if len(household_ids) < 4 * batch:
        return False
    total: int = database.execute_sql("SELECT count(*) FROM household").fetchone()[0]
    return 2 * len(household_ids) >= total


def partial_documents(
    household_ids: list[str],
    household_keys: Collection[str],
    member_keys: Collection[str] | None,
    batch: int = BATCH,
    whole: bool | None = None,
) -> Iterator[Document]:
    """Of the households with these ids that exist, in the order of `household_ids`: a document
    of `household_id`, `schema_version`, the `household_keys` and, unless `member_keys` is None,
    `members` (in their order) with only the `member_keys` (and `member_id`). `whole`: read
    both tables whole (True) or look the ids up (False); None decides by the numbers."""
    columns = _household_columns(household_keys)
    names = ("household_id", *columns)  # a household row: its id, then the columns
    loads = [c for c in columns if c in JSON_COLUMNS]
    bools = [c for c in columns if c in _BOOL_HOUSEHOLD_COLUMNS]
    optional = [(c, OPTIONAL_KEYS[c]) for c in columns if c in OPTIONAL_KEYS]
    wanted = [f for f in member_fields() if member_keys is not None and f in member_keys]
    member_names = repeat(("member_id", *wanted))  # zip stops before the trailing household_id
    member_bools = [f for f in wanted if f in BOOL_MEMBER_COLUMNS]
    select = ", ".join(["id", *columns])
    member_select = None if member_keys is None else ", ".join(["id", *wanted, "household_id"])
    pairs: Iterable[tuple[Row, list[Row]]]
    if _whole_table(household_ids, batch) if whole is None else whole:
        pairs = _scanned(household_ids, select, member_select)
    else:
        pairs = _looked_up(household_ids, select, member_select, batch)
    for row, member_rows in pairs:
        doc: Document = dict(zip(names, row, strict=True))
        for column in loads:
            doc[column] = orjson.loads(doc[column])
        for column in bools:
            doc[column] = bool(doc[column])
        for column, empty in optional:
            if doc[column] == empty:
                del doc[column]
        doc["schema_version"] = SCHEMA_VERSION
        if member_keys is not None:
            members = list(map(dict, map(zip, member_names, member_rows)))
            for member in members if member_bools else ():
                for f in member_bools:
                    member[f] = bool(member[f])
            doc["members"] = members
        yield doc
