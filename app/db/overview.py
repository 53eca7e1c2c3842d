"""Aggregates for the Dinsos overview of kelurahan (issue 19): one grouped query per concept,
each keyed by village code, so 267 kelurahan cost a handful of queries, not one per row.
`prefix` limits the rows to the installation's area ("31" or a kota code such as "31.74").
Households are counted from the (village, RW, RT, status) index alone (migration 24), never
from the wide rows: at 640,000 households a row scan took 4-8 s, the index 0.3 s."""

from __future__ import annotations

from typing import Any

from app.db.connection import database


def _rows(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in database.execute_sql(sql, params).fetchall()]


def households_by_status(prefix: str) -> list[tuple[str, str, int]]:
    """(village code, status, households) for every pair present. Counted in the index's own
    order (village, RW, RT, status), then summed per village and status: grouping the index's
    entries by (village, status) directly sorted all of them (2.4 million at Dinsos: 0.9-1.0 s
    against 0.48 s), and the village range is read from the index, not every entry tested."""
    rows = _rows(
        "SELECT village_code, status, SUM(n) FROM ("
        " SELECT village_code, rw, rt, status, COUNT(*) AS n FROM household"
        " INDEXED BY household_village_rw_rt_status"
        " WHERE village_code >= ? AND village_code < ? GROUP BY village_code, rw, rt, status)"
        " GROUP BY village_code, status",
        (prefix, prefix + "\x7f"),
    )
    return [(r[0], r[1], r[2]) for r in rows]


def households_in_conflict(prefix: str) -> dict[str, int]:
    """Village code -> households with more than one kept version (see app/db/conflicts.py).
    From the few conflicts to their households (CROSS JOIN keeps that order), not a scan of
    every household of the area looking for conflicts."""
    rows = _rows(
        "SELECT h.village_code, COUNT(DISTINCT c.household_id) FROM conflict c"
        " CROSS JOIN household h ON h.id = c.household_id"
        " WHERE substr(h.village_code, 1, ?) = ? GROUP BY h.village_code",
        (len(prefix), prefix),
    )
    return {r[0]: r[1] for r in rows}


def latest_meetings(prefix: str) -> dict[str, tuple[str, str | None, str]]:
    """Village code -> (date, BA number, received at) of its latest received (locked) meeting."""
    rows = _rows(
        "SELECT village_code, date, minutes_number, received_at FROM ("
        " SELECT village_code, date, minutes_number, received_at, ROW_NUMBER() OVER ("
        "  PARTITION BY village_code ORDER BY date DESC, received_at DESC) AS n"
        " FROM received_meeting WHERE village_code LIKE ?) WHERE n = 1",
        (prefix + "%",),
    )
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def bundles_by_village(prefix: str, kind: str) -> list[tuple[str, str, str, int, int]]:
    """(village code, sender fingerprint, last received at, its highest sequence, bundles) of
    bundles of `kind` taken in. A bundle counts for the kelurahan its sender serves (a
    kelurahan peer's, noted at import: peer_village, migration 22); another sender's for the
    kelurahan of the first household it carried: one look-up per bundle, not per household."""
    rows = _rows(
        "SELECT village_code, peer, MAX(logged_at), MAX(sequence), COUNT(*) FROM ("
        " SELECT l.peer, l.logged_at, l.sequence, COALESCE(v.village_code, ("
        "  SELECT h.village_code FROM bundle_outcome c JOIN household h ON h.id = c.household_id"
        "  WHERE c.bundle_id = l.bundle_id LIMIT 1)) AS village_code FROM bundle_log l"
        "  LEFT JOIN peer_village v ON v.peer = l.peer WHERE l.direction = 'in' AND l.kind = ?)"
        " WHERE substr(village_code, 1, ?) = ? GROUP BY village_code, peer",
        (kind, len(prefix), prefix),
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def received_sequences(kind: str) -> list[tuple[str, int, bool]]:
    """(sender fingerprint, sequence, whether it was a full export) of every bundle taken in."""
    rows = _rows(
        "SELECT peer, sequence, COALESCE(json_extract(counts, '$.full'), 0) FROM bundle_log"
        " WHERE direction = 'in' AND kind = ?",
        (kind,),
    )
    return [(r[0], r[1], bool(r[2])) for r in rows]
