"""Recording Dinsos' news on households (issue 19): one entry point for the target list, the
SIKS-NG outcomes, ID DTKS and the cross-kelurahan duplicate notices, and (`store`) the bulk
write that pemadanan results use too (issue 20).

Each household that receives news gets a new revision with its `dinsos_events` (and the status
and ID DTKS they move, app/core/dinsos_events.py), saved as a Dinsos supervisor's change of
Dinsos-owned fields, so it travels to the kelurahan in the next bundle. Only a Dinsos
installation records them (DESIGN §11); the kelurahan receives them.

`store` writes what `households.save_household(new, final=False, overriding=True)` writes for
each household — the validated document, its new revision, the next change number, one
`household.save` audit entry with its changes, the autosaved form dropped — but only the
household row's Dinsos columns, with executemany (app/db/dinsos_rows.py): the members and their
name index are not rewritten. A household with versions kept in a conflict still takes the full
save (the winner among them may change).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core import dinsos_events, document, ownership
from app.core.document import Document, DocumentError
from app.core.errors import UserError
from app.core.revisions import next_revision
from app.db import audit, canonical, conflicts, dinsos_rows, drafts
from app.db.connection import database
from app.db.transaction import disk_full_as
from app.services import installation
from app.services.actions import AuthError, Officer, require
from app.services.households import FieldOwnerError, save_household

CHUNK = 500  # households read, checked and written at a time: memory stays bounded


def refuse_kelurahan() -> None:
    """Dinsos' news is recorded at Dinsos; a kelurahan installation receives it in bundles."""
    if not installation.is_dinsos():
        raise AuthError("Kabar Dinsos hanya dicatat di instalasi Dinas Sosial, bukan kelurahan.")


def sender() -> str:
    """Who the events say sent them: this Dinsos installation's office (never a person)."""
    return installation.area_label(installation.dinsos_area() or installation.PROVINCE_CODE)


def record(
    updates: Mapping[str, Sequence[Mapping[str, Any]]],
    officer: Officer | None,
    *,
    audit_detail: Mapping[str, Any] | None = None,
) -> list[str]:
    """Add events to households, in one transaction (inside the caller's, if it holds one).
    Households that do not exist here, or already have the same news, are left as they are.
    Returns the ids of the households that changed. One `household.save` audit entry per
    household that changed, and one `dinsos.status` entry with counts (and the caller's
    `audit_detail`: profile, list number — never a NIK or a name)."""
    officer = require(officer, "dinsos.status")
    refuse_kelurahan()
    changed: list[str] = []
    ids = sorted(updates)
    with disk_full_as("kabar Dinsos"), database.atomic():
        for start in range(0, len(ids), CHUNK):
            docs = canonical.load_many(ids[start : start + CHUNK])
            pairs = [
                (doc, new)
                for household_id, doc in sorted(docs.items())
                if (new := dinsos_events.with_events(doc, updates[household_id])) is not None
            ]
            changed += store(pairs, officer)
        steps = sorted({str(e["step"]) for events in updates.values() for e in events})
        detail = {"steps": steps, "households": len(changed), **(audit_detail or {})}
        audit.append("dinsos.status", officer=officer.username, detail=detail)
    return changed


def store(changes: Sequence[tuple[Document, Document]], officer: Officer) -> list[str]:
    """Save Dinsos' changes of households in bulk, in one transaction (the caller's): each
    `(stored, new)` pair is the stored document and the same household with Dinsos' news or
    matching (the status, ID DTKS, events, matching and the exclusions that follow). Refused,
    nothing written, when a change touches a field a Dinsos installation does not own or the
    document is not valid. Returns the household ids, in the order given."""
    require(officer, "household.register")  # as the per-household save
    with database.atomic():  # a savepoint inside the caller's transaction
        return _store(changes, officer)


def _store(changes: Sequence[tuple[Document, Document]], officer: Officer) -> list[str]:
    at_dinsos = installation.is_dinsos()
    kept = conflicts.heads([before["household_id"] for before, _new in changes])
    now = document.now_iso()
    revised: list[Document] = []
    parents: list[str | None] = []
    entries: list[tuple[str | None, dict[str, Any]]] = []
    one_by_one: list[Document] = []
    for before, new in changes:
        _check_owned(before, new, officer, at_dinsos)
        if new["household_id"] in kept or not dinsos_rows.fits(before, new):
            one_by_one.append(new)
            continue
        try:
            document.validate(new)
        except DocumentError as exc:
            raise UserError(f"Data keluarga tidak valid: {exc}") from None
        doc = next_revision({**new, "updated_at": now})
        revised.append(doc)
        parents.append(before.get("rev"))
        entries.append((doc["household_id"], _audit_detail(before, doc)))
    dinsos_rows.update_many(revised, parents)
    audit.append_many("household.save", entries, officer=officer.username)
    for new in one_by_one:
        save_household(new, final=False, officer=officer, overriding=True)
    ids = [new["household_id"] for _before, new in changes]
    drafted = {d["household_id"] for d in drafts.all_drafts()} if changes else set()
    for household_id in drafted.intersection(ids):
        drafts.discard(household_id)
    return ids


def _audit_detail(before: Document, doc: Document) -> dict[str, Any]:
    """What the per-household save audits: its changes, field by field — compared only in the
    fields that differ (the members are the same, `dinsos_rows.fits`)."""
    new = {k: v for k, v in doc.items() if k != "members" and before.get(k) != v}
    old = {k: before.get(k) for k in new}
    changes = document.changes({**old, "members": []}, {**new, "members": []})
    return {"final": False, "status": doc["status"], "changes": changes}


def _check_owned(before: Document, new: Document, officer: Officer, at_dinsos: bool) -> None:
    """Only what Dinsos owns changes (DESIGN §11): what a kelurahan accepts from a Dinsos
    peer, and what this officer's role may change here (the exclusions follow the matching)."""
    for key, group in ownership.changes(before, new):
        if ownership.kind_may(ownership.DINSOS, group) and (
            group == ownership.DERIVED
            or ownership.role_may(officer.role, group, at_dinsos=at_dinsos)
        ):
            continue
        raise FieldOwnerError(
            f"Kolom {key} bukan milik Dinsos atau peran ini; kabar Dinsos tidak disimpan.",
            f"field {key} is not Dinsos' to change (role {officer.role}); nothing was stored",
        )
