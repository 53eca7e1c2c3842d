"""Exclusion overrides (issue 4): a supervisor sets aside an exclusion that rests on wrong data,
with a written reason and a document reference, or takes the override back. Each is a final
save of the household (`households.save_household` with `overriding`), audited with old and
new values; an ordinary save cannot change overrides. Each override and withdrawal is also
signed by the supervisor's personal key (app/services/signing.py, issue 15)."""

from __future__ import annotations

from app.core import document
from app.core.document import Document
from app.core.errors import UserError
from app.db.connection import database
from app.services import checks, signing
from app.services.actions import Officer, require
from app.services.households import load_household, save_household

MIN_OVERRIDE_REASON = 20


def override_exclusion(
    household_id: str, rule: str, reason: str, reference: str, officer: Officer | None
) -> Document:
    """A supervisor sets aside exclusion `rule` of a registered household because it rests on
    wrong data (e.g. the car was sold), with a written reason and a document reference. Saved
    as final: a new revision, the status follows, the audit log has old and new values.
    `officer` must be allowed to `exclusion.override`."""
    officer = require(officer, "exclusion.override")
    reason, reference = reason.strip(), reference.strip()
    if len(reason) < MIN_OVERRIDE_REASON:
        raise UserError(f"Tuliskan alasan minimal {MIN_OVERRIDE_REASON} karakter.")
    if not reference:
        raise UserError("Sebutkan dokumen pendukung (nomor surat, akta jual beli, dll.).")
    doc = load_household(household_id)
    if doc["status"] == "draft":
        raise UserError("Simpan final keluarga ini terlebih dahulu.")
    if rule not in checks.evaluate(doc).exclusions:
        raise UserError("Kriteria pengecualian itu tidak berlaku untuk keluarga ini.")
    kept = [o for o in doc.get("exclusion_overrides", []) if o["rule"] != rule]
    entry = {
        "rule": rule,
        "reason": reason,
        "reference": reference,
        "by": officer.username,
        "at": document.now_iso(),
    }
    doc["exclusion_overrides"] = [*kept, entry]
    with database.atomic():  # the decision and its signature stay together, or neither
        saved = save_household(doc, final=True, officer=officer, overriding=True)
        signing.sign_decision("exclusion.override", household_id, entry, officer)
    return saved


def withdraw_override(household_id: str, rule: str, officer: Officer | None) -> Document:
    """Take an override back: the exclusion applies again."""
    officer = require(officer, "exclusion.override")
    doc = load_household(household_id)
    doc["exclusion_overrides"] = [
        o for o in doc.get("exclusion_overrides", []) if o["rule"] != rule
    ]
    with database.atomic():
        saved = save_household(doc, final=doc["status"] != "draft", officer=officer,
                               overriding=True)  # fmt: skip
        entry = {"rule": rule, "withdrawn": True, "by": officer.username, "at": document.now_iso()}
        signing.sign_decision("exclusion.override.withdraw", household_id, entry, officer)
    return saved
