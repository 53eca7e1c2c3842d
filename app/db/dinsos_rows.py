"""Dinsos' news on many households at once (issues 19, 20): only the household row's columns
that Dinsos' changes touch are rewritten, with executemany — the members, their name index and
the other columns stay as they are.

A Dinsos change (the target list, SIKS-NG outcomes, ID DTKS, duplicate notices, pemadanan
results) moves `status`, `dtks_id`, `dinsos_events`, `matching` and the `exclusions` that follow
the matching; the new revision moves `rev`, `revs` and `updated_at`, and each household takes
the next change number so it travels in the next bundle (an export builds its JSON from these
rows: app/db/canonical.py stores none). The service
(app/services/dinsos_status.py) checks, validates and revises each document first; the caller
holds the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.document import Document
from app.core.errors import UserError
from app.db.connection import database
from app.db.households import HOUSEHOLD_COLUMNS, household_values, last_change

DINSOS_COLUMNS = (
    "status", "dtks_id", "dinsos_events", "matching", "exclusions", "rev", "revs", "updated_at",
)  # fmt: skip
# where each of them is in a row of `household_values`
_POSITIONS = tuple(HOUSEHOLD_COLUMNS.index(col) + 1 for col in DINSOS_COLUMNS)
_UPDATE = (
    f"UPDATE household SET {', '.join(f'{col} = ?' for col in DINSOS_COLUMNS)}, change_seq = ?"
    " WHERE id = ? AND rev IS ?"
)


def fits(before: Document, after: Document) -> bool:
    """Whether `after` differs from the stored `before` only in the columns `update_many`
    writes (anything else, members included, needs the full save of app/db/households.py)."""
    keys = (before.keys() | after.keys()) - set(DINSOS_COLUMNS)
    return all((old := before.get(key)) is (new := after.get(key)) or old == new for key in keys)


class StaleRowError(UserError):
    """A household changed between reading it and writing Dinsos' news onto it: nothing of the
    batch is kept (the caller's transaction rolls back)."""


def update_many(docs: Sequence[Document], parents: Sequence[str | None]) -> int:
    """Write the Dinsos columns of these households (each `docs[i]` a new revision of the stored
    revision `parents[i]`), each with the next change number; returns how many. Raises
    StaleRowError when a household is no longer at its parent revision (or not stored)."""
    if not docs:
        return 0
    if not database.in_transaction():  # pragma: no cover - a programming error
        raise RuntimeError("update_many runs inside the caller's transaction")
    seq = last_change()
    rows: list[tuple[Any, ...]] = []
    for offset, (doc, parent) in enumerate(zip(docs, parents, strict=True), start=1):
        full = household_values(doc)
        rows.append((*(full[i] for i in _POSITIONS), seq + offset, doc["household_id"], parent))
    cursor = database.connection().executemany(_UPDATE, rows)
    if cursor.rowcount != len(rows):
        raise StaleRowError(
            "Data keluarga berubah saat kabar Dinsos dicatat; tidak ada yang disimpan. "
            "Ulangi pencatatan.",
            f"{len(rows) - cursor.rowcount} of {len(rows)} households changed meanwhile",
        )
    return len(rows)
