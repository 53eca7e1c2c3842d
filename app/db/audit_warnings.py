"""Warnings that a peer's audit log was rewritten (issue 15, migration 11): noted at the import
of the bundle whose audit head showed it, listed until a supervisor acknowledges them."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.document import now_iso
from app.db.connection import database

# rewritten: the head does not extend the one received before (fewer entries, another hash at
# the same count, or another hash at an earlier head's count); unverifiable: the bundle does not
# say what its log held at the head received before; broken: the sender's own check fails
REWRITTEN, UNVERIFIABLE, BROKEN = "rewritten", "unverifiable", "broken"


@dataclass(frozen=True)
class AuditWarning:
    id: int
    peer: str  # fingerprint
    bundle_id: str
    sequence: int | None  # of that bundle, when it is still in the bundle log
    kind: str
    before_count: int | None  # entries at the head received before
    after_count: int | None  # entries at this bundle's head
    found_at: str
    acknowledged_by: str | None
    acknowledged_at: str | None


_SELECT = (
    "SELECT w.id, w.peer, w.bundle_id, b.sequence, w.kind, w.before_count, w.after_count,"
    " w.found_at, w.acknowledged_by, w.acknowledged_at"
    " FROM audit_warning w LEFT JOIN bundle_log b ON b.bundle_id = w.bundle_id"
)


def add(peer: str, bundle_id: str, kind: str, before: int | None, after: int | None) -> None:
    database.execute_sql(
        "INSERT INTO audit_warning (peer, bundle_id, kind, before_count, after_count, found_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (peer, bundle_id, kind, before, after, now_iso()),
    )


def open_warnings(peer: str | None = None) -> list[AuditWarning]:
    """Warnings not acknowledged yet (of one peer, or all), oldest first."""
    sql = _SELECT + " WHERE w.acknowledged_at IS NULL"
    params: tuple[str, ...] = ()
    if peer is not None:
        sql, params = sql + " AND w.peer = ?", (peer,)
    rows = database.execute_sql(sql + " ORDER BY w.id", params).fetchall()
    return [AuditWarning(*r) for r in rows]


def get(warning_id: int) -> AuditWarning | None:
    row = database.execute_sql(_SELECT + " WHERE w.id = ?", (warning_id,)).fetchone()
    return None if row is None else AuditWarning(*row)


def acknowledge(warning_id: int, by: str) -> None:
    database.execute_sql(
        "UPDATE audit_warning SET acknowledged_by = ?, acknowledged_at = ?"
        " WHERE id = ? AND acknowledged_at IS NULL",
        (by, now_iso(), warning_id),
    )
