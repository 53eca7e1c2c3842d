"""Conflicts as user actions (issue 6): list them, show the versions side by side, and resolve
one field by field. The resolution is an ordinary new revision that supersedes every version
in the conflict, so it syncs onward like any edit."""

from __future__ import annotations

from dataclasses import dataclass

from app.core import merge
from app.core.document import Document
from app.core.errors import UserError
from app.db import audit, conflicts, listing
from app.db.connection import database
from app.services import auth, households


@dataclass(frozen=True)
class ConflictRow:
    household_id: str
    registration_number: str | None
    head_name: str | None
    versions: int  # the winner and the kept versions


def households_in_conflict() -> list[ConflictRow]:
    rows = []
    for household_id, kept in conflicts.households_in_conflict():
        row = listing.row(household_id)
        rows.append(
            ConflictRow(
                household_id,
                row.registration_number if row else None,
                row.head_name if row else None,
                kept + 1,
            )
        )
    return rows


def versions(household_id: str) -> tuple[Document, list[Document]]:
    """(the version now shown, the kept versions best first)."""
    winner = households.load_household(household_id)
    kept = sorted(conflicts.versions(household_id), key=merge.winner_key, reverse=True)
    return winner, kept


def resolve(household_id: str, chosen: Document, officer: auth.Officer) -> Document:
    """Save `chosen` (the shown version with the fields the supervisor took from the others)
    as the household, settling every kept version."""
    auth.require(officer, "conflict.resolve")
    with database.atomic():
        winner, kept = versions(household_id)
        if not kept:
            raise UserError("Keluarga ini tidak sedang dalam konflik.")
        if chosen["household_id"] != household_id:
            raise UserError("Data keluarga yang dipilih tidak cocok.")
        chosen = {**chosen, "rev": winner["rev"], "revs": winner["revs"]}
        saved = households.save_household(
            chosen,
            final=chosen["status"] != "draft",
            officer=officer,
            overriding=True,
            settles=kept,
        )
        conflicts.remove([(household_id, v["rev"]) for v in kept])
        audit.append(
            "conflict.resolve",
            officer=officer.username,
            household_id=household_id,
            detail={"settled": [v["rev"] for v in kept], "rev": saved["rev"]},
        )
    return saved
