"""One function per user action (STYLE §4). The UI and the CLI call these; they call storage.

Everything here runs on whichever thread calls it; the UI sends writes through its one
background runner.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from app.core import document, merge
from app.core.document import Document, DocumentError
from app.core.revisions import next_revision
from app.db import (
    audit,
    conflicts,
    drafts,
    households,
    listing,
    regions,
    registration,
    settings,
)
from app.db.connection import database, init_db
from app.paths import AppPaths
from app.rules import nik
from app.services import checks

VILLAGE_KEY = "village_code"
IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 5
DEVICE_KEY = "device_id"
# Statuses a final save may set; later ones (musyawarah, Dinsos) are kept as they are.
PRE_DECISION_STATUSES = frozenset({"draft", "registered", "excluded"})


class ServiceError(RuntimeError):
    """A user action that cannot be done; the message is Indonesian, for the user."""


def open_store(paths: AppPaths, key: bytes) -> None:
    """Open the encrypted database with its key (from a login: app/services/auth.py)."""
    paths.ensure()
    init_db(paths.db, key)


# --- this installation -----------------------------------------------------------------------


def village_code() -> str | None:
    return settings.get(VILLAGE_KEY)


def set_village(code: str) -> regions.Village:
    chosen = regions.village(code)
    if chosen is None:
        raise ServiceError(f"Kode kelurahan {code} tidak dikenal")
    settings.put(VILLAGE_KEY, code)
    return chosen


def current_village() -> regions.Village | None:
    code = village_code()
    return regions.village(code) if code else None


def villages() -> list[regions.Village]:
    return regions.villages()


def device_id() -> str:
    """This installation's id, made on first use."""
    with database.atomic():
        value = settings.get(DEVICE_KEY)
        if value is None:
            value = str(uuid.uuid4())
            settings.put(DEVICE_KEY, value)
    return value


def device_code() -> str:
    """Short device code used in registration numbers (8 hex digits of the device id)."""
    return device_id().replace("-", "")[:8].upper()


# --- households ------------------------------------------------------------------------------


def new_household() -> Document:
    code = village_code()
    if code is None:
        raise ServiceError("Kelurahan untuk instalasi ini belum dipilih")
    return document.new_household(code)


def save_household(
    doc: Document,
    final: bool,
    officer: str | None = None,
    *,
    overriding: bool = False,
    settles: Sequence[Document] = (),
) -> Document:
    """Save the household (as draft or final) and drop its autosaved form. Returns the stored
    document, with its new revision and, when final, its status (registered, or excluded with
    the criteria that applied) and registration number. Saving as final is refused while the
    checks find errors; the autosaved form is then kept.

    An edit of a version that is no longer the stored one (a bundle brought a newer one while
    the form was open) is kept as a conflict beside it, for a supervisor: nothing is lost.
    `settles` are the conflict versions this save resolves (app/services/sync/conflicts.py)."""
    try:
        document.validate(doc)
    except DocumentError as exc:
        raise ServiceError(f"Data keluarga tidak valid: {exc}") from None
    doc = document.clone(doc)
    with database.atomic():
        before = households.load(doc["household_id"])
        _keep_overrides(doc, before, allowed=overriding)
        if final:
            evaluation = checks.check(doc)
            errors = evaluation.of_kind("error")
            if errors:
                listed = "; ".join(f.message for f in errors[:5])
                more = f" (dan {len(errors) - 5} lainnya)" if len(errors) > 5 else ""
                raise ServiceError(
                    f"Belum dapat disimpan final. Perbaiki dahulu: {listed}{more}. "
                    "Data yang sudah diketik tetap tersimpan sebagai draf."
                )
            doc["exclusions"] = evaluation.exclusions
            if doc["status"] in PRE_DECISION_STATUSES:
                doc["status"] = "excluded" if evaluation.exclusions else "registered"
            if not doc["registration_number"]:
                doc["registration_number"] = registration.next_number(
                    doc["village_code"], device_code()
                )
        doc["updated_at"] = document.now_iso()
        parent = doc["rev"]
        doc = merge.settle(next_revision(doc), settles)
        stale = before is not None and parent != before["rev"]
        if stale or conflicts.heads([doc["household_id"]]):
            _keep_beside(doc)  # the winner among the versions kept may change
        else:
            households.save(doc)
        drafts.discard(doc["household_id"])
        audit.append(
            "household.save",
            officer=officer,
            household_id=doc["household_id"],
            detail={
                "final": final,
                "status": doc["status"],
                **({"conflict": True} if stale else {}),
                "changes": document.changes(before, doc),
            },
        )
    return doc


def _keep_beside(doc: Document) -> None:
    """Store an edit as a bundle import would: merged with the versions kept in a conflict
    (an edit of an older version becomes one of them)."""
    from app.services.sync.apply import HouseholdApplier

    applier = HouseholdApplier("local", None, lambda _n: None)
    applier.add(doc)
    applier.flush()


def delete_household(household_id: str, reason: str, officer) -> Document:
    """A supervisor removes a household registered by mistake (a duplicate, a test). It stays
    as a tombstone revision, so the deletion syncs to other installations and can be undone
    there as a conflict if someone edited it meanwhile."""
    from app.services import auth

    auth.require(officer, "household.delete")
    reason = reason.strip()
    if len(reason) < 10:
        raise ServiceError("Tuliskan alasan penghapusan (minimal 10 karakter).")
    doc = load_household(household_id)
    if doc["deleted"]:
        raise ServiceError("Keluarga ini sudah dihapus.")
    with database.atomic():
        saved = save_household({**doc, "deleted": True}, final=False, officer=officer.username,
                               overriding=True)  # fmt: skip
        audit.append("household.delete", officer=officer.username, household_id=household_id,
                     detail={"reason": reason})  # fmt: skip
    return saved


def record_matching(
    household_id: str,
    officer,
    *,
    car: bool | None = None,
    njop_idr: int | None = None,
    nik_not_found: Sequence[str] = (),
    status: str = "matched",
) -> Document:
    """Dinsos records what matching the household against Bapenda (car, NJOP) and Dukcapil
    (NIKs not found) showed. The results travel back to the kelurahan in bundles and feed the
    rules there: a car or an NJOP above Rp 1 miliar per Bapenda is an exclusion, a NIK not found
    is a warning. The stored exclusions are brought up to date with them."""
    from app.services import auth

    auth.require(officer, "matching.record")
    doc = load_household(household_id)
    unknown = [n for n in nik_not_found if n not in {m["nik"] for m in doc["members"]}]
    if unknown:
        raise ServiceError(f"NIK {', '.join(unknown)} bukan anggota keluarga ini.")
    doc["matching"] = {
        "checked_at": document.now_iso(),
        "source": officer.full_name,
        "car_per_bapenda": car,
        "njop_per_bapenda_idr": njop_idr,
        "nik_not_found": sorted(set(nik_not_found)),
    }
    doc["status"] = status
    doc["exclusions"] = checks.evaluate(doc).exclusions
    return save_household(doc, final=False, officer=officer.username)


def view_household(household_id: str, officer: str | None) -> Document:
    """A full record, as an officer opens it: the view is written to the audit log."""
    doc = load_household(household_id)
    record_view(household_id, officer)
    return doc


def record_view(household_id: str, officer: str | None) -> None:
    """Write to the audit log that an officer opened a full record (UU PDP)."""
    audit.append("household.view", officer=officer, household_id=household_id)


def import_household(doc: Document, officer: str | None = None) -> tuple[Document, bool]:
    """Insert a document as given, or update the household with the same id (CLI `household
    add`). Returns the stored document and whether it was new."""
    document.validate(doc)
    with database.atomic():
        stored = households.load(doc["household_id"])
        is_new = stored is None
        if stored is not None:  # an edit of the stored household: its revision history goes on
            doc = {**doc, "rev": stored["rev"], "revs": stored["revs"]}
        doc = next_revision({**doc, "updated_at": document.now_iso()})
        households.save(doc)
        audit.append(
            "household.import",
            officer=officer,
            household_id=doc["household_id"],
            detail={"new": is_new, "changes": document.changes(stored, doc)},
        )
    return doc, is_new


def load_household(household_id: str) -> Document:
    doc = households.load(household_id)
    if doc is None:
        raise ServiceError(f"Keluarga {household_id} tidak ditemukan")
    return doc


def household_count() -> int:
    return listing.count()


def household_page(after: tuple[str, str] | None = None, limit: int = 200):
    return listing.page(after, limit)


def search_households(text: str, limit: int = 500):
    return listing.search(text, limit)


# --- autosaved forms -------------------------------------------------------------------------


def idle_lock_minutes() -> float:
    """Minutes without input before the window locks (setting `idle_lock_minutes`, default 5)."""
    return float(settings.get(IDLE_LOCK_KEY) or DEFAULT_IDLE_LOCK_MINUTES)


def verify_audit_log() -> tuple[int, str | None]:
    """(entries checked, None) when the audit log is intact, else what is wrong and where."""
    return audit.verify()


def autosave(doc: Document) -> None:
    drafts.put(doc)


def unsaved_drafts() -> list[Document]:
    return drafts.all_drafts()


def discard_draft(household_id: str) -> None:
    drafts.discard(household_id)


def draft_of(household_id: str) -> Document | None:
    """The autosaved form of a household, if it has edits not yet saved."""
    return drafts.get(household_id)


def autofill_from_nik(member: Document) -> dict:
    """Sex and birth date read from a valid NIK, for those of the member's fields still empty."""
    try:
        info = nik.parse(member.get("nik") or "")
    except nik.NikError:
        return {}
    found = {"sex": info.sex, "birth_date": info.birth_date.isoformat()}
    return {key: value for key, value in found.items() if member.get(key) is None}


# --- exclusion overrides (issue 4) -------------------------------------------------------------

MIN_OVERRIDE_REASON = 20


def _keep_overrides(doc: Document, before: Document | None, allowed: bool) -> None:
    """Overrides change only through `override_exclusion` / `withdraw_override` (a supervisor's
    act, with reason and document); an ordinary save keeps the stored ones."""
    if allowed:
        return
    stored = (before or {}).get("exclusion_overrides", [])
    if doc.get("exclusion_overrides", []) != stored:
        raise ServiceError(
            "Pengabaian pengecualian hanya dapat diubah oleh supervisor melalui "
            "'Abaikan pengecualian'."
        )


def override_exclusion(
    household_id: str, rule: str, reason: str, reference: str, officer
) -> Document:
    """A supervisor sets aside exclusion `rule` of a registered household because it rests on
    wrong data (e.g. the car was sold), with a written reason and a document reference. Saved
    as final: a new revision, the status follows, the audit log has old and new values.
    `officer` is an app.services.auth.Officer that may `exclusion.override`."""
    from app.services import auth  # auth builds on services

    auth.require(officer, "exclusion.override")
    reason, reference = reason.strip(), reference.strip()
    if len(reason) < MIN_OVERRIDE_REASON:
        raise ServiceError(f"Tuliskan alasan minimal {MIN_OVERRIDE_REASON} karakter.")
    if not reference:
        raise ServiceError("Sebutkan dokumen pendukung (nomor surat, akta jual beli, dll.).")
    doc = load_household(household_id)
    if doc["status"] == "draft":
        raise ServiceError("Simpan final keluarga ini terlebih dahulu.")
    if rule not in checks.evaluate(doc).exclusions:
        raise ServiceError("Kriteria pengecualian itu tidak berlaku untuk keluarga ini.")
    kept = [o for o in doc.get("exclusion_overrides", []) if o["rule"] != rule]
    entry = {
        "rule": rule,
        "reason": reason,
        "reference": reference,
        "by": officer.username,
        "at": document.now_iso(),
    }
    doc["exclusion_overrides"] = [*kept, entry]
    return save_household(doc, final=True, officer=officer.username, overriding=True)


def withdraw_override(household_id: str, rule: str, officer) -> Document:
    """Take an override back: the exclusion applies again."""
    from app.services import auth

    auth.require(officer, "exclusion.override")
    doc = load_household(household_id)
    doc["exclusion_overrides"] = [
        o for o in doc.get("exclusion_overrides", []) if o["rule"] != rule
    ]
    return save_household(doc, final=doc["status"] != "draft", officer=officer.username,
                          overriding=True)  # fmt: skip
