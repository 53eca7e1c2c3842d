"""Musyawarah kelurahan meetings (migration 15, issue 17): the meeting, its participants, its
decisions, and the agenda query. Participants' names are personal data: they live only in the
encrypted database and are never put into an error message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from app.db.connection import database

_MEETING = (
    "id, village_code, date, time, place, chair, rw, status, minutes_number, "
    "printed_verification, verification, corrects, created_by, created_at, locked_by, locked_at"
)


@dataclass(frozen=True)
class Meeting:
    id: str
    village_code: str
    date: str  # ISO
    time: str | None  # "09.00"
    place: str
    chair: str | None  # the Lurah's name
    rw: int | None  # a meeting held for one RW; None: the whole kelurahan
    status: str  # open, locked
    minutes_number: str | None  # nomor berita acara
    printed_verification: str | None  # the code on the last berita acara printed
    verification: str | None  # set when locked
    corrects: str | None  # the locked meeting this one corrects (addendum)
    created_by: str
    created_at: str
    locked_by: str | None
    locked_at: str | None

    @property
    def locked(self) -> bool:
        return self.status == "locked"


@dataclass(frozen=True)
class Participant:
    pk: int
    meeting_id: str
    name: str
    role: str
    represents: str | None  # e.g. "RW 05"


@dataclass(frozen=True)
class Decision:
    meeting_id: str
    household_id: str
    decision: str
    reason: str | None
    decided_by: str
    decided_at: str
    data_hash: str | None  # of the registration data when the meeting was locked


@dataclass(frozen=True)
class AgendaRow:
    household_id: str
    registration_number: str | None
    rw: int | None
    rt: int | None
    address: str | None
    status: str
    head_name: str | None
    member_count: int
    exclusions: list[str]
    overridden: list[str]
    matching: dict[str, Any] | None
    decision: str | None  # in this meeting
    reason: str | None
    elsewhere: bool  # another open meeting holds a decision for it


@dataclass(frozen=True)
class HouseholdState:
    """What deciding a household needs to know of it (no personal data)."""

    village_code: str
    status: str
    deleted: bool
    rw: int | None
    registration_number: str | None
    decision: str | None  # the musyawarah decision written in its document
    decided_in: str | None  # the meeting that decided it


# --- meetings ------------------------------------------------------------------------------------


def insert(meeting: Meeting) -> None:
    database.execute_sql(
        f"INSERT INTO meeting ({_MEETING}) VALUES ({', '.join('?' * 16)})",
        tuple(meeting.__dict__.values()),
    )


def get(meeting_id: str) -> Meeting | None:
    row = database.execute_sql(
        f"SELECT {_MEETING} FROM meeting WHERE id = ?", (meeting_id,)
    ).fetchone()
    return None if row is None else Meeting(*row)


def all_meetings() -> list[Meeting]:
    """Every meeting, the latest date first."""
    rows = database.execute_sql(
        f"SELECT {_MEETING} FROM meeting ORDER BY date DESC, created_at DESC"
    ).fetchall()
    return [Meeting(*row) for row in rows]


def update(meeting_id: str, **values: Any) -> None:
    """Set columns of a meeting (names from the code, never from input)."""
    columns = ", ".join(f"{name} = ?" for name in values)
    database.execute_sql(
        f"UPDATE meeting SET {columns} WHERE id = ?", (*values.values(), meeting_id)
    )


def next_open_date(village_code: str, today: str) -> str | None:
    """The earliest date, today or later, of an open meeting of the kelurahan."""
    row = database.execute_sql(
        "SELECT MIN(date) FROM meeting WHERE village_code = ? AND status = 'open' AND date >= ?",
        (village_code, today),
    ).fetchone()
    return None if row is None else row[0]


def count_in_year(village_code: str, year: int) -> int:
    row: tuple[int] = database.execute_sql(
        "SELECT COUNT(*) FROM meeting WHERE village_code = ? AND substr(date, 1, 4) = ?",
        (village_code, f"{year:04d}"),
    ).fetchone()
    return row[0]


# --- participants --------------------------------------------------------------------------------


def add_participant(meeting_id: str, name: str, role: str, represents: str | None) -> int:
    cursor = database.execute_sql(
        "INSERT INTO meeting_participant (meeting_id, name, role, represents) VALUES (?, ?, ?, ?)",
        (meeting_id, name, role, represents),
    )
    pk: int = cursor.lastrowid
    return pk


def remove_participant(meeting_id: str, pk: int) -> bool:
    cursor = database.execute_sql(
        "DELETE FROM meeting_participant WHERE meeting_id = ? AND pk = ?", (meeting_id, pk)
    )
    return bool(cursor.rowcount)


def participants(meeting_id: str) -> list[Participant]:
    rows = database.execute_sql(
        "SELECT pk, meeting_id, name, role, represents FROM meeting_participant "
        "WHERE meeting_id = ? ORDER BY pk",
        (meeting_id,),
    ).fetchall()
    return [Participant(*row) for row in rows]


# --- decisions -----------------------------------------------------------------------------------

_DECISION = "meeting_id, household_id, decision, reason, decided_by, decided_at, data_hash"


def put_decision(decision: Decision) -> None:
    database.execute_sql(
        f"INSERT INTO meeting_decision ({_DECISION}) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (meeting_id, household_id) DO UPDATE SET decision = excluded.decision, "
        "reason = excluded.reason, decided_by = excluded.decided_by, "
        "decided_at = excluded.decided_at",
        tuple(decision.__dict__.values()),
    )


def remove_decision(meeting_id: str, household_id: str) -> bool:
    cursor = database.execute_sql(
        "DELETE FROM meeting_decision WHERE meeting_id = ? AND household_id = ?",
        (meeting_id, household_id),
    )
    return bool(cursor.rowcount)


def decisions(meeting_id: str) -> list[Decision]:
    rows = database.execute_sql(
        f"SELECT {_DECISION} FROM meeting_decision WHERE meeting_id = ? ORDER BY household_id",
        (meeting_id,),
    ).fetchall()
    return [Decision(*row) for row in rows]


def set_data_hash(meeting_id: str, household_id: str, data_hash: str) -> None:
    database.execute_sql(
        "UPDATE meeting_decision SET data_hash = ? WHERE meeting_id = ? AND household_id = ?",
        (data_hash, meeting_id, household_id),
    )


def open_meetings_deciding(household_id: str, other_than: str) -> list[str]:
    """Ids of the other open meetings holding a decision for the household."""
    rows = database.execute_sql(
        "SELECT d.meeting_id FROM meeting_decision d JOIN meeting m ON m.id = d.meeting_id "
        "WHERE d.household_id = ? AND m.status = 'open' AND m.id != ?",
        (household_id, other_than),
    ).fetchall()
    return [row[0] for row in rows]


def locked_decision(household_id: str) -> tuple[Meeting, Decision] | None:
    """The last locked meeting's decision for the household, with the meeting."""
    row = database.execute_sql(
        "SELECT d.meeting_id FROM meeting_decision d JOIN meeting m ON m.id = d.meeting_id "
        "WHERE d.household_id = ? AND m.status = 'locked' ORDER BY m.locked_at DESC LIMIT 1",
        (household_id,),
    ).fetchone()
    if row is None:
        return None
    meeting = get(row[0])
    found = [d for d in decisions(row[0]) if d.household_id == household_id]
    return (meeting, found[0]) if meeting and found else None


# --- households, as the agenda sees them ----------------------------------------------------------


def household_state(household_id: str) -> HouseholdState | None:
    row = database.execute_sql(
        "SELECT village_code, status, deleted, rw, registration_number, "
        "json_extract(musyawarah, '$.decision'), json_extract(musyawarah, '$.meeting_id') "
        "FROM household WHERE id = ?",
        (household_id,),
    ).fetchone()
    return None if row is None else HouseholdState(row[0], row[1], bool(row[2]), *row[3:])


_AGENDA = """
SELECT h.id, h.registration_number, h.rw, h.rt, h.address, h.status, hm.name,
       (SELECT COUNT(*) FROM member c WHERE c.household_id = h.id),
       h.exclusions, h.exclusion_overrides, h.matching, d.decision, d.reason,
       EXISTS (SELECT 1 FROM meeting_decision o JOIN meeting om ON om.id = o.meeting_id
               WHERE o.household_id = h.id AND om.status = 'open' AND om.id != d2.id)
FROM household h
LEFT JOIN member hm ON hm.pk = (
    SELECT m.pk FROM member m WHERE m.household_id = h.id
    ORDER BY m.relationship IS NOT 1, m.position LIMIT 1)
LEFT JOIN meeting_decision d ON d.meeting_id = ? AND d.household_id = h.id
JOIN (SELECT ? AS id) d2
"""


def agenda(
    meeting_id: str,
    village_code: str,
    statuses: tuple[str, ...],
    rw: int | None,
    locked: bool,
) -> list[AgendaRow]:
    """The households on a meeting's agenda, by RW, RT and registration number: for an open
    meeting, every household of the kelurahan (of `rw`, when given) not deleted, with one of
    `statuses` and no musyawarah decision in its document; for a locked one, those it
    decided."""
    if locked:
        where = "WHERE d.household_id IS NOT NULL"
        params: tuple[Any, ...] = (meeting_id, meeting_id)
    else:
        marks = ", ".join("?" * len(statuses))
        where = (
            f"WHERE h.village_code = ? AND h.deleted = 0 AND h.status IN ({marks}) "
            "AND json_extract(h.musyawarah, '$.decision') IS NULL"
        )
        params = (meeting_id, meeting_id, village_code, *statuses)
        if rw is not None:
            where += " AND h.rw = ?"
            params += (rw,)
    sql = f"{_AGENDA} {where} ORDER BY h.rw, h.rt, h.registration_number, h.id"
    return [_agenda_row(row) for row in database.execute_sql(sql, params).fetchall()]


def _agenda_row(row: tuple[Any, ...]) -> AgendaRow:
    overrides = orjson.loads(row[9] or "[]")
    return AgendaRow(
        household_id=row[0],
        registration_number=row[1],
        rw=row[2],
        rt=row[3],
        address=row[4],
        status=row[5],
        head_name=row[6],
        member_count=row[7],
        exclusions=orjson.loads(row[8] or "[]"),
        overridden=[str(o["rule"]) for o in overrides if isinstance(o, dict) and o.get("rule")],
        matching=orjson.loads(row[10] or "null"),
        decision=row[11],
        reason=row[12],
        elsewhere=bool(row[13]),
    )
