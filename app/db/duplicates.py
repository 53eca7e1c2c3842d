"""Possible duplicates taken in from bundles (table `possible_duplicate`, migration 10), the
look-up of a whole bundle's (`shared_values`, issue 20) and the supervisors' acceptances stored
on households (issue 14).

A row says: household `household_id` arrived in bundle `bundle_id` holding a No. KK or NIK
that household `other_id` already held. Rows are this installation's work list only; the
decision is an edit of a household document (a withdrawal, or an acceptance), so the list is
the rows whose two households are both still live and whose pair no acceptance covers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

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


# --- the bulk look-up of a bundle (issue 20) ---------------------------------------------------
# Households that are deleted, withdrawn or hold an acceptance: migration 26's partial index
# `household_duplicate_marks` holds only them, so whether another household counts is known
# without reading its wide row (one look-up per shared NIK before). Each statement repeats the
# index's condition (MARKED) so SQLite uses that index.
MARKED = "(deleted != 0 OR status = 'withdrawn' OR duplicate_acceptances != '[]')"
_GONE = f"SELECT id FROM household WHERE {MARKED} AND (deleted != 0 OR status = 'withdrawn')"
_ACCEPTING = f"SELECT id FROM household WHERE {MARKED} AND duplicate_acceptances != '[]'"
_ARRIVED = (  # the bundle's households, for "both arrived: the pair once"
    "CREATE TEMP TABLE IF NOT EXISTS dup_arrived (id TEXT PRIMARY KEY) WITHOUT ROWID",
    "DELETE FROM temp.dup_arrived",
)
# Per chunk of arrived households (h), the others (o) holding their No. KK or a member's NIK:
# the same indexed look-ups as the one-household check, neither side gone, a pair of two
# arrived households once (smaller id first), sorted by pair. Measured at Dinsos size against
# one statement over the whole bundle with its values sorted in a temporary table: that one
# was slower inside the import's transaction (2.4 s against 1.6 s with no shared value).
_PAIRS = f"""
SELECT h.id, o.id, 'no_kk', h.no_kk, h.id IN ({_ACCEPTING}), o.id IN ({_ACCEPTING})
FROM household h JOIN household o ON o.no_kk = h.no_kk AND o.id != h.id
WHERE h.id IN (SELECT value FROM json_each(?1)) AND h.no_kk != ''
  AND h.id NOT IN ({_GONE}) AND o.id NOT IN ({_GONE})
  AND NOT (o.id < h.id AND o.id IN temp.dup_arrived)
UNION ALL
SELECT m.household_id, om.household_id, 'nik', m.nik, m.household_id IN ({_ACCEPTING}),
       om.household_id IN ({_ACCEPTING})
FROM member m JOIN member om ON om.nik = m.nik AND om.household_id != m.household_id
WHERE m.household_id IN (SELECT value FROM json_each(?1)) AND m.nik != ''
  AND m.household_id NOT IN ({_GONE}) AND om.household_id NOT IN ({_GONE})
  AND NOT (om.household_id < m.household_id AND om.household_id IN temp.dup_arrived)
ORDER BY 1, 2, 3, 4
"""
CHUNK = 2000  # arrived households per statement

# Of a batch of values, those a stored row holds (`held`: written before them) or more than
# one holds (`written`: they are stored): one look-up in the value's index each, which reads
# no row (a NIK shared with nobody, as nearly all are, costs one index descent).
_SHARED_AMONG = """
SELECT 'no_kk', value FROM json_each(?1)
WHERE EXISTS (SELECT 1 FROM household WHERE no_kk = value LIMIT 1 OFFSET {offset})
UNION
SELECT 'nik', value FROM json_each(?2)
WHERE EXISTS (SELECT 1 FROM member WHERE nik = value LIMIT 1 OFFSET {offset})
"""
_HOLDERS = """
SELECT id FROM household WHERE no_kk IN (SELECT value FROM json_each(?1))
UNION SELECT household_id FROM member WHERE nik IN (SELECT value FROM json_each(?2))
"""


@dataclass
class Screen:
    """What a bundle import's writes found for its duplicate look-up (issue 20): the No. KK and
    NIK values of the households it wrote that more than one stored row holds (`note_before`
    each batch of new households is inserted, `note` after each batch of others is written:
    app/db/households.write_rows), and the households it stored without writing their rows
    (a conflict that keeps the winner). Only a household holding one of those values, or in
    `unscreened`, can share a value with another: `shared_values` looks at those alone. At
    Dinsos size the look-up of a whole bundle read every arrived household's and member's row
    again, most of them no longer in the cache (0.75 s of a 6 s import)."""

    shared: set[tuple[str, str]] = field(default_factory=set)
    unscreened: set[str] = field(default_factory=set)

    def note(self, no_kks: Iterable[str | None], niks: Iterable[str | None]) -> None:
        """These values were just written: keep those another stored row holds too."""
        self._look_up([v for v in no_kks if v], [v for v in niks if v], written=True)

    def note_before(self, no_kks: Iterable[str | None], niks: Iterable[str | None]) -> None:
        """These values (of households new here) are about to be inserted: keep those a stored
        row holds already, and those held twice among them. Looked up before the insert, the
        index pages it reads are the ones the insert then writes: at Dinsos size, looked up
        after, they had left the cache again (0.58 s against 0.13 s for a 50,000 bundle)."""
        kks, ns = [v for v in no_kks if v], [v for v in niks if v]
        for kind, values in (("no_kk", kks), ("nik", ns)):
            if len(set(values)) < len(values):
                self.shared.update((kind, v) for v, n in Counter(values).items() if n > 1)
        self._look_up(kks, ns, written=False)

    def _look_up(self, kks: list[str], niks: list[str], written: bool) -> None:
        if not kks and not niks:
            return
        rows = database.execute_sql(
            _SHARED_AMONG.format(offset=1 if written else 0),
            (orjson.dumps(kks).decode(), orjson.dumps(niks).decode()),
        ).fetchall()
        self.shared.update((str(kind), str(value)) for kind, value in rows)

    def candidates(self) -> set[str]:
        """The households (of any state) that may have a possible duplicate."""
        kks = [v for f, v in self.shared if f == "no_kk"]
        niks = [v for f, v in self.shared if f == "nik"]
        found = set(self.unscreened)
        if kks or niks:
            rows = database.execute_sql(
                _HOLDERS, (orjson.dumps(kks).decode(), orjson.dumps(niks).decode())
            ).fetchall()
            found.update(str(r[0]) for r in rows)
        return found


class SharedValue(NamedTuple):  # a tuple: made ~200,000 times for a bundle at Dinsos
    """A No. KK or NIK that household `household_id` shares with household `other_id`."""

    household_id: str
    other_id: str
    field: str  # "no_kk" or "nik"
    value: str
    # whether either holds a supervisor's duplicate acceptance (most hold none: only those
    # need reading)
    household_accepts: bool
    other_accepts: bool


def shared_values(household_ids: list[str], screen: Screen | None = None) -> Iterator[SharedValue]:
    """Every No. KK and NIK that one of these households (just arrived in a bundle) shares with
    another household, both neither deleted nor withdrawn, ordered by pair: the duplicate
    look-up of a whole bundle, one statement per `CHUNK` households, streamed. A pair of two
    arrived households comes one way round only. With the import's `screen`, only the
    households it says may share a value are looked up (the same pairs, in the same order)."""
    candidates = None if screen is None else screen.candidates()
    conn = database.connection()
    for sql in _ARRIVED:
        conn.execute(sql)
    for i in range(0, len(household_ids), 5000):
        conn.execute(
            "INSERT OR IGNORE INTO temp.dup_arrived SELECT value FROM json_each(?)",
            (orjson.dumps(household_ids[i : i + 5000]).decode(),),
        )
    try:
        for i in range(0, len(household_ids), CHUNK):
            ids = household_ids[i : i + CHUNK]
            if candidates is not None:
                ids = [h for h in ids if h in candidates]
                if not ids:
                    continue
            chunk = orjson.dumps(ids).decode()
            for h, o, field, value, ha, oa in conn.execute(_PAIRS, (chunk,)).fetchall():
                yield SharedValue(h, o, field, value, bool(ha), bool(oa))
    finally:
        conn.execute("DELETE FROM temp.dup_arrived")
