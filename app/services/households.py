"""One function per user action (STYLE §4). The UI and the CLI call these; they call storage.

Everything here runs on whichever thread calls it; the UI sends writes through its one
background runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.core import document, merge
from app.core.document import Document, DocumentError
from app.core.errors import UserError
from app.core.revisions import next_revision
from app.db import audit, conflicts, drafts, duplicates, households, listing, registration
from app.db.connection import database
from app.db.households import ClashError as ClashError  # raised by saves; callers catch it
from app.db.listing import HouseholdRow
from app.rules import nik
from app.services import checks, installation
from app.services.actions import ROLES, AuthError, Officer, require
from app.services.versions import HouseholdApplier

NO_DECISION = {"decision": None, "date": None, "minutes_number": None}
# Statuses a final save may set; later ones (musyawarah, Dinsos) are kept as they are.
PRE_DECISION_STATUSES = frozenset({"draft", "registered", "excluded"})


# --- households ------------------------------------------------------------------------------


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
        accept_duplicates = _reason(
            accept_duplicates, MIN_DUPLICATE_REASON, "mengapa keluarga ini tetap didaftarkan"
        )
    try:
        document.validate(doc)
    except DocumentError as exc:
        raise UserError(f"Data keluarga tidak valid: {exc}") from None
    doc = document.clone(doc)
    matches: list[DuplicateMatch] = []
    with database.atomic():
        before = households.load(doc["household_id"])
        _keep_overrides(doc, before, allowed=overriding)
        _keep_marks(doc, before, allowed=overriding)
        _check_musyawarah(doc, before, officer)
        if final and not overriding:
            matches = find_duplicates(doc)
            if matches and accept_duplicates is None:
                raise DuplicateError(matches)
            if matches and accept_duplicates is not None:
                entry = _acceptance(matches, accept_duplicates, officer)
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
            _audit_acceptance(doc, matches, accept_duplicates, officer)
    return doc


def _check_musyawarah(doc: Document, before: Document | None, officer: Officer) -> None:
    """The musyawarah decision changes only in the hands of a role that may decide it."""
    stored = (before or {}).get("musyawarah", NO_DECISION)
    if doc.get("musyawarah", NO_DECISION) != stored:
        require(officer, "musyawarah.decide")


def _keep_beside(doc: Document) -> None:
    """Store an edit as a bundle import would: merged with the versions kept in a conflict
    (an edit of an older version becomes one of them)."""
    applier = HouseholdApplier("local", None, lambda _n: None)
    applier.add(doc)
    applier.flush()


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
    with database.atomic():
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
    is a warning. The stored exclusions are brought up to date with them."""
    officer = require(officer, "matching.record")
    doc = load_household(household_id)
    unknown = [n for n in nik_not_found if n not in {m["nik"] for m in doc["members"]}]
    if unknown:
        raise UserError(f"NIK {', '.join(unknown)} bukan anggota keluarga ini.")
    doc["matching"] = {
        "checked_at": document.now_iso(),
        "source": officer.full_name,
        "car_per_bapenda": car,
        "njop_per_bapenda_idr": njop_idr,
        "nik_not_found": sorted(set(nik_not_found)),
    }
    doc["status"] = status
    doc["exclusions"] = checks.evaluate(doc).exclusions
    return save_household(doc, final=False, officer=officer)


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
    with database.atomic():
        stored = households.load(doc["household_id"])
        _check_musyawarah(doc, stored, officer)
        matches = find_duplicates(doc)  # another household's No. KK / NIK: refused
        if matches:
            raise DuplicateError(matches)
        is_new = stored is None
        if stored is not None:  # an edit of the stored household: its revision history goes on
            doc = {**doc, "rev": stored["rev"], "revs": stored["revs"]}
        doc = next_revision({**doc, "updated_at": document.now_iso()})
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


def household_count() -> int:
    return listing.count()


def household_page(after: tuple[str, str] | None = None, limit: int = 200) -> list[HouseholdRow]:
    return listing.page(after, limit)


def search_households(text: str, limit: int = 500) -> list[HouseholdRow]:
    return listing.search(text, limit)


# --- autosaved forms -------------------------------------------------------------------------


def autosave(doc: Document) -> None:
    drafts.put(doc)


def unsaved_drafts() -> list[Document]:
    return drafts.all_drafts()


def discard_draft(household_id: str) -> None:
    drafts.discard(household_id)


def draft_of(household_id: str) -> Document | None:
    """The autosaved form of a household, if it has edits not yet saved."""
    return drafts.get(household_id)


def autofill_from_nik(member: Document) -> dict[str, Any]:
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
        raise UserError(
            "Pengabaian pengecualian hanya dapat diubah oleh supervisor melalui "
            "'Abaikan pengecualian'."
        )


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
    return save_household(doc, final=True, officer=officer, overriding=True)


def withdraw_override(household_id: str, rule: str, officer: Officer | None) -> Document:
    """Take an override back: the exclusion applies again."""
    officer = require(officer, "exclusion.override")
    doc = load_household(household_id)
    doc["exclusion_overrides"] = [
        o for o in doc.get("exclusion_overrides", []) if o["rule"] != rule
    ]
    return save_household(doc, final=doc["status"] != "draft", officer=officer,
                          overriding=True)  # fmt: skip


# --- duplicates and withdrawal (issue 14) ------------------------------------------------------

MIN_DUPLICATE_REASON = 10
MIN_WITHDRAWAL_REASON = 10
DRAFT_NUMBER = "draf"  # how a household without a registration number is named
WITHDRAWN_MESSAGE = (
    "Pendaftaran keluarga ini sudah dibatalkan (ditarik) dan tidak dapat disimpan lagi. "
    "Supervisor dapat memulihkannya (Pulihkan pendaftaran); sesudah itu simpan final seperti "
    "biasa."
)


@dataclass(frozen=True)
class HouseholdRef:
    """Another household as a message names it: registration number, head, RW/RT — never its
    internal id, which is kept only to open it."""

    household_id: str
    registration_number: str | None
    head_name: str | None
    rw: int | None
    rt: int | None

    @property
    def number(self) -> str:
        return self.registration_number or DRAFT_NUMBER

    @property
    def place(self) -> str:
        rw, rt = ("-" if v is None else f"{v:03d}" for v in (self.rw, self.rt))
        return f"RW {rw}/RT {rt}"

    def describe(self) -> str:
        return f"{self.number} ({self.head_name or 'tanpa nama'}, {self.place})"

    def describe_en(self) -> str:
        number = self.registration_number or "a draft without registration number"
        return f"{number} ({self.head_name or 'no name'}, {self.place})"


@dataclass(frozen=True)
class DuplicateMatch:
    other: HouseholdRef
    matched: tuple[str, ...]  # what both hold, masked: "No. KK 3174********0001", "NIK ..."


class DuplicateError(UserError):
    """A final save, or `household add`, of a household whose No. KK or a member's NIK another
    household (neither withdrawn nor deleted) holds; nothing was written. `matches` names them
    for the dialog that offers to open one, save as draft or (a supervisor) register anyway."""

    def __init__(self, matches: list[DuplicateMatch]):
        self.matches = matches
        listed = "; ".join(f"{m.other.describe()}: {', '.join(m.matched)}" for m in matches)
        listed_en = "; ".join(f"{m.other.describe_en()}: {', '.join(m.matched)}" for m in matches)
        super().__init__(
            f"Data ganda: No. KK/NIK keluarga ini sudah terdaftar pada keluarga lain — {listed}. "
            "Belum disimpan final; data yang sudah diketik tetap tersimpan sebagai draf.",
            f"duplicate: another household holds the same No. KK / NIK: {listed_en}",
        )


def household_ref(household_id: str) -> HouseholdRef:
    row = listing.row(household_id)
    if row is None:
        return HouseholdRef(household_id, None, None, None, None)
    return HouseholdRef(household_id, row.registration_number, row.head_name, row.rw, row.rt)


def _match_label(field: str, value: str) -> str:
    return f"{'No. KK' if field == 'no_kk' else 'NIK'} {nik.mask(value)}"


def find_duplicates(doc: Document, include_accepted: bool = False) -> list[DuplicateMatch]:
    """The other households (neither withdrawn nor deleted) holding this household's No. KK or
    a member's NIK, with what each shares — less those a supervisor's acceptance on either of
    the two covers (unless `include_accepted`). None for a withdrawn or deleted household."""
    if doc.get("deleted") or doc.get("status") == "withdrawn":
        return []
    own = doc["household_id"]
    shared: dict[str, list[str]] = {}
    kk = str(doc.get("no_kk") or "")
    for other in listing.households_with_no_kk(kk) if kk else []:
        if other != own:
            shared.setdefault(other, []).append(_match_label("no_kk", kk))
    niks = dict.fromkeys(str(m["nik"]) for m in doc.get("members") or [] if m.get("nik"))
    for value in niks:
        for holder in listing.members_with_nik(value):
            if holder.household_id != own:
                shared.setdefault(holder.household_id, []).append(_match_label("nik", value))
    if not include_accepted:
        covered = _accepted_ids(doc)
        theirs = duplicates.accepted(list(shared))
        covered |= {other for other, ids in theirs.items() if own in ids}
        shared = {other: found for other, found in shared.items() if other not in covered}
    return [
        DuplicateMatch(household_ref(other), tuple(dict.fromkeys(found)))
        for other, found in shared.items()
    ]


def _accepted_ids(doc: Document) -> set[str]:
    return {o["household_id"] for a in doc.get("duplicate_acceptances", []) for o in a["of"]}


def _acceptance(matches: list[DuplicateMatch], reason: str, officer: Officer) -> Document:
    return {
        "reason": reason,
        "by": officer.username,
        "at": document.now_iso(),
        "of": [
            {
                "household_id": m.other.household_id,
                "registration_number": m.other.registration_number,
            }
            for m in matches
        ],
    }


def _audit_acceptance(
    doc: Document, matches: list[DuplicateMatch], reason: str, officer: Officer
) -> None:
    audit.append(
        "duplicate.accept",
        officer=officer.username,
        household_id=doc["household_id"],
        detail={
            "reason": reason,
            "of": [m.other.number for m in matches],
            "matched": sorted({value for m in matches for value in m.matched}),
        },
    )


def _reason(text: str, minimum: int, what: str) -> str:
    text = text.strip()
    if len(text) < minimum:
        raise UserError(f"Tuliskan {what} (minimal {minimum} karakter).")
    return text


def _keep_marks(doc: Document, before: Document | None, allowed: bool) -> None:
    """Withdrawal and duplicate acceptances change only through their services; an ordinary
    save keeps the stored ones, and a withdrawn household is not saved again."""
    if allowed:
        return
    stored = before or {}
    if stored.get("status") == "withdrawn" or doc["status"] == "withdrawn":
        raise UserError(WITHDRAWN_MESSAGE)
    for key, empty in (("withdrawal", None), ("duplicate_acceptances", [])):
        value = stored.get(key, empty)
        if value == empty:
            doc.pop(key, None)
        else:
            doc[key] = value


def keep_both(household_id: str, reason: str, officer: Officer | None) -> Document:
    """A supervisor decides that the household and every other one holding its No. KK or a
    member's NIK are different families (e.g. pecah KK in progress): the acceptance, with the
    reason, is stored on the household as an ordinary edit (a new revision that syncs) and
    audited. The pairs then leave the list of possible duplicates."""
    officer = require(officer, "duplicate.accept")
    reason = _reason(reason, MIN_DUPLICATE_REASON, "alasan kedua keluarga tetap didaftarkan")
    doc = load_household(household_id)
    if doc["deleted"] or doc["status"] == "withdrawn":
        raise UserError("Keluarga ini sudah ditarik atau dihapus.")
    matches = find_duplicates(doc)
    if not matches:
        raise UserError("Tidak ada keluarga lain dengan No. KK atau NIK yang sama.")
    doc["duplicate_acceptances"] = [
        *doc.get("duplicate_acceptances", []),
        _acceptance(matches, reason, officer),
    ]
    with database.atomic():
        saved = save_household(doc, final=False, officer=officer, overriding=True)
        _audit_acceptance(saved, matches, reason, officer)
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


@dataclass(frozen=True)
class PossibleDuplicate:
    """A household taken in from a bundle (`household`) and the one that already held its
    No. KK or a NIK (`other`), until a supervisor merges or keeps both."""

    household: HouseholdRef
    other: HouseholdRef
    matched: tuple[str, ...]
    found_at: str


def possible_duplicates(officer: Officer | None) -> list[PossibleDuplicate]:
    """The pairs from bundles still waiting for a supervisor, oldest first."""
    require(officer, "household.view")
    flagged = duplicates.flagged()
    accepted = duplicates.accepted(
        list({hid for f in flagged for hid in (f.household_id, f.other_id)})
    )
    return [
        PossibleDuplicate(
            household_ref(f.household_id), household_ref(f.other_id), tuple(f.matched), f.found_at
        )
        for f in flagged
        if f.other_id not in accepted.get(f.household_id, ())
        and f.household_id not in accepted.get(f.other_id, ())
    ]


def flag_possible_duplicates(household_ids: list[str], bundle_id: str) -> list[PossibleDuplicate]:
    """Inside a bundle import: of the households just written, those holding a No. KK or NIK
    of a different household (neither withdrawn nor deleted, no acceptance covering the two)
    are noted for the supervisor and returned for the import report. They stay stored: a
    bundle is taken whole, and the sender's data is never lost."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for s in listing.shared_values(household_ids):
        if (s.other_id, s.household_id) in pairs:  # both arrived in this bundle
            continue
        pairs.setdefault((s.household_id, s.other_id), []).append(_match_label(s.field, s.value))
    accepted = duplicates.accepted(list({hid for pair in pairs for hid in pair}))
    found = {
        (h, o): sorted(set(m), key=lambda label: (not label.startswith("No. KK"), label))
        for (h, o), m in pairs.items()
        if o not in accepted.get(h, ()) and h not in accepted.get(o, ())
    }
    duplicates.record([(h, o, m) for (h, o), m in found.items()], bundle_id)
    stamp = document.now_iso()
    return [
        PossibleDuplicate(household_ref(h), household_ref(o), tuple(m), stamp)
        for (h, o), m in found.items()
    ]


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
    reason = _reason(reason, MIN_WITHDRAWAL_REASON, "alasan pembatalan")
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
    reason = _reason(reason, MIN_WITHDRAWAL_REASON, "alasan pemulihan")
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
