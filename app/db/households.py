"""Household documents <-> rows. Saving replaces a household's rows in one transaction.

The columns mirror the document (DESIGN §3): households and members are queryable columns,
housing/assets/musyawarah/revs are JSON columns. `to_document(load(...))` is lossless. Rows
are read as the current schema version: those written before version 2 (migration 16 added
its columns, NULL) read with its answers empty, as app/core/upgrade.py reads a document.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import cache
from operator import itemgetter
from typing import Any

import orjson
import sqlcipher3

from app.core.document import SCHEMA_VERSION, Document, load_schema
from app.core.errors import UserError
from app.db.connection import database
from app.db.duplicates import Screen
from app.db.models import Household

HOUSEHOLD_COLUMNS = (
    "no_kk", "village_code", "rw", "rt", "address", "phone", "dtks_id", "house_photo", "housing",
    "assets", "musyawarah",
    "status", "registration_number", "exclusions", "exclusion_overrides", "matching", "created_at",
    "updated_at", "rev", "revs", "deleted", "withdrawal", "duplicate_acceptances", "dinsos_events",
)  # fmt: skip
JSON_COLUMNS = frozenset(
    {"housing", "assets", "musyawarah", "exclusions", "exclusion_overrides", "matching", "revs",
     "withdrawal", "duplicate_acceptances", "dinsos_events"}
)  # fmt: skip
OPTIONAL_KEYS: dict[str, list[Any] | None] = {
    "exclusion_overrides": [],
    "matching": None,
    "withdrawal": None,
    "duplicate_acceptances": [],
    "dinsos_events": [],
}  # document keys that may be absent, and their default
BOOL_MEMBER_COLUMNS = frozenset({"permanent_employee", "pregnant"})


@cache
def member_fields() -> tuple[str, ...]:
    """Member document keys stored as columns (member_id is stored as `id`)."""
    keys = load_schema()["properties"]["members"]["items"]["properties"]
    return tuple(k for k in keys if k != "member_id")


# How each household column is taken from a document: (key, stored as JSON, default if absent).
# Booleans need no conversion: SQLite stores True and False as 1 and 0.
_HOUSEHOLD_PLAN = tuple(
    (col, col in JSON_COLUMNS, OPTIONAL_KEYS.get(col)) for col in HOUSEHOLD_COLUMNS
)


NO_KK_AT = 1 + HOUSEHOLD_COLUMNS.index("no_kk")  # in a household row (`household_row`)


def household_values(doc: Document) -> tuple[Any, ...]:
    """(id, *HOUSEHOLD_COLUMNS) as raw SQLite values."""
    get = doc.get
    return (
        doc["household_id"],
        *[orjson.dumps(get(col, default)).decode() if is_json else get(col, default)
          for col, is_json, default in _HOUSEHOLD_PLAN],
    )  # fmt: skip


def household_row(doc: Document, members: list[tuple[Any, ...]] | None = None) -> tuple[Any, ...]:
    """A household's row as it is written: (id, *HOUSEHOLD_COLUMNS, members_digest);
    `members`: the document's `member_rows` when the caller has them already."""
    rows = member_rows(doc) if members is None else members
    return (*household_values(doc), members_digest(rows))


def members_digest(members: list[tuple[Any, ...]]) -> bytes:
    """What a household's member rows (`member_rows`) hash to, kept in its row (migration
    29): a bundle import sees that a changed household's members are the stored ones without
    reading them (issue 20: reading the members of 5,000 households cost 0.3-0.4 s of a
    re-import, most of it decrypting member pages). NULL in a row saved before: unknown."""
    return hashlib.blake2b(orjson.dumps(members), digest_size=16).digest()


@cache
def _member_values() -> Callable[[Document], tuple[Any, ...]]:
    """(member_id, *member_fields) of a member, taken in C (a quarter faster than a loop)."""
    return itemgetter("member_id", *member_fields())


@cache
def _nik_at() -> int:
    """Where a member row (`member_rows`) holds the NIK."""
    return 1 + member_fields().index("nik")


def member_rows(doc: Document) -> list[tuple[Any, ...]]:
    """(id, *member_fields, household_id, position) as raw SQLite values."""
    values = _member_values()
    hid = doc["household_id"]
    return [values(member) + (hid, position) for position, member in enumerate(doc["members"])]


def _insert_sql() -> tuple[str, str]:
    hh_cols = ("id", *HOUSEHOLD_COLUMNS, "members_digest", "change_seq")
    m_cols = ("id", *member_fields(), "household_id", "position")
    hh = f"INSERT INTO household ({', '.join(hh_cols)}) VALUES ({', '.join('?' * len(hh_cols))})"
    m = f"INSERT INTO member ({', '.join(m_cols)}) VALUES ({', '.join('?' * len(m_cols))})"
    return hh, m


# An upsert on the id only: `INSERT OR REPLACE` would also "resolve" a clash on another unique
# column (registration_number) by deleting the other household and, by cascade, its members.
UPSERT_SUFFIX = " ON CONFLICT (id) DO UPDATE SET " + ", ".join(
    f"{col} = excluded.{col}" for col in (*HOUSEHOLD_COLUMNS, "members_digest", "change_seq")
)


class ClashError(UserError):
    """A household whose registration number or member id belongs to another one; nothing
    was written."""


def last_change() -> int:
    """The newest change's number: every save and import of a household takes the next one."""
    return database.execute_sql("SELECT MAX(change_seq) FROM household").fetchone()[0] or 0


def count_changed(since: int, upto: int) -> int:
    """Households whose last change number is in (since, upto]."""
    households: int = database.execute_sql(
        "SELECT COUNT(*) FROM household WHERE change_seq > ? AND change_seq <= ?", (since, upto)
    ).fetchone()[0]
    return households


def save(doc: Document) -> None:
    """Insert or update one household and replace its members (caller validates the document).

    Raises ClashError (nothing changed) when its registration number or a member id belongs
    to another household."""
    save_many([doc], new=False, bulk=False)


NAME_INDEX_TRIGGER = "member_name_fts_insert"


def save_many(
    docs: Iterable[Document],
    new: bool,
    bulk: bool = True,
    members_kept: Collection[str] = (),
    screen: Screen | None = None,
) -> int:
    """Write households in one transaction with executemany: `new` ones are inserted (demo data,
    imports), others replace the stored household and its members. Each takes the next change
    number. Raises ClashError (nothing changed) on a clash with another household's
    registration number or member id. `members_kept`: households (replaced) whose stored
    member rows equal the new ones (`member_rows`); their members are neither deleted nor
    written again, nor their names indexed again (an import's update of one field).

    With `bulk`, the per-row trigger that indexes member names is set aside and each batch's
    names are indexed with one INSERT ... SELECT of the member rows it added (their `pk` is past
    the largest before it): 1.0 s instead of 2.6 s for 194,000 names; the trigger's own SQL is
    put back, inside the same transaction.

    Inside a transaction the caller already holds (a bundle import calls this once per batch),
    the rows are written in it without a savepoint of their own: each savepoint makes SQLite's
    full-text index write out its pending names, which made a 50,000-household import three
    times slower. An error then leaves the caller's transaction to roll back, as every caller
    does by letting the error leave its `atomic()` block.

    `screen`: a bundle import's duplicate look-up (app/db/duplicates.py `Screen`), told the No.
    KK and NIK values written, the kept members' NIKs too."""
    if isinstance(docs, list) and not docs:  # nothing to write, no trigger to set aside
        return 0
    kept: list[tuple[Any, ...]] = []  # the member rows of households whose members stay

    def rows(doc: Document) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        members = member_rows(doc)
        if doc["household_id"] not in members_kept:
            return household_row(doc, members), members
        if screen is not None:
            kept.extend(members)
        return household_row(doc, members), []

    count = write_rows(map(rows, docs), new, bulk, members_kept, screen)
    if screen is not None and kept:
        screen.note(*_values([], kept))
    return count


def write_rows(
    rows: Iterable[tuple[tuple[Any, ...], list[tuple[Any, ...]]]],
    new: bool,
    bulk: bool = True,
    members_kept: Collection[str] = (),
    screen: Screen | None = None,
) -> int:
    """`save_many` of households given as their rows: (`household_row`, `member_rows`) each
    (a bundle import's child process built them, app/services/sync/decoder.py)."""
    if isinstance(rows, list) and not rows:
        return 0
    hh_sql, m_sql = _insert_sql()
    if not new:
        hh_sql += UPSERT_SUFFIX
    count = 0
    own = contextlib.nullcontext() if database.in_transaction() else database.atomic()
    try:
        with own:
            conn = database.connection()
            seq = last_change()
            trigger = _drop_trigger(conn, NAME_INDEX_TRIGGER) if bulk else None
            batch_h: list[tuple[Any, ...]] = []
            batch_m: list[tuple[Any, ...]] = []

            def flush() -> None:
                if screen is not None and new:  # looked up before, the index pages are read
                    screen.note_before(*_values(batch_h, batch_m))  # once for both
                if not new:
                    conn.executemany("DELETE FROM member WHERE household_id = ?",
                                     [(row[0],) for row in batch_h
                                      if row[0] not in members_kept])  # fmt: skip
                conn.executemany(hh_sql, batch_h)
                last = conn.execute("SELECT MAX(pk) FROM member").fetchone()[0] or 0
                conn.executemany(m_sql, batch_m)
                if trigger is not None:  # index the names of the members just written
                    conn.execute("INSERT INTO member_name_fts (rowid, name)"
                                 " SELECT pk, name FROM member WHERE pk > ?", (last,))  # fmt: skip
                if screen is not None and not new:  # updates: their own old rows held them
                    screen.note(*_values(batch_h, batch_m))
                batch_h.clear()
                batch_m.clear()

            for household, members in rows:
                seq += 1
                batch_h.append((*household, seq))
                batch_m.extend(members)
                count += 1
                if len(batch_h) >= 2000:
                    flush()
            flush()
            if trigger is not None:
                conn.execute(trigger)
    except sqlcipher3.IntegrityError as exc:
        raise ClashError(
            "Data bertabrakan dengan keluarga lain yang tersimpan (nomor registrasi atau "
            "anggota yang sama).",
            str(exc),
        ) from None
    return count


def _values(
    households: list[tuple[Any, ...]], members: list[tuple[Any, ...]]
) -> tuple[list[Any], list[Any]]:
    """The No. KK of these household rows and the NIKs of these member rows."""
    nik = _nik_at()
    return [h[NO_KK_AT] for h in households], [m[nik] for m in members]


def _drop_trigger(conn: sqlcipher3.Connection, name: str) -> str:
    """Drop a trigger (inside the caller's transaction) and return the SQL that made it."""
    sql: str = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).fetchone()[0]
    conn.execute(f"DROP TRIGGER {name}")
    return sql


def insert_many(docs: Iterable[Document]) -> int:
    """Bulk insert of new households (demo data, imports): one transaction, executemany."""
    return save_many(docs, new=True)


_SELECT_HOUSEHOLDS = f"SELECT id, {', '.join(HOUSEHOLD_COLUMNS)} FROM household"


def _documents(rows: list[tuple[Any, ...]]) -> list[Document]:
    """Documents from household rows (id, *HOUSEHOLD_COLUMNS), with their members."""
    if not rows:
        return []
    fields = member_fields()
    keys = ("member_id", *fields)
    bools = [f for f in fields if f in BOOL_MEMBER_COLUMNS]
    ids = [row[0] for row in rows]
    members: dict[str, list[Document]] = {i: [] for i in ids}
    sql = (f"SELECT household_id, id, {', '.join(fields)} FROM member"
           f" WHERE household_id IN ({', '.join('?' * len(ids))})"
           " ORDER BY household_id, position")  # fmt: skip
    for m in database.execute_sql(sql, ids).fetchall():
        member = dict(zip(keys, m[1:], strict=True))
        for f in bools:
            member[f] = bool(member[f])
        members[m[0]].append(member)
    required = load_schema()["required"]
    docs = []
    for row in rows:
        doc: Document = dict(zip(HOUSEHOLD_COLUMNS, row[1:], strict=True))
        for col in JSON_COLUMNS:
            doc[col] = orjson.loads(doc[col])
        doc.update(schema_version=SCHEMA_VERSION, household_id=row[0], members=members[row[0]])
        doc["deleted"] = bool(doc["deleted"])
        doc["house_photo"] = bool(doc["house_photo"])
        loaded = {key: doc[key] for key in required}
        loaded.update({k: doc[k] for k, empty in OPTIONAL_KEYS.items() if doc[k] != empty})
        docs.append(loaded)
    return docs


def load(household_id: str) -> Document | None:
    """The household's document, or None when there is no such household."""
    rows = database.execute_sql(_SELECT_HOUSEHOLDS + " WHERE id = ?", (household_id,)).fetchall()
    return _documents(rows)[0] if rows else None


def changed_since(change: int, batch: int = 500) -> Iterator[tuple[int, Document]]:
    """(change number, document) of every household changed after `change`, oldest change
    first, read in batches: memory stays bounded however many there are."""
    while True:
        rows = database.execute_sql(
            f"SELECT change_seq, id, {', '.join(HOUSEHOLD_COLUMNS)} FROM household"
            " WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
            (change, batch),
        ).fetchall()
        if not rows:
            return
        docs = _documents([row[1:] for row in rows])
        yield from zip((row[0] for row in rows), docs, strict=True)
        change = rows[-1][0]


def heads(household_ids: list[str]) -> dict[str, tuple[str | None, list[str], bool]]:
    """(rev, revs, deleted) of the stored households among these ids: what merging needs."""
    found: dict[str, tuple[str | None, list[str], bool]] = {}
    for i in range(0, len(household_ids), 500):
        chunk = household_ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT id, rev, revs, deleted FROM household WHERE id IN ({marks})"
        rows = database.execute_sql(sql, chunk).fetchall()
        found.update((r[0], (r[1], orjson.loads(r[2]), bool(r[3]))) for r in rows)
    return found


def winner_revisions(household_ids: list[str]) -> dict[str, str]:
    """The revision of each stored household among these ids: enough to see that an incoming
    version is the stored one (a bundle import then neither parses nor hashes it further)."""
    found: dict[str, str] = {}
    for i in range(0, len(household_ids), 500):
        chunk = household_ids[i : i + 500]
        sql = f"SELECT id, rev FROM household WHERE id IN ({', '.join('?' * len(chunk))})"
        found.update(database.execute_sql(sql, chunk).fetchall())
    return found


def exists(household_id: str) -> bool:
    return Household.select().where(Household.id == household_id).exists()


def touch(household_ids: list[str]) -> None:
    """Give these households the next change numbers (their kept conflict versions changed),
    so the next export carries them."""
    seq = last_change()
    database.connection().executemany(
        "UPDATE household SET change_seq = ? WHERE id = ?",
        [(seq + i, hid) for i, hid in enumerate(household_ids, start=1)],
    )


def ids_under(prefix: str) -> list[str]:
    """The ids of the stored households whose village code starts with `prefix`."""
    rows = database.execute_sql(
        "SELECT id FROM household WHERE village_code >= ? AND village_code < ?",
        (prefix, prefix + "\x7f"),
    ).fetchall()
    return [r[0] for r in rows]


def count_under(prefix: str, limit: int) -> int:
    """How many stored households have a village code starting with `prefix`, counted up to
    `limit` (read through the village index)."""
    count: int = database.execute_sql(
        "SELECT COUNT(*) FROM (SELECT 1 FROM household"
        " WHERE village_code >= ? AND village_code < ? LIMIT ?)",
        (prefix, prefix + "\x7f", limit),
    ).fetchone()[0]
    return count
