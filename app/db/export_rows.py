"""The reads of spreadsheet exports (issue 18): of each household, only the keys an export
profile uses, in the order of the ids asked for.

A full document (app/db/canonical.py `load_many`) is every JSON column and every member with
all twenty keys, written and parsed again: 50,000 households are ~1.6 s of that (~3 s when
they were built in Python, as `households.load` still does). An export needs a dozen keys,
so this reads those columns only and gives *partial* documents: the same keys with the same
values as the full document has (booleans as booleans, JSON parsed, optional keys absent when
empty, a column that is not a document key never read). Which keys a profile needs is the
profile's (app/core/export_cells.py `needs`): the mapping of fields stays in one place.

Two ways to read, the same documents, made one household at a time:
- many ids (a few batches or more): the ids go into a temporary table of their order (one
  statement, `json_each`; temp_store is memory, app/db/connection.py), and SQLite hands both
  tables over in that order, one query each: the households by id (their rows held: ~35 MB at
  50,000), the members by the index (household_id, position), streamed. 50,000 households of
  ~200,000 members: ~0.8 s of CPU, what reading both tables whole and putting the rows in
  order in Python took, without holding every member row (~150 MB at the peak);
- a few: looked up 500 at a time with `IN (...)`.

With `member_tuples`, a member is the row SQLite gives (its values in the order of the keys
asked for, then what the reading needs): no dict per member (200,000 dicts: ~0.2 s).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import count, groupby, repeat
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


_ORDER_TABLES = count()  # each reading its own temporary table of the order
_PLACE = itemgetter(-1)  # a row of `_in_order` ends with its household's place in the order
_NO_MEMBERS: tuple[Any, Iterator[Row]] = (None, iter(()))


def _in_order(
    household_ids: list[str], columns: list[str], member_columns: list[str] | None
) -> Iterator[tuple[Row, list[Row]]]:
    """(household row, its member rows) of the ids, in their order: one query per table over a
    temporary table of the order; a member row ends with its household's place in it. The
    member query starts first, so that both read the same snapshot of the database, and the
    households are fetched before the members are read (a household page and a member page
    read by turns would not both stay in the page cache: +0.5 s at 50,000)."""
    table = f"temp.export_order_{next(_ORDER_TABLES)}"
    database.execute_sql(f"CREATE TABLE {table} (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)")
    members = None
    try:
        database.execute_sql(f"INSERT OR IGNORE INTO {table} (id) SELECT value FROM json_each(?)",
                             (orjson.dumps(household_ids).decode(),))  # fmt: skip
        groups: Iterator[tuple[Any, Iterator[Row]]] = iter(())
        if member_columns is not None:  # by the index (household_id, position): no sorting
            members = database.execute_sql(
                f"SELECT {', '.join(member_columns)}, o.n FROM {table} o"
                " CROSS JOIN member m ON m.household_id = o.id ORDER BY o.n, m.position"
            )
            groups = groupby(members, _PLACE)
        select = ", ".join(f"h.{c}" for c in ["id", *columns])
        households = database.execute_sql(f"SELECT {select}, o.n FROM {table} o"
                                          " CROSS JOIN household h ON h.id = o.id ORDER BY o.n"
                                          ).fetchall()  # fmt: skip
        place, group = next(groups, _NO_MEMBERS)
        for row in households:
            while place is not None and place < row[-1]:  # members of no household read
                place, group = next(groups, _NO_MEMBERS)
            found: list[Row] = []
            if place == row[-1]:
                found = list(group)
                place, group = next(groups, _NO_MEMBERS)
            yield row[:-1], found
    finally:  # also when the reading stops early (a refusal, a closed generator)
        if database.obj is not None and not database.is_closed():  # else the table went with it
            if members is not None:
                members.close()
            database.execute_sql(f"DROP TABLE IF EXISTS {table}")


def _looked_up(
    household_ids: list[str], columns: list[str], member_columns: list[str] | None, batch: int
) -> Iterator[tuple[Row, list[Row]]]:
    """(household row, its member rows) of the ids, `batch` households a query; a member row
    ends with its household's id."""
    select = ", ".join(["id", *columns])
    for start in range(0, len(household_ids), batch):
        chunk = household_ids[start : start + batch]
        marks = ", ".join("?" * len(chunk))
        found = {row[0]: row for row in database.execute_sql(
            f"SELECT {select} FROM household WHERE id IN ({marks})", chunk)}  # fmt: skip
        members: dict[str, list[Row]] = {household_id: [] for household_id in found}
        if member_columns is not None and found:
            sql = (f"SELECT {', '.join(member_columns)}, m.household_id FROM member m WHERE"
                   f" m.household_id IN ({marks}) ORDER BY m.household_id, m.position")  # fmt: skip
            for m in database.execute_sql(sql, chunk):
                members[m[-1]].append(m)  # its household's id
        for household_id in chunk:
            if household_id in found:
                yield found.pop(household_id), members.pop(household_id)


def _whole_table(household_ids: list[str], batch: int) -> bool:
    """Whether to read the ids in order in one query per table (else `batch` at a time): more
    than a few batches of them."""
    return len(household_ids) >= 4 * batch


def _member_columns(keys: Sequence[str]) -> list[str]:
    """The member columns of these document keys, in their order (NULL for a key that is not
    a column: the member has no such key)."""
    fields = set(member_fields())
    return ["m.id" if k == "member_id" else f"m.{k}" if k in fields else "NULL" for k in keys]


def partial_documents(
    household_ids: list[str],
    household_keys: Collection[str],
    member_keys: Sequence[str] | None,
    batch: int = BATCH,
    whole: bool | None = None,
    member_tuples: bool = False,
) -> Iterator[Document]:
    """Of the households with these ids that exist, in the order of `household_ids` (each
    once): a document of `household_id`, `schema_version`, the `household_keys` and, unless
    `member_keys` is None, `members` (in their order) with only the `member_keys` (and
    `member_id`). With `member_tuples`, each member is a tuple beginning with the values of
    `member_keys`, in their order (None where the member has no such key): no dict per member
    (app/core/export_cells.py `row_builder(profile, layout)`). `whole`: read in one query per
    table (True) or look the ids up `batch` at a time (False); None decides by the numbers."""
    household_ids = list(dict.fromkeys(household_ids))
    columns = _household_columns(household_keys)
    names = ("household_id", *columns)  # a household row: its id, then the columns
    loads = [c for c in columns if c in JSON_COLUMNS]
    bools = [c for c in columns if c in _BOOL_HOUSEHOLD_COLUMNS]
    optional = [(c, OPTIONAL_KEYS[c]) for c in columns if c in OPTIONAL_KEYS]
    layout: list[str] = []  # the keys of a member row, in order
    if member_keys is not None and member_tuples:
        layout = list(member_keys)
    elif member_keys is not None:
        layout = ["member_id", *[f for f in member_fields() if f in member_keys]]
    member_names = repeat(layout)  # zip stops before a member row's trailer
    member_bools = [i for i, key in enumerate(layout) if key in BOOL_MEMBER_COLUMNS]
    member_columns = None if member_keys is None else _member_columns(layout)
    pairs: Iterable[tuple[Row, list[Row]]]
    if _whole_table(household_ids, batch) if whole is None else whole:
        pairs = _in_order(household_ids, columns, member_columns)
    else:
        pairs = _looked_up(household_ids, columns, member_columns, batch)
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
            if member_bools:  # SQLite's 0 and 1 as the document's booleans
                member_rows = [tuple(bool(v) if i in member_bools else v for i, v in enumerate(m))
                               for m in member_rows]  # fmt: skip
            as_dicts = map(dict, map(zip, member_names, member_rows))
            doc["members"] = member_rows if member_tuples else list(as_dicts)
        yield doc
