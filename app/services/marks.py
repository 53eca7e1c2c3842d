"""A supervisor's marks on a household (issue 14), each saved as an ordinary edit (a new
revision that syncs) and audited: withdrawal (Batalkan pendaftaran) and reinstatement,
keeping both of two households that share a No. KK / NIK, merging a duplicate into another —
and the line shown with a household about them (`marks_text`). These save through
`households.save_household`; the look-ups and refusals they share are in `duplicates.py`."""

from __future__ import annotations

import datetime as dt

from app.core import document
from app.core.document import Document
from app.core.errors import UserError
from app.db import audit
from app.db.connection import database
from app.services.actions import ROLES, AuthError, Officer, require
from app.services.duplicates import (
    DRAFT_NUMBER,
    MIN_DUPLICATE_REASON,
    acceptance,
    audit_acceptance,
    checked_reason,
    find_duplicates,
    household_ref,
)
from app.services.households import load_household, save_household

MIN_WITHDRAWAL_REASON = 10


def keep_both(household_id: str, reason: str, officer: Officer | None) -> Document:
    """A supervisor decides that the household and every other one holding its No. KK or a
    member's NIK are different families (e.g. pecah KK in progress): the acceptance, with the
    reason, is stored on the household as an ordinary edit (a new revision that syncs) and
    audited. The pairs then leave the list of possible duplicates."""
    officer = require(officer, "duplicate.accept")
    reason = checked_reason(reason, MIN_DUPLICATE_REASON, "alasan kedua keluarga tetap didaftarkan")
    doc = load_household(household_id)
    if doc["deleted"] or doc["status"] == "withdrawn":
        raise UserError("Keluarga ini sudah ditarik atau dihapus.")
    matches = find_duplicates(doc)
    if not matches:
        raise UserError("Tidak ada keluarga lain dengan No. KK atau NIK yang sama.")
    doc["duplicate_acceptances"] = [
        *doc.get("duplicate_acceptances", []),
        acceptance(matches, reason, officer),
    ]
    with database.atomic():
        saved = save_household(doc, final=False, officer=officer, overriding=True)
        audit_acceptance(saved, matches, reason, officer)
    return saved


def merge_duplicate(loser_id: str, winner_id: str, officer: Officer | None) -> Document:
    """A supervisor keeps `winner_id` as the family's household: `loser_id`, which must share
    its No. KK or a NIK, is withdrawn with the reason "digabung ke <registration number>". An
    ordinary edit of the loser (a revision that syncs); nothing is deleted, no id changes."""
    officer = require(officer, "duplicate.accept")
    if loser_id == winner_id:
        raise UserError("Pilih dua keluarga yang berbeda.")
    loser, winner = load_household(loser_id), load_household(winner_id)
    for doc in (loser, winner):
        if doc["deleted"] or doc["status"] == "withdrawn":
            raise UserError(f"Keluarga {household_ref(doc['household_id']).number} sudah ditarik "
                            "atau dihapus.")  # fmt: skip
    if winner_id not in {m.other.household_id for m in find_duplicates(loser, True)}:
        raise UserError("Kedua keluarga tidak memiliki No. KK atau NIK yang sama.")
    number = winner["registration_number"] or DRAFT_NUMBER
    return _withdraw(loser, f"digabung ke {number}", officer, winner_id, "duplicate.merge")


def local_today() -> dt.date:
    """Today on this computer's calendar (tests move it)."""
    return dt.date.today()


def _local_date(iso_utc: str) -> dt.date:
    return dt.datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone().date()


def withdraw_household(household_id: str, reason: str, officer: Officer | None) -> Document:
    """Batalkan pendaftaran: a registration made by mistake is withdrawn, with a reason, by a
    supervisor — or by the officer who registered it, on the same (local) day. The household
    is kept with status `withdrawn` (an ordinary edit, a new revision that syncs), no longer
    counts in duplicate checks and cannot be saved final again until a supervisor reinstates
    it (`reinstate_household`)."""
    officer = require(officer, "household.withdraw")
    reason = checked_reason(reason, MIN_WITHDRAWAL_REASON, "alasan pembatalan")
    doc = load_household(household_id)
    if doc["deleted"]:
        raise UserError("Keluarga ini sudah dihapus.")
    if doc["status"] == "withdrawn":
        raise UserError("Pendaftaran keluarga ini sudah dibatalkan.")
    if not officer.may("household.withdraw.any"):
        registered = audit.registered_by(household_id)
        if (
            registered is None
            or registered[0] != officer.username
            or _local_date(registered[1]) != local_today()
        ):
            raise AuthError(
                f"Peran {ROLES[officer.role]}: tidak berwenang membatalkan pendaftaran ini. "
                "Petugas hanya dapat membatalkan pendaftaran yang dibuatnya sendiri hari ini; "
                "mintalah supervisor.",
                "only a supervisor may withdraw a registration made by another officer or on "
                "an earlier day (household.withdraw.any)",
            )
    return _withdraw(doc, reason, officer, None, "household.withdraw")


def _withdraw(
    doc: Document, reason: str, officer: Officer, into: str | None, action: str
) -> Document:
    previous = doc["status"]
    doc["status"] = "withdrawn"
    doc["withdrawal"] = {
        "reason": reason,
        "by": officer.username,
        "at": document.now_iso(),
        **({"into": into} if into else {}),
    }
    with database.atomic():
        saved = save_household(doc, final=False, officer=officer, overriding=True)
        audit.append(
            action,
            officer=officer.username,
            household_id=doc["household_id"],
            detail={
                "reason": reason,
                "previous_status": previous,
                **({"into": household_ref(into).number} if into else {}),
            },
        )
    return saved


def reinstate_household(household_id: str, reason: str, officer: Officer | None) -> Document:
    """A supervisor takes a withdrawal back: the household becomes a draft again (keeping its
    registration number), to be saved final as usual — with the duplicate check."""
    officer = require(officer, "household.reinstate")
    reason = checked_reason(reason, MIN_WITHDRAWAL_REASON, "alasan pemulihan")
    doc = load_household(household_id)
    if doc["status"] != "withdrawn" or doc["deleted"]:
        raise UserError("Pendaftaran keluarga ini tidak sedang dibatalkan.")
    doc["status"] = "draft"
    doc.pop("withdrawal", None)
    with database.atomic():
        saved = save_household(doc, final=False, officer=officer, overriding=True)
        audit.append("household.reinstate", officer=officer.username,
                     household_id=household_id, detail={"reason": reason})  # fmt: skip
    return saved


def marks_text(doc: Document) -> str:
    """One line about a household's withdrawal or accepted duplicates, shown with the household
    ("" when it has neither)."""
    withdrawal = doc.get("withdrawal")
    if doc.get("status") == "withdrawn" and withdrawal:
        when = _local_date(withdrawal["at"]).strftime("%d-%m-%Y")
        return (
            f"Pendaftaran dibatalkan (ditarik) oleh {withdrawal['by']} pada {when}. "
            f"Alasan: {withdrawal['reason']}"
        )
    acceptances = doc.get("duplicate_acceptances") or []
    if acceptances:
        last = acceptances[-1]
        numbers = ", ".join(o["registration_number"] or DRAFT_NUMBER for o in last["of"])
        when = _local_date(last["at"]).strftime("%d-%m-%Y")
        return (
            f"Tetap didaftarkan walau No. KK/NIK sama dengan keluarga {numbers} "
            f"(diputuskan {last['by']} pada {when}). Alasan: {last['reason']}"
        )
    return ""
