"""Household documents <-> rows. Saving replaces a household's rows in one transaction.

The columns mirror the document (DESIGN §3): households and members are queryable columns,
housing/assets/musyawarah/revs are JSON columns. `to_document(load(...))` is lossless.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
import sqlcipher3
from peewee import IntegrityError

from app.db.connection import database
from app.db.models import Household, Member
from app.document import Document, load_schema

HOUSEHOLD_COLUMNS = (
    "no_kk", "village_code", "rw", "rt", "address", "phone", "housing", "assets", "musyawarah",
    "status", "registration_number", "exclusions", "exclusion_overrides", "created_at",
    "updated_at", "rev", "revs", "deleted",
)  # fmt: skip
JSON_COLUMNS = frozenset(
    {"housing", "assets", "musyawarah", "exclusions", "exclusion_overrides", "revs"}
)
OPTIONAL_KEYS = {"exclusion_overrides": []}  # document keys that may be absent, and their default
BOOL_MEMBER_COLUMNS = frozenset({"permanent_employee", "pregnant"})


def member_fields() -> list[str]:
    """Member document keys stored as columns (member_id is stored as `id`)."""
    keys = load_schema()["properties"]["members"]["items"]["properties"]
    return [k for k in keys if k != "member_id"]


def household_row(doc: Document) -> tuple[Any, ...]:
    """(id, *HOUSEHOLD_COLUMNS) as raw SQLite values."""
    values = [doc["household_id"]]
    for col in HOUSEHOLD_COLUMNS:
        value = doc.get(col, OPTIONAL_KEYS.get(col))
        if col in JSON_COLUMNS:
            value = orjson.dumps(value).decode()
        elif col == "deleted":
            value = int(value)
        values.append(value)
    return tuple(values)


def member_rows(doc: Document) -> list[tuple[Any, ...]]:
    """(id, household_id, position, *member_fields) as raw SQLite values."""
    fields = member_fields()
    rows = []
    for position, member in enumerate(doc["members"]):
        values = [member["member_id"], doc["household_id"], position]
        values += [int(member[f]) if f in BOOL_MEMBER_COLUMNS else member[f] for f in fields]
        rows.append(tuple(values))
    return rows


def _insert_sql() -> tuple[str, str]:
    hh_cols = ("id", *HOUSEHOLD_COLUMNS)
    m_cols = ("id", "household_id", "position", *member_fields())
    hh = f"INSERT INTO household ({', '.join(hh_cols)}) VALUES ({', '.join('?' * len(hh_cols))})"
    m = f"INSERT INTO member ({', '.join(m_cols)}) VALUES ({', '.join('?' * len(m_cols))})"
    return hh, m


# An upsert on the id only: `INSERT OR REPLACE` would also "resolve" a clash on another unique
# column (registration_number) by deleting the other household and, by cascade, its members.
UPSERT_SUFFIX = " ON CONFLICT (id) DO UPDATE SET " + ", ".join(
    f"{col} = excluded.{col}" for col in HOUSEHOLD_COLUMNS
)


def save(doc: Document) -> None:
    """Insert or update one household and replace its members (caller validates the document).

    Raises IntegrityError (nothing changed) when its registration number or a member id belongs
    to another household."""
    hh_sql, m_sql = _insert_sql()
    try:
        with database.atomic():
            conn = database.connection()
            conn.execute("DELETE FROM member WHERE household_id = ?", (doc["household_id"],))
            conn.execute(hh_sql + UPSERT_SUFFIX, household_row(doc))
            conn.executemany(m_sql, member_rows(doc))
    except sqlcipher3.IntegrityError as exc:  # the raw driver's; callers know peewee's
        raise IntegrityError(str(exc)) from None


def insert_many(docs: Iterable[Document]) -> int:
    """Bulk insert of new households (demo data, imports): one transaction, executemany."""
    hh_sql, m_sql = _insert_sql()
    count = 0
    with database.atomic():
        conn = database.connection()
        batch_h: list[tuple[Any, ...]] = []
        batch_m: list[tuple[Any, ...]] = []
        for doc in docs:
            batch_h.append(household_row(doc))
            batch_m.extend(member_rows(doc))
            count += 1
            if len(batch_h) >= 2000:
                conn.executemany(hh_sql, batch_h)
                conn.executemany(m_sql, batch_m)
                batch_h, batch_m = [], []
        conn.executemany(hh_sql, batch_h)
        conn.executemany(m_sql, batch_m)
    return count


def load(household_id: str) -> Document | None:
    """The household's document, or None when there is no such household."""
    row = Household.get_or_none(Household.id == household_id)
    if row is None:
        return None
    doc: Document = {"schema_version": 1, "household_id": row.id}
    for col in HOUSEHOLD_COLUMNS:
        doc[col] = getattr(row, col)
    doc["deleted"] = bool(doc["deleted"])
    fields = member_fields()
    members = []
    for m in Member.select().where(Member.household == row.id).order_by(Member.position):
        member = {"member_id": m.id}
        for f in fields:
            value = getattr(m, f)
            member[f] = bool(value) if f in BOOL_MEMBER_COLUMNS else value
        members.append(member)
    doc["members"] = members
    loaded = {key: doc[key] for key in load_schema()["required"]}
    loaded.update({k: doc[k] for k, empty in OPTIONAL_KEYS.items() if doc[k] != empty})
    return loaded


def exists(household_id: str) -> bool:
    return Household.select().where(Household.id == household_id).exists()
