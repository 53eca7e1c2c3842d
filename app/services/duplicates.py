"""Duplicates (issue 14): the look-up that stops a final save of a household whose No. KK or a
member's NIK another household holds, the refusal naming them (`DuplicateError`), a
supervisor's acceptance stored on the household, and the possible duplicates noted after a
bundle import. `households.save_household` uses these; the supervisor's decisions that save
households themselves (withdraw, reinstate, keep both, merge) are in `marks.py`."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from app.core import document
from app.core.document import Document
from app.core.errors import UserError
from app.db import audit, listing
from app.db import duplicates as duplicate_rows
from app.rules import nik
from app.services.actions import Officer, require

MIN_DUPLICATE_REASON = 10
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
    return household_refs([household_id])[household_id]


def household_refs(household_ids: list[str]) -> dict[str, HouseholdRef]:
    """Each of these households as a message names it, by id: one query per 500 ids."""
    found = {
        r.id: HouseholdRef(r.id, r.registration_number, r.head_name, r.rw, r.rt)
        for r in listing.rows(list(dict.fromkeys(household_ids)))
    }
    return {h: found.get(h) or HouseholdRef(h, None, None, None, None) for h in household_ids}


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
        theirs = duplicate_rows.accepted(list(shared))
        covered |= {other for other, ids in theirs.items() if own in ids}
        shared = {other: found for other, found in shared.items() if other not in covered}
    refs = household_refs(list(shared))
    return [
        DuplicateMatch(refs[other], tuple(dict.fromkeys(found))) for other, found in shared.items()
    ]


def _accepted_ids(doc: Document) -> set[str]:
    return {o["household_id"] for a in doc.get("duplicate_acceptances", []) for o in a["of"]}


def acceptance(matches: list[DuplicateMatch], reason: str, officer: Officer) -> Document:
    """A supervisor's acceptance of `matches`, as stored in `duplicate_acceptances`."""
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


def audit_acceptance(
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


def checked_reason(text: str, minimum: int, what: str) -> str:
    """A supervisor's or officer's written reason, stripped; refused when shorter than
    `minimum`."""
    text = text.strip()
    if len(text) < minimum:
        raise UserError(f"Tuliskan {what} (minimal {minimum} karakter).")
    return text


def keep_marks(doc: Document, before: Document | None, allowed: bool) -> None:
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


# --- possible duplicates from bundles ----------------------------------------------------------


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
    flagged = duplicate_rows.flagged()
    accepted = duplicate_rows.accepted(
        list({hid for f in flagged for hid in (f.household_id, f.other_id)})
    )
    waiting = [
        f
        for f in flagged
        if f.other_id not in accepted.get(f.household_id, ())
        and f.household_id not in accepted.get(f.other_id, ())
    ]
    refs = household_refs([hid for f in waiting for hid in (f.household_id, f.other_id)])
    return [
        PossibleDuplicate(refs[f.household_id], refs[f.other_id], tuple(f.matched), f.found_at)
        for f in waiting
    ]


SHOWN_DUPLICATES = 200  # the pairs an import report keeps for display; the rest are counted


@dataclass(frozen=True)
class BundleDuplicates:
    """What one bundle import flagged: how many pairs, and the first `SHOWN_DUPLICATES` of
    them for the report (a report of a 50,000-household bundle stays small; the whole list is
    `possible_duplicates`)."""

    count: int
    shown: tuple[PossibleDuplicate, ...]


def flag_possible_duplicates(
    household_ids: list[str], bundle_id: str, screen: duplicate_rows.Screen | None = None
) -> BundleDuplicates:
    """Inside a bundle import: of the households just written, those holding a No. KK or NIK
    of a different household (neither withdrawn nor deleted, no acceptance covering the two)
    are noted for the supervisor, counted and the first ones returned for the import report.
    They stay stored: a bundle is taken whole, and the sender's data is never lost. Bulk (issue
    20): one indexed statement per 2,000 households (`duplicates.shared_values` of app/db),
    streamed pair by pair and noted `RECORD_BATCH` pairs at a time (memory stays small
    whatever the bundle); acceptances read only of the few households holding one; list rows
    only for the pairs shown. A pair of two households of the bundle is noted once. `screen`:
    what the import's writes found (app/db/duplicates.py `Screen`): only the households it
    names are looked up."""
    count = 0
    shown: list[tuple[str, str, list[str]]] = []
    batch: list[tuple[str, str, list[str], set[str]]] = []
    shared = duplicate_rows.shared_values(household_ids, screen)
    for (h, o), values in groupby(shared, key=lambda s: (s.household_id, s.other_id)):
        matched: set[str] = set()
        accepting: set[str] = set()  # the few with an acceptance: only theirs are read
        for s in values:
            matched.add(_match_label(s.field, s.value))
            accepting.update(x for x, a in ((h, s.household_accepts), (o, s.other_accepts)) if a)
        batch.append((h, o, sorted(matched, key=_kk_first), accepting))
        if len(batch) >= RECORD_BATCH:
            count += _note(batch, bundle_id, shown)
            batch = []
    count += _note(batch, bundle_id, shown)
    refs = household_refs([hid for h, o, _ in shown for hid in (h, o)])
    stamp = document.now_iso()
    return BundleDuplicates(
        count,
        tuple(PossibleDuplicate(refs[h], refs[o], tuple(m), stamp) for h, o, m in shown),
    )


RECORD_BATCH = 5000  # pairs noted with one executemany


def _kk_first(label: str) -> tuple[bool, str]:
    return not label.startswith("No. KK"), label


def _note(
    batch: list[tuple[str, str, list[str], set[str]]],
    bundle_id: str,
    shown: list[tuple[str, str, list[str]]],
) -> int:
    """Note the pairs of `batch` that no acceptance covers, keep the first of them in `shown`
    (up to `SHOWN_DUPLICATES`), and say how many were noted."""
    accepted = duplicate_rows.accepted(sorted({x for *_, a in batch for x in a}))
    found = [
        (h, o, m)
        for h, o, m, _ in batch
        if o not in accepted.get(h, ()) and h not in accepted.get(o, ())
    ]
    duplicate_rows.record(found, bundle_id)
    shown += found[: SHOWN_DUPLICATES - len(shown)]
    return len(found)
