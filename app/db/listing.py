"""Read queries behind the household list: rows, keyset pages, counts, NIK/No. KK lookups.

Which households a list shows (filters, sort order, search) is app/db/list_query.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from app.db.connection import database
from app.db.list_query import HEAD_PK, MEMBER_COUNT, SEARCH_LIMIT, ListQuery, find


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    registration_number: str | None
    no_kk: str | None
    rw: int | None
    rt: int | None
    address: str | None
    status: str
    updated_at: str
    head_name: str | None
    head_nik: str | None
    member_count: int
    exclusions: tuple[str, ...] = ()  # the criteria that applied (status excluded)
    changed_after_decision: bool = False  # set by app/services/listing.py (issue 17)
    postponed: bool = False  # its latest musyawarah decision is "tunda"; ditto

    @property
    def key(self) -> tuple[str, str]:
        """Keyset position of this row in the list's order (newest first)."""
        return (self.updated_at, self.id)


_SELECT = f"""
SELECT h.id, h.registration_number, h.no_kk, h.rw, h.rt, h.address, h.status, h.updated_at,
       hm.name, hm.nik, {MEMBER_COUNT}, h.exclusions
FROM household h
LEFT JOIN member hm ON hm.pk = {HEAD_PK}
"""


def _row(found: Sequence[Any]) -> HouseholdRow:
    """A row of _SELECT: its last column, the exclusions, is JSON."""
    id_, number, no_kk, rw, rt, address, status, updated_at, name, nik, count, exclusions = found
    return HouseholdRow(
        id_, number, no_kk, rw, rt, address, status, updated_at, name, nik, count,
        tuple(orjson.loads(exclusions or "[]")),
    )  # fmt: skip


def count() -> int:
    households: int = database.execute_sql(
        "SELECT COUNT(*) FROM household WHERE deleted = 0"
    ).fetchone()[0]
    return households


def page(after: tuple[str, str] | None = None, limit: int = 200) -> list[HouseholdRow]:
    """The next `limit` households after keyset position `after`, newest change first."""
    if after is None:
        sql = _SELECT + " WHERE h.deleted = 0 ORDER BY h.updated_at DESC, h.id DESC LIMIT ?"
        params: tuple[str | int, ...] = (limit,)
    else:
        sql = (
            _SELECT + " WHERE h.deleted = 0 AND (h.updated_at, h.id) < (?, ?)"
            " ORDER BY h.updated_at DESC, h.id DESC LIMIT ?"
        )
        params = (*after, limit)
    return [_row(r) for r in database.execute_sql(sql, params).fetchall()]


def rows(household_ids: Sequence[str]) -> list[HouseholdRow]:
    """The list rows of these households (deleted ones too), in the order given; an id that
    is not stored is left out."""
    found: dict[str, HouseholdRow] = {}
    for i in range(0, len(household_ids), 500):
        chunk = list(household_ids[i : i + 500])
        marks = ", ".join("?" * len(chunk))
        sql = _SELECT + f" WHERE h.id IN ({marks})"
        found.update((r.id, r) for r in map(_row, database.execute_sql(sql, chunk).fetchall()))
    return [found[i] for i in household_ids if i in found]


def search(text: str, limit: int = SEARCH_LIMIT) -> list[HouseholdRow]:
    """The rows of the households a search finds (app/db/list_query.py), newest change first:
    at most `limit` (negative: all). The CLI's `household list --search`."""
    return rows(find(ListQuery(text=text), limit).ids)


def row(household_id: str) -> HouseholdRow | None:
    """The list row of one household (deleted ones too)."""
    found = database.execute_sql(_SELECT + " WHERE h.id = ?", (household_id,)).fetchone()
    return None if found is None else _row(found)


def postponed(household_ids: Sequence[str]) -> set[str]:
    """Which of these households' latest musyawarah decision, in an open or a locked meeting,
    is "postpone" (issue 17): one indexed query (meeting_decision_household) for a page."""
    if not household_ids:
        return set()
    sql = """
    SELECT DISTINCT d.household_id FROM meeting_decision d
    WHERE d.household_id IN (SELECT value FROM json_each(?)) AND d.decision = 'postpone'
      AND NOT EXISTS (SELECT 1 FROM meeting_decision o WHERE o.household_id = d.household_id
                      AND o.decision != 'postpone' AND o.decided_at > d.decided_at)
    """
    found = database.execute_sql(sql, (orjson.dumps(list(household_ids)).decode(),))
    return {r[0] for r in found.fetchall()}


@dataclass(frozen=True)
class NikHolder:
    household_id: str
    member_id: str
    name: str | None


def members_with_nik(nik: str) -> list[NikHolder]:
    """Members with this NIK in households neither deleted nor withdrawn."""
    rows = database.execute_sql(
        "SELECT m.household_id, m.id, m.name FROM member m"
        " JOIN household h ON h.id = m.household_id"
        " WHERE m.nik = ? AND h.deleted = 0 AND h.status != 'withdrawn'",
        (nik,),
    ).fetchall()
    return [NikHolder(*r) for r in rows]


def households_with_no_kk(no_kk: str) -> list[str]:
    """Households with this No. KK, neither deleted nor withdrawn."""
    rows = database.execute_sql(
        "SELECT id FROM household WHERE no_kk = ? AND deleted = 0 AND status != 'withdrawn'",
        (no_kk,),
    ).fetchall()
    return [r[0] for r in rows]


@dataclass(frozen=True)
class Holder:
    household_id: str
    village_code: str


_HOLDERS = {  # value -> the households holding it, neither deleted nor withdrawn
    "nik": "SELECT DISTINCT m.nik, h.id, h.village_code FROM member m"
    " JOIN household h ON h.id = m.household_id WHERE m.nik IN (SELECT value FROM json_each(?))"
    " AND h.deleted = 0 AND h.status != 'withdrawn'",
    "no_kk": "SELECT no_kk, id, village_code FROM household"
    " WHERE no_kk IN (SELECT value FROM json_each(?)) AND deleted = 0 AND status != 'withdrawn'",
}


def holders(key: str, values: Sequence[str], chunk: int = 2000) -> dict[str, list[Holder]]:
    """The households holding each of these NIKs (`key` "nik") or No. KK ("no_kk"), neither
    deleted nor withdrawn, by value (values held nowhere are left out), ordered by household
    id: what `members_with_nik` / `households_with_no_kk` say of one value, for a whole result
    file in one indexed query per `chunk` values."""
    found: dict[str, list[Holder]] = {}
    unique = sorted(set(values))
    for i in range(0, len(unique), chunk):
        part = orjson.dumps(unique[i : i + chunk]).decode()
        for value, household_id, village in database.execute_sql(_HOLDERS[key], (part,)):
            found.setdefault(value, []).append(Holder(household_id, village or ""))
    for listed in found.values():
        listed.sort(key=lambda one: one.household_id)
    return found
