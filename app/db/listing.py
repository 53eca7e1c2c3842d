"""Read queries behind the household list: keyset pages, counts, search, NIK/No. KK lookups."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.db.connection import database


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

    @property
    def key(self) -> tuple[str, str]:
        """Keyset position of this row in the list's order (newest first)."""
        return (self.updated_at, self.id)


_SELECT = """
SELECT h.id, h.registration_number, h.no_kk, h.rw, h.rt, h.address, h.status, h.updated_at,
       hm.name, hm.nik,
       (SELECT COUNT(*) FROM member c WHERE c.household_id = h.id)
FROM household h
LEFT JOIN member hm ON hm.pk = (
    SELECT m.pk FROM member m WHERE m.household_id = h.id
    ORDER BY m.relationship IS NOT 1, m.position LIMIT 1)
"""


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
    return [HouseholdRow(*r) for r in database.execute_sql(sql, params).fetchall()]


def row(household_id: str) -> HouseholdRow | None:
    """The list row of one household (deleted ones too)."""
    found = database.execute_sql(_SELECT + " WHERE h.id = ?", (household_id,)).fetchone()
    return None if found is None else HouseholdRow(*found)


def _prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high) bounds matching every string that starts with a digit prefix (uses indexes)."""
    return prefix, prefix + "\uffff"


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def search(text: str, limit: int = 500) -> list[HouseholdRow]:
    """Households whose NIK or No. KK starts with `text` (digits), whose registration number
    starts with it, or with a member whose name contains it. Newest change first."""
    text = text.strip()
    if not text:
        return page(limit=limit)
    sources: list[tuple[str, tuple[str, ...]]]  # (SQL selecting household ids, its parameters)
    if text.isdigit():
        low, high = _prefix_range(text)
        sources = [
            ("SELECT household_id AS id FROM member WHERE nik >= ? AND nik < ?", (low, high)),
            ("SELECT id FROM household WHERE no_kk >= ? AND no_kk < ?", (low, high)),
        ]
    elif re.fullmatch(r"\d{6,10}-[0-9A-Za-z-]*", text):
        low, high = _prefix_range(text.upper())
        sql = "SELECT id FROM household WHERE registration_number >= ? AND registration_number < ?"
        sources = [(sql, (low, high))]
    elif len(text) >= 3:
        sql = (
            "SELECT m.household_id AS id FROM member_name_fts f JOIN member m ON m.pk = f.rowid "
            "WHERE member_name_fts MATCH ?"
        )
        sources = [(sql, (_fts_phrase(text),))]
    else:  # trigram needs 3 characters; a 1-2 letter start of a name still works
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sources = [("SELECT household_id AS id FROM member WHERE name LIKE ? ESCAPE '\\'",
                    (escaped + "%",))]  # fmt: skip
    # The first `limit` matching households, newest change first. Each source is capped
    # before the union and the sort, and `+h.updated_at` keeps SQLite from walking the whole
    # updated_at index: a common fragment or prefix matches thousands of members.
    union = " UNION ".join(f"SELECT id FROM ({sql} LIMIT ?)" for sql, _ in sources)
    params = tuple(p for _, values in sources for p in (*values, limit))
    sql = (
        f"WITH ids AS ({union}) "
        + _SELECT
        + " WHERE h.deleted = 0 AND h.id IN (SELECT id FROM ids)"
        " ORDER BY +h.updated_at DESC, h.id DESC LIMIT ?"
    )
    return [HouseholdRow(*r) for r in database.execute_sql(sql, (*params, limit)).fetchall()]


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
class SharedValue:
    """A No. KK or NIK that household `household_id` shares with household `other_id`."""

    household_id: str
    other_id: str
    field: str  # "no_kk" or "nik"
    value: str


def shared_values(household_ids: list[str]) -> list[SharedValue]:
    """Every No. KK and NIK that one of these households shares with another household, both
    neither deleted nor withdrawn: the duplicate look-up of a whole bundle, one indexed query
    per 500 households instead of one per NIK."""
    found: list[SharedValue] = []
    for i in range(0, len(household_ids), 500):
        chunk = household_ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"""
        SELECT h.id, o.id, 'no_kk', h.no_kk FROM household h
        JOIN household o ON o.no_kk = h.no_kk AND o.id != h.id
        WHERE h.id IN ({marks}) AND h.no_kk IS NOT NULL AND h.no_kk != ''
          AND h.deleted = 0 AND h.status != 'withdrawn'
          AND o.deleted = 0 AND o.status != 'withdrawn'
        UNION
        SELECT m.household_id, om.household_id, 'nik', m.nik FROM member m
        JOIN household h ON h.id = m.household_id
        JOIN member om ON om.nik = m.nik AND om.household_id != m.household_id
        JOIN household o ON o.id = om.household_id
        WHERE m.household_id IN ({marks}) AND m.nik IS NOT NULL AND m.nik != ''
          AND h.deleted = 0 AND h.status != 'withdrawn'
          AND o.deleted = 0 AND o.status != 'withdrawn'
        """
        rows = database.execute_sql(sql, (*chunk, *chunk)).fetchall()
        found += [SharedValue(*r) for r in rows]
    return found
