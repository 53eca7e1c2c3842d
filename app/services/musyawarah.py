"""The musyawarah kelurahan as a meeting (issue 17), as user actions: plan it (date, place,
chair, participants), generate its agenda, record decisions. Locking it and its documents are
in `musyawarah_lock.py`; the words, codes and the verification code in `app/core/musyawarah.py`.

Roles: `musyawarah.plan` (petugas, supervisor) prepares the meeting and its agenda;
`musyawarah.decide` (supervisor) records decisions; `musyawarah.lock` (supervisor) locks it.
A locked meeting is never changed: a correction is a new meeting that references it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from app.core import musyawarah as words
from app.core.document import now_iso
from app.core.errors import UserError
from app.db import audit, meetings
from app.db.connection import database
from app.db.meetings import AgendaRow, Meeting, Participant
from app.services import installation, receipts
from app.services.actions import Officer, require
from app.services.musyawarah_checks import decidable as decidable

MAX_PLACE = 200
MAX_NAME = 120


@dataclass(frozen=True)
class Agenda:
    """A meeting's agenda: the households it may decide (by RW, RT) and, listed apart for
    information, those with an exclusion (they cannot be proposed)."""

    meeting: Meeting
    households: list[AgendaRow]
    excluded: list[AgendaRow]

    @property
    def counts(self) -> dict[str, int]:
        decided = [row.decision for row in self.households if row.decision]
        return words.counts(decided, len(self.households))


# --- planning --------------------------------------------------------------------------------


def _date(text: str | dt.date) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(
            "Tanggal musyawarah tidak valid (format YYYY-MM-DD).",
            "the meeting's date is not a valid YYYY-MM-DD date",
        ) from None


def _time(text: str | None) -> str | None:
    if not text:
        return None
    try:
        moment = dt.time.fromisoformat(text.strip().replace(".", ":"))
    except ValueError:
        raise UserError(
            "Jam musyawarah tidak valid (format JJ.MM, mis. 09.00).",
            "the meeting's time is not a valid HH:MM time",
        ) from None
    return f"{moment.hour:02d}.{moment.minute:02d}"


def _text(value: str | None, limit: int, what: str, what_en: str) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise UserError(
            f"{what} terlalu panjang (maksimal {limit} karakter).",
            f"{what_en} is too long (at most {limit} characters)",
        )
    return text or None


def _rw(rw: int | None) -> int | None:
    if rw is not None and not 1 <= rw <= 999:
        raise UserError("Nomor RW tidak valid.", "the RW number is not valid")
    return rw


def _village() -> str:
    code = installation.village_code()
    if code is None:
        raise UserError("Kelurahan untuk instalasi ini belum dipilih", "no kelurahan is set")
    return code


def _minutes_number(village: str, day: dt.date) -> str:
    """The next berita acara number of the year: 001/BA-MK/<kelurahan code>/<year>."""
    sequence = meetings.count_in_year(village, day.year) + 1
    return f"{sequence:03d}/BA-MK/{village}/{day.year}"


def promise_next_date(village: str, previous: str | None = None) -> None:
    """The date receipts promise for the musyawarah (setting `musyawarah_next_date`): the
    earliest open meeting from today on. When there is none, a promise of `previous` (the
    date of a meeting just moved or locked) is withdrawn; one set by hand is left."""
    upcoming = meetings.next_open_date(village, dt.date.today().isoformat())
    if upcoming is not None:
        receipts.set_musyawarah_date(dt.date.fromisoformat(upcoming))
        return
    promised = receipts.musyawarah_date()
    if previous is not None and promised is not None and promised.isoformat() == previous:
        receipts.set_musyawarah_date(None)


def create_meeting(
    date: str | dt.date,
    place: str,
    officer: Officer | None,
    *,
    time: str | None = None,
    chair: str | None = None,
    rw: int | None = None,
    minutes_number: str | None = None,
    corrects: str | None = None,
) -> Meeting:
    """Plan a meeting of this kelurahan (of one RW when `rw` is given); audited. The earliest
    open meeting from today on is the musyawarah date receipts promise. `corrects`: the
    locked meeting this one corrects (an addendum). Returns the meeting (its `id`)."""
    officer = require(officer, "musyawarah.plan")
    day = _date(date)
    where = _text(place, MAX_PLACE, "Tempat musyawarah", "the place")
    if where is None:
        raise UserError("Tempat musyawarah wajib diisi.", "the meeting needs a place")
    village = _village()
    if corrects is not None:
        earlier = get_meeting(corrects)
        if not earlier.locked:
            raise UserError(
                "Koreksi hanya untuk musyawarah yang sudah dikunci.",
                "only a locked meeting can be corrected",
            )
    with database.atomic():
        meeting = Meeting(
            id=str(uuid.uuid4()),
            village_code=village,
            date=day.isoformat(),
            time=_time(time),
            place=where,
            chair=_text(chair, MAX_NAME, "Nama pimpinan", "the chair's name"),
            rw=_rw(rw),
            status=words.OPEN,
            minutes_number=_text(minutes_number, 100, "Nomor BA", "the BA number")
            or _minutes_number(village, day),
            printed_verification=None,
            verification=None,
            corrects=corrects,
            created_by=officer.username,
            created_at=now_iso(),
            locked_by=None,
            locked_at=None,
        )
        meetings.insert(meeting)
        promise_next_date(village)
        audit.append(
            "musyawarah.plan",
            officer=officer.username,
            detail={"meeting": meeting.id, "date": meeting.date, "rw": meeting.rw},
        )
    return meeting


def get_meeting(meeting_id: str) -> Meeting:
    meeting = meetings.get(meeting_id)
    if meeting is None:
        raise UserError(f"Musyawarah {meeting_id} tidak ditemukan.", f"no meeting {meeting_id}")
    return meeting


def held_here(meeting_id: str) -> bool:
    """Whether the meeting is one of this installation's (not one received from a peer)."""
    return meetings.get(meeting_id) is not None


def open_meeting(meeting_id: str) -> Meeting:
    """The meeting, when it may still be changed."""
    meeting = get_meeting(meeting_id)
    if meeting.locked:
        raise UserError(
            "Musyawarah ini sudah dikunci dan tidak dapat diubah; koreksi dibuat sebagai "
            "musyawarah baru yang merujuknya.",
            "the meeting is locked and cannot be changed (a correction is a new meeting)",
        )
    return meeting


def update_meeting(
    meeting_id: str,
    officer: Officer | None,
    *,
    date: str | dt.date | None = None,
    time: str | None = None,
    place: str | None = None,
    chair: str | None = None,
    minutes_number: str | None = None,
) -> Meeting:
    """Change what is given of an open meeting's plan (receipts promise the earliest open
    meeting's date)."""
    officer = require(officer, "musyawarah.plan")
    before = open_meeting(meeting_id)
    values: dict[str, object] = {}
    if date is not None:
        values["date"] = _date(date).isoformat()
    if time is not None:
        values["time"] = _time(time)
    if place is not None:
        values["place"] = _text(place, MAX_PLACE, "Tempat musyawarah", "the place")
        if values["place"] is None:
            raise UserError("Tempat musyawarah wajib diisi.", "the meeting needs a place")
    if chair is not None:
        values["chair"] = _text(chair, MAX_NAME, "Nama pimpinan", "the chair's name")
    if minutes_number is not None:
        values["minutes_number"] = _text(minutes_number, 100, "Nomor BA", "the BA number")
    if values:
        with database.atomic():
            meetings.update(meeting_id, **values)
            if date is not None:
                promise_next_date(before.village_code, before.date)
            audit.append(
                "musyawarah.plan",
                officer=officer.username,
                detail={"meeting": meeting_id, "changed": sorted(values)},
            )
    return get_meeting(meeting_id)


def list_meetings(officer: Officer | None) -> list[Meeting]:
    require(officer, "musyawarah.plan")
    return meetings.all_meetings()


# --- participants ----------------------------------------------------------------------------


def add_participant(
    meeting_id: str,
    name: str,
    role: str,
    officer: Officer | None,
    represents: str | None = None,
) -> int:
    """Add an attendee (name, role, whom they represent, e.g. "RW 05") to an open meeting;
    returns its number. The name is personal data: never echoed in a refusal."""
    require(officer, "musyawarah.plan")
    open_meeting(meeting_id)
    if role not in words.PARTICIPANT_ROLES:
        raise UserError(
            f"Peran peserta tidak dikenal. Pilihan: {', '.join(words.PARTICIPANT_ROLES)}.",
            f"unknown participant role; one of {', '.join(words.PARTICIPANT_ROLES)}",
        )
    who = _text(name, MAX_NAME, "Nama peserta", "the participant's name")
    if who is None:
        raise UserError("Nama peserta wajib diisi.", "the participant needs a name")
    group = _text(represents, 100, "Keterangan peserta", "what the participant represents")
    with database.atomic():
        return meetings.add_participant(meeting_id, who, role, group)


def remove_participant(meeting_id: str, number: int, officer: Officer | None) -> None:
    require(officer, "musyawarah.plan")
    open_meeting(meeting_id)
    with database.atomic():
        if not meetings.remove_participant(meeting_id, number):
            raise UserError(f"Peserta nomor {number} tidak ada.", f"no participant number {number}")


def participants(meeting_id: str, officer: Officer | None) -> list[Participant]:
    require(officer, "musyawarah.plan")
    get_meeting(meeting_id)
    return meetings.participants(meeting_id)


def chair_name(meeting: Meeting, attendees: list[Participant]) -> str | None:
    """Who chairs: the meeting's chair, else its first participant who is the Lurah."""
    if meeting.chair:
        return meeting.chair
    return next((p.name for p in attendees if p.role == words.CHAIR_ROLE), None)


# --- agenda and decisions --------------------------------------------------------------------


def agenda(meeting_id: str, officer: Officer | None) -> Agenda:
    """The meeting's agenda (role `musyawarah.plan`): for an open meeting, every household of
    the kelurahan (of its RW) registered and not yet decided by a locked meeting (postponed
    ones included), by RW then RT, with the decisions recorded so far; households with an
    exclusion apart. Drafts, withdrawn and deleted households are not on it. For a locked
    meeting: the households it decided."""
    require(officer, "musyawarah.plan")
    meeting = get_meeting(meeting_id)
    statuses = (*words.PROPOSABLE_STATUSES, words.EXCLUDED_STATUS)
    rows = meetings.agenda(meeting.id, meeting.village_code, statuses, meeting.rw, meeting.locked)
    proposable = [r for r in rows if r.status != words.EXCLUDED_STATUS or r.decision]
    excluded = [r for r in rows if r.status == words.EXCLUDED_STATUS and not r.decision]
    return Agenda(meeting, proposable, excluded)


def decide(
    meeting_id: str,
    household_id: str,
    decision: str,
    officer: Officer | None,
    reason: str | None = None,
) -> meetings.Decision:
    """Record the meeting's decision for a household on its agenda (again: replaces it).
    `not_poor` needs a reason. Refused, with one line naming no one: a locked meeting, a
    household of another kelurahan or RW, a draft, withdrawn, deleted or excluded one, one
    already decided by a locked meeting or held by another open meeting."""
    return decide_many(meeting_id, [household_id], decision, officer, reason)[0]


def decide_many(
    meeting_id: str,
    household_ids: list[str],
    decision: str,
    officer: Officer | None,
    reason: str | None = None,
) -> list[meetings.Decision]:
    """The same decision for several households (*semua sisa layak*), all or nothing: every
    household is checked as `decide` checks one, and if any is refused, none is decided."""
    officer = require(officer, "musyawarah.decide")
    meeting = open_meeting(meeting_id)
    try:
        text = words.checked_reason(decision, reason)
    except ValueError as exc:
        raise UserError(
            str(exc), "unknown decision, or a not_poor decision without a reason"
        ) from None
    at = now_iso()
    entries = [
        meetings.Decision(meeting.id, hid, decision, text, officer.username, at, None)
        for hid in dict.fromkeys(household_ids)
    ]
    with database.atomic():
        for entry in entries:
            refusal = decidable(meeting, entry.household_id)
            if refusal is not None:
                if len(entries) > 1:
                    state = meetings.household_state(entry.household_id)
                    number = state.registration_number if state else None
                    refusal = (
                        f"No. Registrasi {number or '-'}: {refusal[0]} "
                        "Tidak ada keputusan yang dicatat.",
                        f"{refusal[1]}; nothing was decided",
                    )
                raise UserError(*refusal)
            meetings.put_decision(entry)
    return entries


def undecide(meeting_id: str, household_id: str, officer: Officer | None) -> None:
    """Take back a decision recorded in an open meeting (the household is undecided again)."""
    require(officer, "musyawarah.decide")
    open_meeting(meeting_id)
    with database.atomic():
        if not meetings.remove_decision(meeting_id, household_id):
            raise UserError(
                "Belum ada keputusan untuk keluarga ini dalam musyawarah ini.",
                "no decision for this household in this meeting",
            )
