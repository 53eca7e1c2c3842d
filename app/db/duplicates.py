"""Possible duplicates taken in from bundles (table `possible_duplicate`, migration 10) and the
supervisors' acceptances stored on households (issue 14).

A row says: household `household_id` arrived in bundle `bundle_id` holding a No. KK or NIK
that household `other_id` already held. Rows are this installation's work list only; the
decision is an edit of a household document (a withdrawal, or an acceptance), so the list is
the rows whose two households are both still live and whose pair no acceptance covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import orjson

from app.core.document import now_iso
from app.db.connection import database


@dataclass(frozen=True)
class Flagged:
    household_id: str  # the household that arrived
    other_id: str  # the household that held the value before
    matched: list[str]  # what they share, masked ("No. KK 3174********0001")
    bundle_id: str
    found_at: str


def record(pairs: Iterable[tuple[str, str, list[str]]], bundle_id: str) -> None:
    """Note (household_id, other_id, matched) pairs; a pair already noted (either way round)
    keeps its first note."""
    stamp = now_iso()
    database.connection().executemany(
        "INSERT INTO possible_duplicate (household_id, other_id, matched, bundle_id, found_at)"
        " SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM possible_duplicate"
        " WHERE (household_id = ?1 AND other_id = ?2) OR (household_id = ?2 AND other_id = ?1))",
        [(h, o, orjson.dumps(m).decode(), bundle_id, stamp) for h, o, m in pairs],
    )


def flagged() -> list[Flagged]:
    """Every noted pair whose two households are both neither deleted nor withdrawn, oldest
    first (whether an acceptance covers the pair is for the caller to see)."""
    rows = database.execute_sql(
        "SELECT p.household_id, p.other_id, p.matched, p.bundle_id, p.found_at"
        " FROM possible_duplicate p"
        " JOIN household h ON h.id = p.household_id"
        " JOIN household o ON o.id = p.other_id"
        " WHERE h.deleted = 0 AND h.status != 'withdrawn'"
        " AND o.deleted = 0 AND o.status != 'withdrawn'"
        " ORDER BY p.found_at, p.household_id, p.other_id"
    ).fetchall()
    return [Flagged(r[0], r[1], orjson.loads(r[2]), r[3], r[4]) for r in rows]


def accepted(household_ids: list[str]) -> dict[str, set[str]]:
    """For each of these households, the ids of the households its supervisors' acceptances
    cover (households with none are left out)."""
    found: dict[str, set[str]] = {}
    for i in range(0, len(household_ids), 500):
        chunk = household_ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        rows = database.execute_sql(
            f"SELECT id, duplicate_acceptances FROM household WHERE id IN ({marks})"
            " AND duplicate_acceptances != '[]'",
            chunk,
        ).fetchall()
        for household_id, text in rows:
            found[household_id] = {
                other["household_id"] for entry in orjson.loads(text) for other in entry["of"]
            }
    return found
