"""Every bundle this installation wrote or took in (issue 6), by id, with what became of each
household of a bundle taken in, and which households (and revisions) each bundle sent carried
(`bundle_content`, migration 14). `direction` is `out` or `in`; `peer` is the other side's
fingerprint. `acknowledged_at` is, for a bundle sent, when its acknowledgement came back, and
for a bundle taken in, when this installation acknowledged it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from app.core.document import now_iso
from app.db.connection import database


@dataclass(frozen=True)
class Entry:
    bundle_id: str
    kind: str
    direction: str
    peer: str
    sequence: int
    manifest_hash: str
    previous_hash: str | None
    created_at: str
    logged_at: str
    officer: str | None
    counts: dict[str, Any]
    acknowledged_at: str | None
    ack_counts: dict[str, int] | None


_COLUMNS = (
    "bundle_id, kind, direction, peer, sequence, manifest_hash, previous_hash,"
    " created_at, logged_at, officer, counts, acknowledged_at, ack_counts"
)


def _entry(row: tuple[Any, ...]) -> Entry:
    values = list(row)
    values[10] = orjson.loads(values[10])
    values[12] = orjson.loads(values[12]) if values[12] else None
    return Entry(*values)


def get(bundle_id: str) -> Entry | None:
    row = database.execute_sql(
        f"SELECT {_COLUMNS} FROM bundle_log WHERE bundle_id = ?", (bundle_id,)
    ).fetchone()
    return None if row is None else _entry(row)


def entries(peer: str, direction: str) -> list[Entry]:
    """The bundles exchanged with `peer` in one direction, by sequence."""
    rows = database.execute_sql(
        f"SELECT {_COLUMNS} FROM bundle_log WHERE peer = ? AND direction = ? ORDER BY sequence",
        (peer, direction),
    ).fetchall()
    return [_entry(r) for r in rows]


def record(
    bundle_id: str,
    kind: str,
    direction: str,
    peer: str,
    sequence: int,
    manifest_hash: str,
    previous_hash: str | None,
    created_at: str,
    officer: str | None,
    counts: dict[str, Any],
    audit_head: tuple[int, str] | None = None,
) -> None:
    """Log a bundle; `counts` holds its record counts and whether it was a full export;
    `audit_head` is the sender's audit chain head (count, hash) its manifest carried."""
    database.execute_sql(
        "INSERT INTO bundle_log (bundle_id, kind, direction, peer, sequence, manifest_hash,"
        " previous_hash, created_at, logged_at, officer, counts, audit_count, audit_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            bundle_id,
            kind,
            direction,
            peer,
            sequence,
            manifest_hash,
            previous_hash,
            created_at,
            now_iso(),
            officer,
            orjson.dumps(counts).decode(),
            *(audit_head or (None, None)),
        ),
    )


def add_outcomes(bundle_id: str, outcomes: list[tuple[str, str, str, str | None]]) -> None:
    """(household_id, rev, outcome, reason) for each record of a bundle."""
    database.connection().executemany(
        "INSERT OR REPLACE INTO bundle_outcome (bundle_id, household_id, rev, outcome, reason)"
        " VALUES (?, ?, ?, ?, ?)",
        [(bundle_id, *o) for o in outcomes],
    )


def add_content(bundle_id: str, carried: list[tuple[str, str]]) -> None:
    """(household_id, rev) of each record of a bundle this installation sent (issue 15)."""
    database.connection().executemany(
        "INSERT OR IGNORE INTO bundle_content (bundle_id, household_id, rev) VALUES (?, ?, ?)",
        [(bundle_id, *c) for c in carried],
    )


def note_events(bundle_id: str) -> None:
    """Note, on each outcome row of a bundle just taken in, how many Dinsos events its
    household now holds (migration 28): which bundle brought which event, for the timeline."""
    database.execute_sql(
        "UPDATE bundle_outcome SET events = (SELECT json_array_length(h.dinsos_events)"
        " FROM household h WHERE h.id = bundle_outcome.household_id) WHERE bundle_id = ?",
        (bundle_id,),
    )


def content(bundle_id: str) -> set[tuple[str, str]]:
    """(household_id, rev) of each record the sent bundle carried: what its acknowledgement
    may speak of."""
    rows = database.execute_sql(
        "SELECT household_id, rev FROM bundle_content WHERE bundle_id = ?", (bundle_id,)
    )
    return {(r[0], r[1]) for r in rows.fetchall()}


def outcomes(bundle_id: str) -> list[tuple[str, str, str, str | None]]:
    rows = database.execute_sql(
        "SELECT household_id, rev, outcome, reason FROM bundle_outcome WHERE bundle_id = ?"
        " ORDER BY household_id, rev",
        (bundle_id,),
    )
    return [tuple(r) for r in rows.fetchall()]


def acknowledge(bundle_id: str, counts: dict[str, int] | None) -> None:
    database.execute_sql(
        "UPDATE bundle_log SET acknowledged_at = ?, ack_counts = ? WHERE bundle_id = ?",
        (now_iso(), orjson.dumps(counts).decode() if counts is not None else None, bundle_id),
    )


def next_sequence(peer: str) -> tuple[int, str | None]:
    """(sequence number, hash of the previous bundle) for the next bundle sent to `peer`."""
    row = database.execute_sql(
        "SELECT sequence, manifest_hash FROM bundle_log WHERE peer = ? AND direction = 'out'"
        " ORDER BY sequence DESC LIMIT 1",
        (peer,),
    ).fetchone()
    return (1, None) if row is None else (row[0] + 1, row[1])


@dataclass(frozen=True)
class AuditHead:
    """The sender's audit chain head carried by one bundle (issue 15)."""

    bundle_id: str
    sequence: int
    count: int
    hash: str


def audit_heads(peer: str, direction: str) -> list[AuditHead]:
    """The audit heads of the bundles exchanged with `peer` in one direction (those that
    carried one), by sequence: for `in` the peer's heads, for `out` this installation's."""
    rows = database.execute_sql(
        "SELECT bundle_id, sequence, audit_count, audit_hash FROM bundle_log"
        " WHERE peer = ? AND direction = ? AND audit_count IS NOT NULL ORDER BY sequence",
        (peer, direction),
    ).fetchall()
    return [AuditHead(*r) for r in rows]


@dataclass(frozen=True)
class ArrivalRow:
    """A bundle taken in that wrote a revision of one household (issue 19's timeline): the
    sending peer (fingerprint; its name and kind as trusted, None when no longer trusted), when
    the sender wrote the bundle and when it was taken in here, and what became of the
    household (new, updated, conflict)."""

    peer: str
    peer_name: str | None
    peer_kind: str | None
    created_at: str
    logged_at: str
    outcome: str
    events: int | None  # the Dinsos events the household held after it (None: not noted)


def arrivals(household_id: str, outcomes: tuple[str, ...]) -> list[ArrivalRow]:
    """The bundles taken in whose revision of the household had one of `outcomes`, in the
    order they were taken in. One query: each bundle's rows are read through the primary key
    (bundle_id, household_id, rev), so it costs one look-up per bundle taken in, whatever the
    number of households (the household_id index is gone: migration 23)."""
    marks = ", ".join("?" * len(outcomes))
    rows = database.execute_sql(
        "SELECT l.peer, p.name, p.kind, l.created_at, l.logged_at, o.outcome, o.events"
        " FROM bundle_log l CROSS JOIN bundle_outcome o"
        " LEFT JOIN peer p ON p.fingerprint = l.peer"
        " WHERE l.direction = 'in' AND o.bundle_id = l.bundle_id AND o.household_id = ?"
        f" AND o.outcome IN ({marks}) ORDER BY l.logged_at, l.rowid",
        (household_id, *outcomes),
    ).fetchall()
    return [ArrivalRow(*r) for r in rows]
