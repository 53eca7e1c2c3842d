"""Locking a musyawarah kelurahan (issue 17), and what a decision leaves on a household.

Locking (role `musyawarah.lock`, supervisor) writes each `eligible` / `not_poor` decision into
its household's document (status, decision, date, BA number, meeting id, reason) through the
ordinary save (`households.save_household`: a new revision that syncs, an audit entry, the
field ownership of DESIGN §11 and the checks of a final save), all in one transaction with the
meeting's own audit entry; a postponed household stays as it is, on the next agenda. The BA
must have been printed with exactly the decisions being locked (its verification code), so the
paper that is signed is the list that is locked. A locked meeting is never changed again.

The lock itself is signed by the locking officer (`musyawarah.lock`, app/services/signing.py)
over the meeting id, date, BA number, verification code and counts, in the same transaction;
the signed decision travels in bundles with the meeting record (app/services/sync/carried.py).
"""

from __future__ import annotations

from app.core import musyawarah as words
from app.core.document import Document, now_iso
from app.core.errors import UserError
from app.db import audit, meetings, received
from app.db.connection import database
from app.db.meetings import Meeting
from app.services import households, signing
from app.services.actions import Officer, require
from app.services.musyawarah import decidable, get_meeting, open_meeting, promise_next_date


def decided_list(meeting: Meeting) -> list[words.Decided]:
    return [
        words.Decided(d.household_id, d.decision, d.reason) for d in meetings.decisions(meeting.id)
    ]


def verification(meeting: Meeting) -> str:
    """The meeting's verification code: as locked, or of the decisions recorded so far."""
    if meeting.verification:
        return meeting.verification
    return words.verification_code(meeting.id, meeting.minutes_number, decided_list(meeting))


def _number(household_id: str) -> str:
    state = meetings.household_state(household_id)
    return (state.registration_number if state else None) or household_id


def lock_meeting(meeting_id: str, officer: Officer | None) -> Meeting:
    """Lock the meeting and write its decisions into the households (see the module)."""
    officer = require(officer, "musyawarah.lock")
    meeting = open_meeting(meeting_id)
    decided = meetings.decisions(meeting.id)
    if not decided:
        raise UserError(
            "Belum ada keputusan dalam musyawarah ini; tidak ada yang dikunci.",
            "the meeting has no decisions to lock",
        )
    code = verification(meeting)
    if meeting.printed_verification != code:
        raise UserError(
            "Cetak berita acara dahulu: keputusan berubah sejak berita acara terakhir dicetak "
            "(atau belum pernah dicetak).",
            "print the berita acara first: the decisions differ from the last one printed",
        )
    for entry in decided:
        refusal = decidable(meeting, entry.household_id)
        if refusal is not None:
            raise UserError(
                f"Keluarga {_number(entry.household_id)}: {refusal[0]} Musyawarah belum dikunci.",
                f"household {_number(entry.household_id)}: {refusal[1]}; nothing was locked",
            )
    with database.atomic():
        for entry in decided:
            doc = households.load_household(entry.household_id)
            if entry.decision in words.WRITTEN:
                doc = _write_decision(meeting, entry, doc, officer)
            meetings.set_data_hash(meeting.id, entry.household_id, words.data_hash(doc))
        locked_at = now_iso()
        meetings.update(
            meeting.id,
            status=words.LOCKED,
            verification=code,
            locked_by=officer.username,
            locked_at=locked_at,
        )
        promise_next_date(meeting.village_code, meeting.date)
        detail = {
            "meeting": meeting.id,
            "date": meeting.date,
            "minutes_number": meeting.minutes_number,
            "counts": words.counts([d.decision for d in decided], len(decided)),
            "verification": code,
            **({"corrects": meeting.corrects} if meeting.corrects else {}),
        }
        audit.append("musyawarah.lock", officer=officer.username, detail=detail)
        signing.sign_decision("musyawarah.lock", meeting.id, detail, officer)
    return get_meeting(meeting.id)


def _write_decision(
    meeting: Meeting, entry: meetings.Decision, doc: Document, officer: Officer
) -> Document:
    doc["status"] = entry.decision
    doc["musyawarah"] = {
        "decision": entry.decision,
        "date": meeting.date,
        "minutes_number": meeting.minutes_number,
        "meeting_id": meeting.id,
        "reason": entry.reason,
    }
    try:
        return households.save_household(doc, final=True, officer=officer)
    except UserError as exc:
        number = doc.get("registration_number") or doc["household_id"]
        raise UserError(
            f"Keluarga {number} tidak dapat disimpan final (buka dan periksa datanya); "
            "musyawarah belum dikunci.",
            f"household {number} could not be saved ({type(exc).__name__}); nothing was locked",
        ) from None


# --- after the meeting -------------------------------------------------------------------------


def changed_after_decision(household_id: str) -> bool:
    """Whether the household's registration data changed after a locked meeting decided it
    ("diubah setelah musyawarah"): its data now differ from those the decision was taken on.
    The meeting is one locked here or, on a copy such as Dinsos', one received in a bundle."""
    decided = received.decided_hash(household_id)
    if decided is None:
        return False
    return words.data_hash(households.load_household(household_id)) != decided
