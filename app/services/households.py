"""One function per user action (STYLE §4). The UI and the CLI call these; they call storage.

Everything here runs on whichever thread calls it; the UI sends writes through its one
background runner.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from app.core import document, merge, ownership
from app.core.document import Document, DocumentError
from app.core.errors import UserError
from app.core.revisions import next_revision, verify_revision
from app.db import audit, conflicts, drafts, households, registration, transaction
from app.db.connection import database
from app.db.households import ClashError as ClashError  # raised by saves; callers catch it
from app.db.listing import HouseholdRow as HouseholdRow  # the CLI names the type here
from app.rules import nik
from app.services import checks, installation, matching, signing
from app.services.actions import ROLES, AuthError, Officer, require
from app.services.duplicates import (
    MIN_DUPLICATE_REASON,
    DuplicateError,
    DuplicateMatch,
    acceptance,
    audit_acceptance,
    checked_reason,
    find_duplicates,
    keep_marks,
)
from app.services.listing import (  # the list and its search (issue 16), kept here for callers
    household_count as household_count,
)
from app.services.listing import household_page as household_page
from app.services.listing import search_households as search_households
from app.services.versions import HouseholdApplier

NO_DECISION = {"decision": None, "date": None, "minutes_number": None}
# Statuses a final save may set; later ones (musyawarah, Dinsos) are kept as they are.
PRE_DECISION_STATUSES = frozenset({"draft", "registered", "excluded"})
SPOUSE = 2  # relationship code: Istri/suami
MARRIED = 2  # marital_status code: Kawin/nikah


# --- households ------------------------------------------------------------------------------


@contextmanager
def _writing() -> Iterator[None]:
    """A full disk while a household is written is DiskFullError ("Disk penuh ..."), not an
    unexpected error; the form keeps what was typed (issue 15; app/db/transaction.py)."""
    with transaction.disk_full_as("data keluarga"):
        yield


def new_household() -> Document:
    code = installation.village_code()
    if code is None:
        raise UserError("Kelurahan untuk instalasi ini belum dipilih")
    return document.new_household(code)


def save_household(
    doc: Document,
    final: bool,
    officer: Officer | None,
    *,
    overriding: bool = False,
    settles: Sequence[Document] = (),
    accept_duplicates: str | None = None,
) -> Document:
    """Save the household (as draft or final) and drop its autosaved form. Returns the stored
    document, with its new revision and, when final, its status (registered, or excluded with
    the criteria that applied) and registration number. Saving as final is refused while the
    checks find errors; the autosaved form is then kept.

    A final save of a household whose No. KK or a member's NIK another household holds (one
    neither withdrawn nor deleted, and no acceptance covering the two) raises DuplicateError
    naming them, and nothing is written (no registration number is taken) — unless a
    supervisor gives `accept_duplicates`, the written reason to register it anyway (role
    `duplicate.accept`): the acceptance is stored on the household and audited.

    An edit of a version that is no longer the stored one (a bundle brought a newer one while
    the form was open) is kept as a conflict beside it, for a supervisor: nothing is lost.
    `settles` are the conflict versions this save resolves (app/services/sync/conflicts.py).

    `overriding` is for the services that set a supervisor's marks (exclusion overrides,
    withdrawal, duplicate acceptances) and for conflict resolution: the document's marks are
    taken as given and the duplicate stop does not apply. An ordinary save keeps the stored
    marks, and a withdrawn household is not saved again.

    The officer's role must register households; changing the musyawarah decision also needs
    `musyawarah.decide` (a supervisor's)."""
    officer = require(officer, "household.register")
    if accept_duplicates is not None:
        require(officer, "duplicate.accept")
        accept_duplicates = checked_reason(
            accept_duplicates, MIN_DUPLICATE_REASON, "mengapa keluarga ini tetap didaftarkan"
        )
    try:
        document.validate(doc)
    except DocumentError as exc:
        raise UserError(f"Data keluarga tidak valid: {exc}") from None
    doc = document.clone(doc)
    matches: list[DuplicateMatch] = []
    with _writing(), database.atomic():
        before = households.load(doc["household_id"])
        stale = before is not None and doc["rev"] != before["rev"]
        if not overriding:
            _owned_fields(doc, before, officer, stale=stale, empty_is_missing=False)
        _keep_overrides(doc, before, allowed=overriding)
        keep_marks(doc, before, allowed=overriding)
        _check_musyawarah(doc, before, officer)
        if final and not overriding:
            matches = find_duplicates(doc)
            if matches and accept_duplicates is None:
                raise DuplicateError(matches)
            if matches and accept_duplicates is not None:
                entry = acceptance(matches, accept_duplicates, officer)
                doc["duplicate_acceptances"] = [*doc.get("duplicate_acceptances", []), entry]
        if final:
            evaluation = checks.check(doc)
            errors = evaluation.of_kind("error")
            if errors:
                listed = "; ".join(f.message for f in errors[:5])
                more = f" (dan {len(errors) - 5} lainnya)" if len(errors) > 5 else ""
                raise UserError(
                    f"Belum dapat disimpan final. Perbaiki dahulu: {listed}{more}. "
                    "Data yang sudah diketik tetap tersimpan sebagai draf."
                )
            doc["exclusions"] = evaluation.exclusions
            if doc["status"] in PRE_DECISION_STATUSES:
                doc["status"] = "excluded" if evaluation.exclusions else "registered"
            if not doc["registration_number"] and doc["status"] != "withdrawn":
                doc["registration_number"] = registration.next_number(
                    doc["village_code"], installation.device_code()
                )
        doc["updated_at"] = document.now_iso()
        doc = merge.settle(next_revision(doc), settles)
        if stale or conflicts.heads([doc["household_id"]]):
            _keep_beside(doc)  # the winner among the versions kept may change
        else:
            households.save(doc)
        drafts.discard(doc["household_id"])
        audit.append(
            "household.save",
            officer=officer.username,
            household_id=doc["household_id"],
            detail={
                "final": final,
                "status": doc["status"],
                **({"conflict": True} if stale else {}),
                "changes": document.changes(before, doc),
            },
        )
        if matches and accept_duplicates is not None:
            audit_acceptance(doc, matches, accept_duplicates, officer)
    return doc


class FieldOwnerError(AuthError):
    """A change to a field the officer's role does not own (DESIGN §11)."""


def _owned_fields(
    doc: Document,
    before: Document | None,
    officer: Officer,
    *,
    stale: bool,
    empty_is_missing: bool,
) -> None:
    """Hold an edit to the field ownership table (app/core/ownership.py). On an update, a
    store-managed field left out is taken from the stored household, and so is one given as its
    empty value when `empty_is_missing` (`household add`: `document.normalise` fills what a
    partial document leaves out with empty values, which must not wipe a registration number
    or a decision; a save's form always holds the whole document); a change to a field
    the role does not own is refused, naming the field. An edit of an older version (`stale`)
    keeps the stored value of a field the role does not own: the difference is the newer
    version's, not the officer's (the edit is then kept as a conflict beside it)."""
    if before is not None:
        _take(doc, before, "created_at")  # stamped by `normalise` when left out
        for key, empty in ownership.MANAGED_EMPTY.items():
            # an ordinary save has always kept the stored withdrawal and acceptances
            if key not in doc or ((empty_is_missing or key in _KEPT_MARKS) and doc[key] == empty):
                _take(doc, before, key)
    for key, group in list(ownership.changes(before, doc)):
        if ownership.role_may(officer.role, group, at_dinsos=installation.is_dinsos()):
            continue
        if stale and before is not None and key in ownership.MANAGED_EMPTY:
            _take(doc, before, key)
            continue
        raise _owner_refusal(key, group, officer)


def _owner_refusal(key: str, group: str, officer: Officer) -> FieldOwnerError:
    return FieldOwnerError(*ownership.refusal(key, group, officer.role, ROLES[officer.role]))


_KEPT_MARKS = ("withdrawal", "duplicate_acceptances")


def _take(doc: Document, before: Document, key: str) -> None:
    if key in before:
        doc[key] = document.clone({"v": before[key]})["v"]
    else:
        doc.pop(key, None)


def _check_musyawarah(doc: Document, before: Document | None, officer: Officer) -> None:
    """The musyawarah decision changes only in the hands of a role that may decide it."""
    stored = (before or {}).get("musyawarah", NO_DECISION)
    if doc.get("musyawarah", NO_DECISION) != stored:
        require(officer, "musyawarah.decide")
        payload = {"musyawarah": doc.get("musyawarah"), "before": stored}  # issue 15: signed
        signing.sign_decision("musyawarah.decide", doc["household_id"], payload, officer)


def _keep_beside(doc: Document) -> None:
    """Store an edit as a bundle import would: merged with the versions kept in a conflict
    (an edit of an older version becomes one of them)."""
    applier = HouseholdApplier("local", None, lambda _n: None)
    applier.add(doc)
    applier.flush()


def set_house_photo(household_id: str, present: bool, officer: Officer | None) -> Document:
    """The `house_photo` flag follows the house-front photos (issue 18: set at bundle export,
    app/services/sync/export.py, so an open form is not made stale), as an ordinary save."""
    doc = load_household(household_id)
    doc["house_photo"] = present
    return save_household(doc, final=False, officer=officer)


def delete_household(household_id: str, reason: str, officer: Officer | None) -> Document:
    """A supervisor removes a household registered by mistake (a duplicate, a test). It stays
    as a tombstone revision, so the deletion syncs to other installations and can be undone
    there as a conflict if someone edited it meanwhile."""
    officer = require(officer, "household.delete")
    reason = reason.strip()
    if len(reason) < 10:
        raise UserError("Tuliskan alasan penghapusan (minimal 10 karakter).")
    doc = load_household(household_id)
    if doc["deleted"]:
        raise UserError("Keluarga ini sudah dihapus.")
    with _writing(), database.atomic():
        saved = save_household({**doc, "deleted": True}, final=False, officer=officer,
                               overriding=True)  # fmt: skip
        audit.append("household.delete", officer=officer.username, household_id=household_id,
                     detail={"reason": reason})  # fmt: skip
    return saved


def record_matching(
    household_id: str,
    officer: Officer | None,
    *,
    car: bool | None = None,
    njop_idr: int | None = None,
    nik_not_found: Sequence[str] = (),
    status: str = "matched",
) -> Document:
    """Dinsos records what matching the household against Bapenda (car, NJOP) and Dukcapil
    (NIKs not found) showed. The results travel back to the kelurahan in bundles and feed the
    rules there: a car or an NJOP above Rp 1 miliar per Bapenda is an exclusion, a NIK not found
    is a warning. The stored exclusions follow them. Dinsos only (a kelurahan gets bundles)."""
    officer = require(officer, "matching.record")
    if not ownership.role_may(officer.role, ownership.MATCHING, at_dinsos=installation.is_dinsos()):
        raise _owner_refusal("matching", ownership.MATCHING, officer)  # pemadanan: Dinsos'
    doc = matching.with_matching(load_household(household_id), officer.full_name, car=car,
                                 njop_idr=njop_idr, nik_not_found=nik_not_found,
                                 status=status)  # fmt: skip
    return save_household(doc, final=False, officer=officer, overriding=True)


def view_household(household_id: str, officer: Officer | None) -> Document:
    """A full record, as an officer opens it: the view is written to the audit log."""
    record_view(household_id, officer)
    return load_household(household_id)


def record_view(household_id: str, officer: Officer | None) -> None:
    """Write to the audit log that an officer opened a full record (UU PDP)."""
    officer = require(officer, "household.view")
    audit.append("household.view", officer=officer.username, household_id=household_id)


def import_household(doc: Document, officer: Officer | None) -> tuple[Document, bool]:
    """Insert a document as given, or update the household with the same id (CLI `household
    add`). Returns the stored document and whether it was new. A household whose No. KK or a
    member's NIK a different household holds is refused (DuplicateError), unless the document
    is withdrawn or deleted or carries an acceptance of that household. The role must register
    households (and decide the musyawarah, to change its decision)."""
    officer = require(officer, "household.register")
    document.validate(doc)
    doc = document.clone(doc)
    with _writing(), database.atomic():
        stored = households.load(doc["household_id"])
        # an edit of an older version than the stored one (its `rev` given): kept as a conflict
        stale = stored is not None and doc.get("rev") not in (None, stored["rev"])
        _owned_fields(doc, stored, officer, stale=stale, empty_is_missing=True)
        _check_musyawarah(doc, stored, officer)
        matches = find_duplicates(doc)  # another household's No. KK / NIK: refused
        if matches:
            raise DuplicateError(matches)
        is_new = stored is None
        if is_new and doc.get("rev") and verify_revision(doc) is not None:  # issue 15
            raise UserError("Revisi data keluarga tidak sah: tidak cocok dengan isi riwayatnya.")
        if stored is not None and not stale:  # an edit of the stored household: history goes on
            doc = {**doc, "rev": stored["rev"], "revs": stored["revs"]}
        doc = next_revision({**doc, "updated_at": document.now_iso()})
        if stale or (stored is not None and conflicts.heads([doc["household_id"]])):
            _keep_beside(doc)
        else:
            households.save(doc)
        audit.append(
            "household.import",
            officer=officer.username,
            household_id=doc["household_id"],
            detail={"new": is_new, "changes": document.changes(stored, doc)},
        )
    return doc, is_new


def load_household(household_id: str) -> Document:
    doc = households.load(household_id)
    if doc is None:
        raise UserError(f"Keluarga {household_id} tidak ditemukan")
    return doc


def is_stored(household_id: str) -> bool:
    """Whether the household was saved (not only typed into a form)."""
    return households.exists(household_id)


# --- autosaved forms -------------------------------------------------------------------------


def autosave(doc: Document) -> None:
    with _writing():
        drafts.put(doc)


def unsaved_drafts() -> list[Document]:
    return drafts.all_drafts()


def discard_draft(household_id: str) -> None:
    drafts.discard(household_id)


def draft_of(household_id: str) -> Document | None:
    """The autosaved form of a household, if it has edits not yet saved."""
    return drafts.get(household_id)


def implied_answers(member: Document) -> dict[str, Any]:
    """Answers the member's other answers settle, for those of its fields still empty: sex and
    birth date from a valid NIK, and *Kawin/nikah* for a wife or husband of the head."""
    found: dict[str, Any] = {}
    try:
        info = nik.parse(member.get("nik") or "")
        found.update(sex=info.sex, birth_date=info.birth_date.isoformat())
    except nik.NikError:
        pass
    if member.get("relationship") == SPOUSE:
        found["marital_status"] = MARRIED
    return {key: value for key, value in found.items() if member.get(key) is None}


# --- exclusion overrides (issue 4) -------------------------------------------------------------


def _keep_overrides(doc: Document, before: Document | None, allowed: bool) -> None:
    """Overrides change only through app/services/overrides.py (a supervisor's
    act, with reason and document); an ordinary save keeps the stored ones."""
    if allowed:
        return
    stored = (before or {}).get("exclusion_overrides", [])
    if doc.get("exclusion_overrides", []) != stored:
        raise UserError(
            "Pengabaian pengecualian hanya dapat diubah oleh supervisor melalui "
            "'Abaikan pengecualian'."
        )
