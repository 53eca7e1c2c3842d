"""Recording Dinsos' news on households (issue 19): one entry point for the target list, the
SIKS-NG outcomes, ID DTKS and the cross-kelurahan duplicate notices.

Each household that receives news gets a new revision with its `dinsos_events` (and the status
and ID DTKS they move, app/core/dinsos_events.py), saved as a Dinsos supervisor's change of
Dinsos-owned fields, so it travels to the kelurahan in the next bundle. Only a Dinsos
installation records them (DESIGN §11); the kelurahan receives them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core import dinsos_events
from app.db import audit
from app.db import households as household_rows
from app.db.connection import database
from app.db.transaction import disk_full_as
from app.services import installation
from app.services.actions import AuthError, Officer, require
from app.services.households import save_household


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
    Returns the ids of the households that changed. One audit entry, `dinsos.status`, with
    counts (and the caller's `audit_detail`: profile, list number — never a NIK or a name)."""
    officer = require(officer, "dinsos.status")
    refuse_kelurahan()
    changed: list[str] = []
    with disk_full_as("kabar Dinsos"), database.atomic():
        docs = household_rows.load_many(sorted(updates))
        for household_id in sorted(updates):
            doc = docs.get(household_id)
            if doc is None:
                continue
            new = dinsos_events.with_events(doc, updates[household_id])
            if new is None:
                continue
            save_household(new, final=False, officer=officer, overriding=True)
            changed.append(household_id)
        steps = sorted({str(e["step"]) for events in updates.values() for e in events})
        detail = {"steps": steps, "households": len(changed), **(audit_detail or {})}
        audit.append("dinsos.status", officer=officer.username, detail=detail)
    return changed
