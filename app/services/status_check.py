"""*Cek status* at the counter (issue 19): from a registration number, the receipt's QR or a
NIK, the household's current status in one line a resident understands, and a slip to print.

Every counter role may look (`household.view`). A registration number or QR (the resident
holds the receipt) shows the status line and the timeline; a NIK shows the status line only,
nothing else of the household (anyone can say a NIK). A NIK not found is said in one line with
the NIK masked. Each look-up is audited as `status.check` with how it was asked and whether
it found a household, never the NIK.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.core import musyawarah, status_lookup
from app.core.errors import UserError
from app.db import audit, meetings
from app.receipts.content import verification_code
from app.rules.nik import mask
from app.services import households, installation, receipts
from app.services.actions import Officer, require
from app.services.timeline import Timeline, status_line, timeline_of

OTHER_RECEIPT = (
    "Kode verifikasi tanda terima tidak cocok dengan data sekarang: data keluarga diubah "
    "setelah tanda terima dicetak, atau tanda terima tidak asli."
)


@dataclass(frozen=True)
class StatusCheck:
    found: bool
    subject: str  # what was looked for, as it may be shown: the number, or the masked NIK
    line: str  # the status in one sentence, or that nothing was found
    timeline: Timeline | None  # registration number or QR only
    note: str = ""  # e.g. a receipt whose verification code no longer matches

    def as_json(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "subject": self.subject,
            "status": self.line,
            "note": self.note or None,
            "timeline": self.timeline.as_json() if self.timeline else None,
        }


def check_status(text: str, officer: Officer | None) -> StatusCheck:
    """Look up what was typed or scanned; audited. Input that is neither a registration
    number, a NIK nor a receipt's QR is refused in one line (nothing is recorded)."""
    officer = require(officer, "household.view")
    lookup = status_lookup.parse(text)
    if lookup is None:
        raise UserError(status_lookup.NOT_UNDERSTOOD)
    doc = _find(lookup)
    audit.append(
        "status.check",
        officer=officer.username,
        household_id=doc["household_id"] if doc else None,
        detail={"by": lookup.kind, "found": doc is not None},
    )
    if lookup.kind == status_lookup.NIK:
        subject = f"NIK {mask(lookup.value)}"
        if doc is None:
            return StatusCheck(False, subject, f"{subject} tidak terdaftar di kelurahan ini.", None)
        return StatusCheck(True, subject, _line(doc), None)
    subject = f"No. registrasi {lookup.value}"
    if doc is None:
        return StatusCheck(False, subject, f"{subject} tidak ditemukan di loket ini.", None)
    note = ""
    if lookup.verification is not None and lookup.verification != verification_code(doc):
        note = OTHER_RECEIPT
    return StatusCheck(True, subject, _line(doc), timeline_of(doc), note)


def _line(doc: dict[str, Any]) -> str:
    """The status line, saying so when the last locked musyawarah that decided the household
    postponed it (*ditunda*: the household's document is left as it was, on the next agenda)."""
    last = meetings.locked_decision(doc["household_id"])
    postponed = last is not None and last[1].decision == musyawarah.POSTPONE
    return status_line(doc, last[0].date if postponed and last else None)


def _find(lookup: status_lookup.Lookup) -> dict[str, Any] | None:
    """The household a look-up names (not deleted): by its registration number, or holding
    the NIK (a member's, or the No. KK) — the one still registered before a withdrawn one."""
    found = []
    for row in households.search_households(lookup.value, -1):
        if lookup.kind != status_lookup.NIK:
            if row.registration_number == lookup.value:
                return households.load_household(row.id)
            continue
        doc = households.load_household(row.id)
        if doc.get("no_kk") == lookup.value or any(
            m.get("nik") == lookup.value for m in doc["members"]
        ):
            found.append(doc)
    found.sort(key=lambda d: d.get("status") == "withdrawn")  # stable: newest change first
    return found[0] if found else None


def status_slip(check: StatusCheck, officer: Officer | None) -> bytes:
    """The printable slip of a look-up just made (app/receipts/status_slip.py), on the paper
    receipts print on; the timeline only when the look-up showed it."""
    from app.receipts.status_slip import StatusSlip, render_status_slip  # reportlab: lazily

    officer = require(officer, "household.view")
    village = installation.current_village()
    return render_status_slip(
        StatusSlip(
            kelurahan=village.label if village else "",
            subject=check.subject,
            line=check.line,
            note=check.note,
            entries=tuple(check.timeline.entries) if check.timeline else (),
            officer_name=officer.full_name,
            printed_at=dt.datetime.now(dt.UTC),
        ),
        receipts.receipt_paper(),
    )
