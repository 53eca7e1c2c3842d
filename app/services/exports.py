"""Spreadsheet exports of personal data (issue 18): the daftar usulan for SIKS-NG and working
lists, as XLSX or CSV, through an export profile (`resources/exports/<name>.toml`).

Which households: without a status filter, the profile's `selection` -- `usulan`: those whose
status is `eligible` and whose document holds the decision *layak* of a **locked** musyawarah
(the daftar usulan); `all`: every household of the list except withdrawn ones. With
`statuses`, exactly the households of those statuses; `rw` narrows either. Deleted households
are never exported, and never a household outside this installation's scope (its own
kelurahan; Dinsos widens the scope with `bundle scope 31`, app/services/sync/imports.py).

Who: role action `export.personal` (supervisor; admin). The file leaves the encrypted database
as a plain spreadsheet with every NIK, name and mother's name of the families, so the officer
accountable for the daftar usulan that goes to Dinsos makes it, as with the musyawarah lock;
petugas and pendamping see households one at a time on screen. Each export is audited
(`export.personal`: profile, format, filter, rows, households, the file's SHA-256; no personal
data) in the transaction that puts the file in place (app/services/outputs.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core import export_cells, export_profiles
from app.core.document import Document
from app.core.errors import EXIT_BAD_INPUT, UserError
from app.core.export_profiles import Cell, Profile, ProfileError
from app.db import audit, export_rows, meetings
from app.db.connection import database
from app.exports.csv_file import DELIMITERS, write_csv
from app.exports.xlsx import write_xlsx
from app.paths import AppPaths, resource
from app.services import installation, listing, outputs
from app.services.actions import Officer, require
from app.services.sync import imports

FORMATS = ("xlsx", "csv")
ACTION = "export.personal"
_PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    profile: str
    format: str
    rows: int
    households: int
    sha256: str


class ExportInputError(UserError):
    """An unknown format, status or delimiter: nothing was read or written."""

    exit_code = EXIT_BAD_INPUT


def _bad(message: str, detail: str) -> UserError:
    return ExportInputError(message, detail)


# --- profiles ------------------------------------------------------------------------------------


def profiles_folder() -> Path:
    return resource("exports")


def profile_names() -> list[str]:
    """The names of the profiles shipped in resources/exports, sorted."""
    return sorted(p.stem for p in profiles_folder().glob("*.toml"))


def load_profile(name: str) -> Profile:
    """The profile `name` (resources/exports/<name>.toml), checked; a one-line refusal when
    there is no such profile or it is malformed."""
    if not _PROFILE_NAME.match(name) or name not in profile_names():
        known = ", ".join(profile_names())
        raise ProfileError(
            f"Profil ekspor {name[:64]!r} tidak ada (tersedia: {known}).",
            f"no export profile {name[:64]!r} (available: {known})",
        )
    text = (profiles_folder() / f"{name}.toml").read_text(encoding="utf-8")
    return export_profiles.parse(name, text)


def profiles() -> list[Profile]:
    return [load_profile(name) for name in profile_names()]


# --- which households ----------------------------------------------------------------------------


def _scope() -> str:
    scope = imports.scope()
    if not scope:
        raise UserError(
            "Kelurahan loket ini belum dipilih; tidak ada yang dapat diekspor.",
            "this installation has no kelurahan yet: nothing to export",
        )
    return scope


def _selected_ids(statuses: Sequence[str], rw: int | None, usulan: bool) -> list[str]:
    one = statuses[0] if len(statuses) == 1 else ("eligible" if usulan else None)
    query = listing.ListQuery(status=one, rw=rw, sort="rw_rt", descending=False)
    return listing.find_households(query).ids


def _keeper(statuses: Sequence[str], usulan: bool, scope: str) -> Callable[[Document], bool]:
    locked: dict[str, bool] = {}

    def decided_in_locked_meeting(doc: Document) -> bool:
        decision = doc.get("musyawarah") or {}
        meeting_id = decision.get("meeting_id")
        if decision.get("decision") != "eligible" or not meeting_id:
            return False
        if meeting_id not in locked:
            meeting = meetings.get(meeting_id)
            locked[meeting_id] = meeting is not None and meeting.locked
        return locked[meeting_id]

    def keep(doc: Document) -> bool:
        if doc.get("deleted") or not str(doc.get("village_code", "")).startswith(scope):
            return False
        status = doc.get("status")
        if statuses:
            return status in statuses
        if usulan:
            return status == "eligible" and decided_in_locked_meeting(doc)
        return status != "withdrawn"

    return keep


_KEEPER_KEYS = frozenset({"deleted", "village_code", "status", "musyawarah"})  # what keep reads


def _documents(
    profile: Profile, ids: list[str], keep: Callable[[Document], bool]
) -> Iterator[Document]:
    """The kept households' documents with the keys the profile and `keep` read, in order."""
    household_keys, member_keys = export_cells.needs(profile)
    docs = export_rows.partial_documents(  # members as tuples: no dict per member
        ids, household_keys | _KEEPER_KEYS, member_keys, member_tuples=True
    )
    return (doc for doc in docs if keep(doc))


class _Counted:
    """The rows of the documents, counting the households they came from."""

    def __init__(self, profile: Profile, docs: Iterator[Document]):
        layout = export_cells.needs(profile)[1]  # of the members' tuples (_documents)
        self.rows, self.docs, self.households = export_cells.row_builder(profile, layout), docs, 0

    def __iter__(self) -> Iterator[list[Cell]]:
        rows = self.rows
        for doc in self.docs:
            self.households += 1
            yield from rows(doc)


# --- the export ----------------------------------------------------------------------------------


def check_filter(statuses: Sequence[str], rw: int | None) -> None:
    """A one-line refusal for an unknown status or an RW out of range (before any work)."""
    from app.core import codes

    known = [code for code, _label in codes.choices("household", "status")]
    for status in statuses:
        if status not in known:
            raise _bad(
                f"Status {status[:32]!r} tidak dikenal (pilihan: {', '.join(map(str, known))}).",
                f"unknown status {status[:32]!r} (one of {', '.join(map(str, known))})",
            )
    if rw is not None and not 0 <= rw <= 999:
        raise _bad("RW harus 0 sampai 999.", "RW must be 0 to 999")


def default_file_name(profile: Profile, fmt: str, today: dt.date | None = None) -> str:
    """`<kelurahan>_<profile>_<YYYY-MM-DD>.<format>`, e.g.
    `pulau-panggang_siks-ng-usulan-v1_2026-11-30.xlsx` (the kelurahan's name in a-z0-9-)."""
    village = installation.current_village()
    scope = imports.scope() or ""
    if village is not None and village.code == scope:
        place = re.sub(r"[^a-z0-9]+", "-", village.name.lower()).strip("-") or village.code
    else:
        place = "wilayah-" + (re.sub(r"[^0-9]", "", scope) or "semua")
    day = (today or dt.date.today()).isoformat()
    return f"{place}_{profile.name}_{day}.{fmt}"


def export(
    profile_name: str,
    fmt: str,
    target: str | Path,
    officer: Officer | None,
    *,
    statuses: Sequence[str] = (),
    rw: int | None = None,
    delimiter: str = ",",
    force: bool = False,
    paths: AppPaths | None = None,
    household_ids: Sequence[str] | None = None,
    selection: str | None = None,
) -> ExportResult:
    """Write the export to `target` and audit it; refusals change nothing and write nothing.
    `household_ids` (in order; deleted, withdrawn and out-of-scope ones still left out) replaces
    the selection, named in the audit as `selection` (a target list: `target_list:<number>`)."""
    officer = require(officer, ACTION)
    profile = load_profile(profile_name)
    if fmt not in FORMATS:
        raise _bad(
            f"Format {fmt[:16]!r} tidak dikenal (xlsx atau csv).",
            f"unknown format {fmt[:16]!r}",
        )
    if delimiter not in DELIMITERS:
        raise _bad("Pemisah CSV harus ',' atau ';'.", "the CSV delimiter must be ',' or ';'")
    statuses = tuple(dict.fromkeys(statuses))
    check_filter(statuses, rw)
    outputs.check_output(target, force=force, paths=paths)  # before the work, not after it
    scope = _scope()
    usulan = not statuses and profile.selection == "usulan"
    ids = _selected_ids(statuses, rw, usulan) if household_ids is None else list(household_ids)
    if household_ids is not None:  # these, less deleted, withdrawn and out of scope
        statuses, usulan = (), False
    counted = _Counted(profile, _documents(profile, ids, _keeper(statuses, usulan, scope)))
    if fmt == "xlsx":
        data, count = write_xlsx(profile, counted)
    else:
        data, count = write_csv(profile, counted, delimiter)
    digest = hashlib.sha256(data).hexdigest()
    detail = {
        "profile": profile.name,
        "version": profile.version,
        "format": fmt,
        "filter": {
            "selection": selection or ("usulan" if usulan else "list"),
            "statuses": list(statuses),
            "rw": rw,
            "scope": scope,
        },  # fmt: skip
        "rows": count,
        "households": counted.households,
        "sha256": digest,
    }
    with database.atomic():  # the entry is rolled back if the file cannot be put in place
        audit.append(ACTION, officer=officer.username, detail=detail)
        with outputs.staged_output(target, data, force=force, paths=paths) as path:
            pass
    return ExportResult(path, profile.name, fmt, count, counted.households, digest)
