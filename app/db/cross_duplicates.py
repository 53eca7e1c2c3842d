"""The SQL of cross-kelurahan duplicates (issue 19, app/services/cross_duplicates.py): on a
Dinsos installation, a member's NIK or a household's No. KK held by households of two or more
kelurahan, neither deleted nor withdrawn.

Fast at Dinsos scale (2.5M member rows) with the indexes of migration 1: the values held more
than once come from a scan of `member_nik` (or `household_no_kk`) alone — a covering index,
never the table — and only their few rows are then looked up by the same index. Values shared
inside one kelurahan are dropped in SQL (the kelurahan's own duplicate stop handles them).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.db.connection import database

NIK, NO_KK = "nik", "no_kk"

# {shared}: values held more than once (index-only); {holders}: their live households
_SQL = """
WITH shared AS ({shared}),
held AS (
  SELECT DISTINCT {value} AS value, h.id, h.village_code, h.registration_number, h.status
  FROM shared s {holders}
  WHERE h.deleted = 0 AND h.status != 'withdrawn' AND substr(h.village_code, 1, ?) = ?)
SELECT value, id, village_code, registration_number, status FROM held
WHERE value IN (SELECT value FROM held GROUP BY value HAVING COUNT(DISTINCT village_code) > 1)
ORDER BY value, village_code, id
"""

_PARTS = {
    NIK: {
        "shared": "SELECT nik FROM member WHERE nik > '' GROUP BY nik HAVING COUNT(*) > 1",
        "value": "m.nik",
        "holders": "JOIN member m ON m.nik = s.nik JOIN household h ON h.id = m.household_id",
    },
    NO_KK: {
        "shared": "SELECT no_kk FROM household WHERE no_kk > '' GROUP BY no_kk HAVING COUNT(*) > 1",
        "value": "h.no_kk",
        "holders": "JOIN household h ON h.no_kk = s.no_kk",
    },
}


@dataclass(frozen=True)
class Holder:
    """One household holding a shared value (`value` is the full NIK or No. KK: the service
    masks it before anything shows it)."""

    kind: str  # NIK or NO_KK
    value: str
    household_id: str
    village_code: str
    registration_number: str | None
    status: str


def query(kind: str) -> str:
    """The statement for one kind (the bench prints its plan)."""
    return _SQL.format(**_PARTS[kind])


def holders(prefix: str) -> list[Holder]:
    """Every live household of the area (`prefix`: "31" or a kota code) holding a NIK or No. KK
    that a live household of another kelurahan of the area holds too, ordered by kind, value,
    village code."""
    found: list[Holder] = []
    for kind in (NIK, NO_KK):
        rows = database.execute_sql(query(kind), (len(prefix), prefix)).fetchall()
        found += [Holder(kind, *r) for r in rows]
    return found


def with_notice() -> list[str]:
    """Ids of households (not deleted) whose Dinsos events mention a duplicate notice (open or
    cleared: the service reads which), by id. A scan of the household table: it runs only
    when Dinsos sends notices."""
    rows = database.execute_sql(
        "SELECT id FROM household WHERE deleted = 0"
        " AND instr(dinsos_events, '\"duplicate_notice\"') > 0 ORDER BY id"
    ).fetchall()
    return [r[0] for r in rows]
