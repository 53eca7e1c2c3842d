"""The queries behind the recaps and working lists (issue 18): counts of households (KK) and
people (jiwa) per RW, RT, status and exclusion criteria, registrations per officer and day, and
the households a working list names. Counts only leave here, except for `worklist_rows`, which
reads what a field-visit list prints (never a NIK).

Deleted households are never counted; `village` (a kelurahan code) limits every query to the
households of that kelurahan, as a recap is of one kelurahan.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.db.audit import NUMBERED, REGISTRATION_ACTIONS
from app.db.connection import database
from app.db.list_query import HEAD_PK

# Members per household, aggregated once (a join on it is ~3x faster than a subquery per row).
_MEMBER_COUNTS = "(SELECT household_id, COUNT(*) AS n FROM member GROUP BY household_id)"
# Days as the counter lives them: the audit log keeps UTC, Jakarta is UTC+7 (WIB).
WIB_OFFSET = "+7 hours"


@dataclass(frozen=True)
class StatusCount:
    """Households and their members of one RW, RT, status and set of exclusion criteria."""

    rw: int | None
    rt: int | None
    status: str
    exclusions: str  # the criteria as stored (JSON text), e.g. '["car"]'
    households: int
    people: int


@dataclass(frozen=True)
class OfficerDay:
    officer: str | None
    day: str  # YYYY-MM-DD in WIB
    households: int


@dataclass(frozen=True)
class WorklistRow:
    household_id: str
    rw: int | None
    rt: int | None
    address: str | None
    head_name: str | None
    status: str
    registration_number: str | None
    updated_at: str


def _village(village: str | None, alias: str = "h") -> tuple[str, list[str]]:
    if village is None:
        return "", []
    return f" AND {alias}.village_code = ?", [village]


def status_counts(village: str | None = None) -> list[StatusCount]:
    """One row per (RW, RT, status, exclusion criteria) that has households."""
    where, params = _village(village)
    sql = (
        "SELECT h.rw, h.rt, h.status, h.exclusions, COUNT(*), COALESCE(SUM(c.n), 0)"
        f" FROM household h LEFT JOIN {_MEMBER_COUNTS} c ON c.household_id = h.id"
        f" WHERE h.deleted = 0{where} GROUP BY h.rw, h.rt, h.status, h.exclusions"
    )
    return [StatusCount(*row) for row in database.execute_sql(sql, params).fetchall()]


def registrations_per_officer_day(village: str | None = None) -> list[OfficerDay]:
    """Households registered (given their registration number) on this installation, per
    officer and WIB day, oldest day first (app/db/audit.py says which entries register)."""
    where, params = _village(village)
    sql = (
        f"SELECT a.officer, date(a.at, '{WIB_OFFSET}') AS day, COUNT(DISTINCT a.household_id)"
        " FROM audit_log a JOIN household h ON h.id = a.household_id"
        f" WHERE {REGISTRATION_ACTIONS} AND {NUMBERED} AND h.deleted = 0{where}"
        " GROUP BY a.officer, day ORDER BY day, a.officer"
    )
    return [OfficerDay(*row) for row in database.execute_sql(sql, params).fetchall()]


def household_ids(
    village: str | None = None,
    *,
    statuses: tuple[str, ...] = (),
    rw: int | None = None,
    updated_before: str | None = None,
) -> list[str]:
    """Households (not deleted) by RW, RT and address, limited by status, RW and last change."""
    where, params = _village(village)
    clauses: list[str] = []
    values: list[str | int] = list(params)
    if statuses:
        clauses.append(f"h.status IN ({', '.join('?' * len(statuses))})")
        values += statuses
    if rw is not None:
        clauses.append("h.rw = ?")
        values.append(rw)
    if updated_before is not None:
        clauses.append("h.updated_at < ?")
        values.append(updated_before)
    extra = "".join(f" AND {c}" for c in clauses)
    sql = (
        f"SELECT h.id FROM household h WHERE h.deleted = 0{where}{extra}"
        " ORDER BY h.rw, h.rt, h.address COLLATE NOCASE, h.id"
    )
    return [row[0] for row in database.execute_sql(sql, values).fetchall()]


def worklist_rows(household_ids: list[str]) -> list[WorklistRow]:
    """What a working list prints of these households, in the order given."""
    found: dict[str, WorklistRow] = {}
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start : start + 500]
        sql = (
            "SELECT h.id, h.rw, h.rt, h.address,"
            f" (SELECT hm.name FROM member hm WHERE hm.pk = {HEAD_PK}),"
            " h.status, h.registration_number, h.updated_at FROM household h"
            f" WHERE h.id IN ({', '.join('?' * len(chunk))})"
        )
        for row in database.execute_sql(sql, chunk).fetchall():
            found[row[0]] = WorklistRow(*row)
    return [found[i] for i in household_ids if i in found]
