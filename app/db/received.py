"""Records received in bundles (issue 17/15, migration 18), as stored: a kelurahan's locked
meetings (read-only copies, attributed to the sending peer's fingerprint), the signed decisions
that came with households and meetings, each sender's signed officer table with the key pinned
for it, and conflicts between a received meeting's decisions and another meeting's here. The
checks are app/services/sync/carried.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.core.document import now_iso
from app.db.connection import database
from app.db.signatures import Decision, to_decisions


@dataclass(frozen=True)
class ReceivedMeeting:
    id: str
    peer: str  # the sender's fingerprint
    bundle_id: str
    village_code: str
    date: str
    minutes_number: str | None
    verification: str | None
    record: dict[str, Any]  # as sent: place, counts, corrects, decisions, ...
    received_at: str


@dataclass(frozen=True)
class PeerRoster:
    peer: str
    text: str  # the canonical JSON the sender's manager signed
    signer: str
    signer_key: str
    signature: str
    signed_at: str
    pinned_key: str  # the manager key the roster is held to (first receipt, then its chain)


@dataclass(frozen=True)
class MeetingConflict:
    id: int
    meeting_id: str
    household_id: str
    other_meeting_id: str
    peer: str
    found_at: str


# --- meetings ----------------------------------------------------------------------------------


def add_meeting(
    meeting: ReceivedMeeting, decisions: list[tuple[str, str, str | None, str | None]]
) -> bool:
    """Keep a received locked meeting (False when it was received before: a locked meeting never
    changes) with its decisions (household id, decision, reason, data hash)."""
    cursor = database.execute_sql(
        "INSERT OR IGNORE INTO received_meeting (id, peer, bundle_id, village_code, date,"
        " minutes_number, verification, record, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (meeting.id, meeting.peer, meeting.bundle_id, meeting.village_code, meeting.date,
         meeting.minutes_number, meeting.verification, json.dumps(meeting.record),
         meeting.received_at),
    )  # fmt: skip
    if cursor.rowcount == 0:
        return False
    database.connection().executemany(
        "INSERT OR IGNORE INTO received_meeting_decision (meeting_id, household_id, decision,"
        " reason, data_hash) VALUES (?, ?, ?, ?, ?)",
        [(meeting.id, *d) for d in decisions],
    )
    return True


def meetings(peer: str | None = None) -> list[ReceivedMeeting]:
    where, params = ("WHERE peer = ?", (peer,)) if peer else ("", ())
    rows = database.execute_sql(
        "SELECT id, peer, bundle_id, village_code, date, minutes_number, verification, record,"
        f" received_at FROM received_meeting {where} ORDER BY date, id",
        params,
    ).fetchall()
    return [
        ReceivedMeeting(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]), r[8])
        for r in rows
    ]


def deciding(household_id: str) -> list[tuple[str, str | None, str | None]]:
    """Received meetings that decided the household (eligible / not_poor): (meeting id, what it
    corrects, data hash), newest date first."""
    rows = database.execute_sql(
        "SELECT m.id, json_extract(m.record, '$.corrects'), d.data_hash"
        " FROM received_meeting_decision d JOIN received_meeting m ON m.id = d.meeting_id"
        " WHERE d.household_id = ? AND d.decision IN ('eligible', 'not_poor')"
        " ORDER BY m.date DESC, m.id DESC",
        (household_id,),
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


# --- conflicts between meetings ------------------------------------------------------------------


def add_conflict(meeting_id: str, household_id: str, other: str, peer: str, bundle_id: str) -> None:
    database.execute_sql(
        "INSERT OR IGNORE INTO meeting_conflict (meeting_id, household_id, other_meeting_id,"
        " peer, bundle_id, found_at) VALUES (?, ?, ?, ?, ?, ?)",
        (meeting_id, household_id, other, peer, bundle_id, now_iso()),
    )


def open_conflicts() -> list[MeetingConflict]:
    rows = database.execute_sql(
        "SELECT id, meeting_id, household_id, other_meeting_id, peer, found_at"
        " FROM meeting_conflict WHERE resolved_at IS NULL ORDER BY id"
    ).fetchall()
    return [MeetingConflict(*r) for r in rows]


def resolve_conflict(conflict_id: int, by: str) -> bool:
    cursor = database.execute_sql(
        "UPDATE meeting_conflict SET resolved_by = ?, resolved_at = ?"
        " WHERE id = ? AND resolved_at IS NULL",
        (by, now_iso(), conflict_id),
    )
    return bool(cursor.rowcount > 0)


# --- signed decisions ----------------------------------------------------------------------------


def add_decision(peer: str, bundle_id: str, decision: Decision, text: str) -> None:
    database.execute_sql(
        "INSERT OR IGNORE INTO received_decision (peer, bundle_id, kind, subject, payload,"
        " signer, signer_key, signature, signed_at, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (peer, bundle_id, decision.kind, decision.subject, text, decision.signer,
         decision.signer_key, decision.signature, decision.signed_at, now_iso()),
    )  # fmt: skip


def decisions(peer: str) -> list[Decision]:
    rows = database.execute_sql(
        "SELECT id, kind, subject, payload, signer, signer_key, signature, signed_at"
        " FROM received_decision WHERE peer = ? ORDER BY id",
        (peer,),
    ).fetchall()
    return to_decisions(rows)


# --- officer tables ------------------------------------------------------------------------------


def roster(peer: str) -> PeerRoster | None:
    row = database.execute_sql(
        "SELECT peer, payload, signer, signer_key, signature, signed_at, pinned_key"
        " FROM peer_roster WHERE peer = ?",
        (peer,),
    ).fetchone()
    return None if row is None else PeerRoster(*row)


def put_roster(found: PeerRoster) -> None:
    database.execute_sql(
        "INSERT INTO peer_roster (peer, payload, signer, signer_key, signature, signed_at,"
        " pinned_key, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (peer) DO UPDATE"
        " SET payload = excluded.payload, signer = excluded.signer,"
        " signer_key = excluded.signer_key, signature = excluded.signature,"
        " signed_at = excluded.signed_at, pinned_key = excluded.pinned_key,"
        " received_at = excluded.received_at",
        (found.peer, found.text, found.signer, found.signer_key, found.signature,
         found.signed_at, found.pinned_key, now_iso()),
    )  # fmt: skip


def decided_hash(household_id: str) -> str | None:
    """The registration data's hash the household's musyawarah decision was taken on: of the
    last meeting locked here, else of the newest meeting received that decided it (a copy, such
    as Dinsos', that did not lock it); None when no meeting decided it."""
    row = database.execute_sql(
        "SELECT d.data_hash FROM meeting_decision d JOIN meeting m ON m.id = d.meeting_id"
        " WHERE d.household_id = ? AND m.status = 'locked' AND d.decision IN"
        " ('eligible', 'not_poor') ORDER BY m.locked_at DESC LIMIT 1",
        (household_id,),
    ).fetchone()
    if row is not None:
        return str(row[0]) if row[0] else None
    found = deciding(household_id)
    return found[0][2] if found else None
