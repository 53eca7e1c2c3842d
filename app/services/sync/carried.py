"""What a households bundle carries besides households (issues 17 and 15): the sender's signed
officer table (user names, full names, roles, active flags and public signing keys; no password
material), the locked musyawarah meetings that decided a household carried (date, place, BA
number, counts, verification code and the decided list with household ids and the data hash
each was decided on) and the signed decisions about the households and meetings carried.

They are records of the same payload (so encrypted like the households), told from household
documents by their `record` key; they come after the households. The receiver's side is
app/services/sync/received.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.core import musyawarah as words
from app.db import meetings
from app.db import signatures as stored

RECORD = "record"  # the key of a record that is not a household document
ROSTER, MEETING, DECISION = "roster", "meeting", "decision"


def is_carried(record: Any) -> bool:
    return isinstance(record, dict) and RECORD in record


def roster_record() -> dict[str, Any] | None:
    """The officer table as last signed here, or None before it was ever signed."""
    signed = stored.roster()
    if signed is None:
        return None
    return {
        RECORD: ROSTER,
        "text": signed.text,
        "signer": signed.signer,
        "signer_key": signed.signer_key,
        "signature": signed.signature,
        "signed_at": signed.signed_at,
    }


def meeting_records(carried: set[str]) -> Iterator[dict[str, Any]]:
    """Each locked meeting here that decided one of the `carried` households."""
    for meeting in meetings.all_meetings():
        if meeting.status != words.LOCKED:
            continue
        decided = meetings.decisions(meeting.id)
        if not any(d.household_id in carried for d in decided):
            continue
        yield {
            RECORD: MEETING,
            "id": meeting.id,
            "village_code": meeting.village_code,
            "date": meeting.date,
            "time": meeting.time,
            "place": meeting.place,
            "rw": meeting.rw,
            "minutes_number": meeting.minutes_number,
            "verification": meeting.verification,
            "corrects": meeting.corrects,
            "locked_by": meeting.locked_by,
            "locked_at": meeting.locked_at,
            "counts": words.counts([d.decision for d in decided], len(decided)),
            "decisions": [
                {
                    "household_id": d.household_id,
                    "decision": d.decision,
                    "reason": d.reason,
                    "data_hash": d.data_hash,
                }  # fmt: skip
                for d in decided
            ],
        }


def decision_records(subjects: set[str]) -> Iterator[dict[str, Any]]:
    """The signed decisions about `subjects` (household and meeting ids)."""
    for d in stored.decisions():
        if d.subject in subjects:
            yield {
                RECORD: DECISION,
                "kind": d.kind,
                "subject": d.subject,
                "payload": d.payload,
                "signer": d.signer,
                "signer_key": d.signer_key,
                "signature": d.signature,
                "signed_at": d.signed_at,
            }


def records(carried: set[str]) -> Iterator[dict[str, Any]]:
    """Everything a bundle carrying the households `carried` carries besides them (call it
    after the households were yielded: `carried` is filled as they are)."""
    roster = roster_record()
    if roster is not None:
        yield roster
    subjects = set(carried)
    for meeting in meeting_records(carried):
        subjects.add(meeting["id"])
        yield meeting
    yield from decision_records(subjects)


COUNTS = {
    ROSTER: "officer_table",
    MEETING: "meetings",
    DECISION: "signed_decisions",
    "attachment": "attachments",  # issue 18: app/services/sync/attachments.py
    "attachment_blob": "attachment_blobs",
}
