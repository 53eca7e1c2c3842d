"""The audit log: append-only and hash-chained, so that editing or deleting a row shows.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own canonical
content. Triggers refuse UPDATE and DELETE through SQLite; `verify()` catches what a tool that
drops the triggers (or edits the file) does anyway, and names the first entry that is wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from app.core.document import now_iso
from app.db import settings
from app.db.connection import database

GENESIS = "0" * 64
HEAD_KEY = "audit_head"  # seq:hash of the newest entry, so deleting the last rows shows too


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    officer: str | None
    action: str
    household_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    officer: str | None,
    action: str,
    household_id: str | None,
    detail: dict[str, Any],
) -> str:
    body = orjson.dumps(
        [seq, at, officer, action, household_id, detail], option=orjson.OPT_SORT_KEYS
    )
    return hashlib.sha256(prev_hash.encode() + body).hexdigest()


def append(action: str, *, officer: str | None = None, household_id: str | None = None,
           detail: dict[str, Any] | None = None) -> Entry:  # fmt: skip
    """Add an entry (inside the caller's transaction, so it commits with the change).

    It chains onto the head pointer, not onto the last row: if someone deleted the newest
    rows, the next entry leaves the gap visible instead of papering over it."""
    detail = detail or {}
    with database.atomic():
        seq, prev = _next()
        at = now_iso()
        digest = entry_hash(prev, seq, at, officer, action, household_id, detail)
        database.execute_sql(
            "INSERT INTO audit_log"
            " (seq, at, officer, action, household_id, detail, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, officer, action, household_id, orjson.dumps(detail).decode(), prev, digest),
        )
        settings.put(HEAD_KEY, f"{seq}:{digest}")
    return Entry(seq, at, officer, action, household_id, detail, prev, digest)


def _next() -> tuple[int, str]:
    """The next entry's number and the hash it chains onto (the head pointer's)."""
    head = settings.get(HEAD_KEY)
    if head is None:
        return 1, GENESIS
    last_seq, last_hash = head.split(":", 1)
    return int(last_seq) + 1, last_hash


def append_many(
    action: str, entries: Iterable[tuple[str | None, dict[str, Any]]], *, officer: str | None
) -> int:
    """Add one entry per (household_id, detail), chained as `append` chains them, with one
    executemany (inside the caller's transaction): per-household entries of a bulk change
    (app/services/dinsos_status.py). Returns how many."""
    with database.atomic():
        seq, prev = _next()
        at = now_iso()
        rows = []
        for household_id, detail in entries:
            digest = entry_hash(prev, seq, at, officer, action, household_id, detail)
            text = orjson.dumps(detail).decode()
            rows.append((seq, at, officer, action, household_id, text, prev, digest))
            seq, prev = seq + 1, digest
        if rows:
            database.connection().executemany(
                "INSERT INTO audit_log"
                " (seq, at, officer, action, household_id, detail, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            settings.put(HEAD_KEY, f"{seq - 1}:{prev}")
    return len(rows)


# seq, at, officer, action, household_id, detail (JSON text), prev_hash, hash
type _Row = tuple[int, str, str | None, str, str | None, str, str, str]


def entries(household_id: str | None = None) -> list[Entry]:
    sql = "SELECT seq, at, officer, action, household_id, detail, prev_hash, hash FROM audit_log"
    params: tuple[str, ...] = ()
    if household_id:
        sql += " WHERE household_id = ?"
        params = (household_id,)
    rows: list[_Row] = database.execute_sql(sql + " ORDER BY seq", params).fetchall()
    return [Entry(*r[:5], orjson.loads(r[5]), *r[6:]) for r in rows]


def verify() -> tuple[int, str | None]:
    """(entries checked, None) when intact, else (entries checked, what is wrong and where)."""
    prev, expected_seq = GENESIS, 1
    rows = database.execute_sql(
        "SELECT seq, at, officer, action, household_id, detail, prev_hash, hash"
        " FROM audit_log ORDER BY seq"
    )
    count = 0
    for seq, at, officer, action, household_id, detail, prev_hash, digest in rows:
        count += 1
        if seq != expected_seq:
            return count, f"entry {expected_seq} is missing (next entry is {seq})"
        if prev_hash != prev:
            return count, f"entry {seq} does not follow entry {seq - 1} (chain broken)"
        try:
            content = orjson.loads(detail)
        except orjson.JSONDecodeError:
            return count, f"entry {seq} has been altered (unreadable detail)"
        if entry_hash(prev, seq, at, officer, action, household_id, content) != digest:
            return count, f"entry {seq} has been altered (hash mismatch)"
        prev, expected_seq = digest, seq + 1
    head = settings.get(HEAD_KEY)
    if head is not None and head != f"{expected_seq - 1}:{prev}":
        return count, f"entries after {expected_seq - 1} have been deleted (head was {head[:12]}…)"
    return count, None


# --- reading, for the audit screen -----------------------------------------------------------


@dataclass(frozen=True)
class ListedEntry:
    seq: int
    at: str
    officer: str | None
    action: str
    household_id: str | None
    registration_number: str | None  # of the household, when it (still) exists
    detail: dict[str, Any]


# seq, at, officer, action, household_id, registration_number, detail (JSON text)
type _ListedRow = tuple[int, str, str | None, str, str | None, str | None, str]


def page(
    *,
    officer: str | None = None,
    since: str | None = None,
    until: str | None = None,
    household: str | None = None,
    before_seq: int | None = None,
    limit: int = 200,
) -> list[ListedEntry]:
    """Entries newest first, at most `limit`: by `officer` (username), `at` in [since, until)
    (UTC ISO strings as stored), `household` (a registration number or a household id), and
    older than `before_seq` (the next page)."""
    where: list[str]
    params: list[str | int]
    where, params = [], []
    if officer:
        where.append("a.officer = ?")
        params.append(officer)
    if since:
        where.append("a.at >= ?")
        params.append(since)
    if until:
        where.append("a.at < ?")
        params.append(until)
    if household:
        by_number = "SELECT id FROM household WHERE registration_number = ?"
        where.append(f"a.household_id = coalesce(({by_number}), ?)")
        params += [household, household]
    if before_seq is not None:
        where.append("a.seq < ?")
        params.append(before_seq)
    sql = (
        "SELECT a.seq, a.at, a.officer, a.action, a.household_id, h.registration_number,"
        " a.detail FROM audit_log a LEFT JOIN household h ON h.id = a.household_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows: Iterable[_ListedRow] = database.execute_sql(
        sql + " ORDER BY a.seq DESC LIMIT ?", (*params, limit)
    )
    return [ListedEntry(*r[:6], _readable(r[6])) for r in rows]


def _readable(detail: str) -> dict[str, Any]:
    """The stored detail; an altered, unreadable one is shown as it is (verify names it)."""
    try:
        content: dict[str, Any] = orjson.loads(detail)
        return content
    except orjson.JSONDecodeError:
        return {"unreadable": detail}


# The audit entries that register a household on this installation: a save or import that
# gave it its registration number (app/db/recaps.py counts them per officer and day).
REGISTRATION_ACTIONS = "action IN ('household.save', 'household.import')"
NUMBERED = "json_extract(detail, '$.changes.registration_number[1]') IS NOT NULL"


def registered_by(household_id: str) -> tuple[str | None, str] | None:
    """(officer, at) of the entry that registered the household on this installation: the save
    or import that gave it its registration number, else (a draft) the first that stored it.
    None for a household that only arrived in bundles."""
    base = f"SELECT officer, at FROM audit_log WHERE household_id = ? AND {REGISTRATION_ACTIONS}"
    numbered = f" AND {NUMBERED}"
    for sql in (base + numbered, base):
        row = database.execute_sql(sql + " ORDER BY seq LIMIT 1", (household_id,)).fetchone()
        if row is not None:
            return row[0], row[1]
    return None


# --- the chain's head, for the bundles' manifests (issue 15) --------------------------------


@dataclass(frozen=True)
class ChainHead:
    """What a bundle tells its receiver about this installation's audit log: the number of
    entries and the hash of the last, the hashes of the entries at earlier heads (`marks`, by
    count) and, when `verify` finds the chain broken, what it found (no personal data)."""

    count: int
    hash: str
    marks: dict[int, str]
    problem: str | None


def chain_head(marks: Iterable[int] = ()) -> ChainHead:
    """The head as the rows hold it, after checking the whole chain, with the hashes of the
    entries at the counts `marks` (those still present)."""
    _checked, problem = verify()
    last = database.execute_sql(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    count, digest = (0, GENESIS) if last is None else (int(last[0]), str(last[1]))
    wanted = sorted({m for m in marks if 0 < m <= count})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        rows = database.execute_sql(
            f"SELECT seq, hash FROM audit_log WHERE seq IN ({','.join('?' * len(part))})", part
        )
        found.update((int(seq), str(h)) for seq, h in rows)
    return ChainHead(count, digest, found, problem)
