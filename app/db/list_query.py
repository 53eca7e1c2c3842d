"""Which households the list shows, in which order (issue 16): filters by kelurahan (a Dinsos
installation, issue 19), status, RW and RT, a sort by any column, and the search by NIK,
No. KK, any part of a registration number or a member's name.

`find` answers with household ids only, in order: the list then reads the rows it draws a
page at a time (`listing.rows`), so the last of 50,000 households is one query away. A search
finds at most `limit` households and says whether there were more; the list shows the real
count or "more than `limit`", never a silent cap. A search's `matched` names the members who
matched and are not the head of household, so the list can show why a row matched.

At Dinsos scale (640,000 households) no list query reads every wide household row: the
default order comes from an index of live households (migration 25), a kelurahan from the
(village, RW, RT, status) index, and a status or RW without a kelurahan is first looked up in
that index (its rows then read by rowid).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson

from app.core import codes
from app.core.text import visible
from app.db.connection import database

SEARCH_LIMIT = 500
# The head of household `h`: the member whose relationship is 1 (kepala keluarga), else the
# first member. Every query that names a household's head uses this (app/db/listing.py too).
HEAD_PK = (
    "(SELECT m.pk FROM member m WHERE m.household_id = h.id"
    " ORDER BY m.relationship IS NOT 1, m.position LIMIT 1)"
)
MEMBER_COUNT = "(SELECT COUNT(*) FROM member c WHERE c.household_id = h.id)"
_HEAD = f"(SELECT hm.{{0}} FROM member hm WHERE hm.pk = {HEAD_PK})"
# The sort expressions of the list's columns (each ends with the id: a stable order).
SORT_KEYS = {
    "registration_number": "h.registration_number",
    "head_name": _HEAD.format("name") + " COLLATE NOCASE",
    "head_nik": _HEAD.format("nik"),
    "no_kk": "h.no_kk",
    "member_count": MEMBER_COUNT,
    "rw_rt": "h.rw {dir}, h.rt",
    "address": "h.address COLLATE NOCASE",
    "status": "CASE h.status {cases} ELSE 99 END",
    "updated_at": "h.updated_at",
}
DEFAULT_SORT = "updated_at"


@dataclass(frozen=True)
class ListQuery:
    """What the officer asked the list for. Empty text: every household (of the filters)."""

    text: str = ""
    village: str | None = None  # a kelurahan code (Dinsos: one kelurahan of its area)
    status: str | None = None
    rw: int | None = None
    rt: int | None = None
    sort: str = DEFAULT_SORT  # a key of SORT_KEYS
    descending: bool = True

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.village, self.status, self.rw, self.rt))


@dataclass(frozen=True)
class Listing:
    ids: list[str]  # the households shown, in order
    more: bool = False  # a search found more than it holds (the first `limit` are shown)
    # id -> the members (none of them the head) through whom the household was found
    matched: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _order(query: ListQuery) -> str:
    direction = "DESC" if query.descending else "ASC"
    cases = " ".join(f"WHEN '{code}' THEN {i}" for i, (code, _) in
                     enumerate(codes.choices("household", "status")))  # fmt: skip
    expression = SORT_KEYS.get(query.sort, SORT_KEYS[DEFAULT_SORT])
    expression = expression.format(dir=direction, cases=cases)
    return f"{expression} {direction}, h.id {direction}"


def _filters(query: ListQuery, whole: bool = True) -> tuple[str, list[str | int]]:
    """The WHERE clause on household `h` for the query's filters (deleted ones never shown).
    Each filter's column is in the (village, RW, RT, status) index: with a kelurahan, SQLite
    reads that kelurahan's range of it; without one, the index is read whole for the rowids
    that pass, not the household rows (0.6 s instead of 6 s at 640,000 households). Not
    `whole` (the households a search found): the conditions on each row found."""
    filters = (("village_code", query.village), ("status", query.status), ("rw", query.rw),
               ("rt", query.rt))  # fmt: skip
    columns = [column for column, value in filters if value is not None]
    params: list[str | int] = [value for _column, value in filters if value is not None]
    if query.village is not None or not whole or not columns:
        return " AND ".join(["h.deleted = 0", *(f"h.{c} = ?" for c in columns)]), params
    inner = " AND ".join(f"{c} = ?" for c in columns)
    return f"h.deleted = 0 AND h.rowid IN (SELECT rowid FROM household WHERE {inner})", params


# Households whose registration number matches a GLOB pattern with a leading `*` (no index
# range): read from the registration number's index alone, not the wide rows (4 s -> 0.1 s at
# 640,000 households).
_NUMBER_GLOB = (
    "SELECT id, NULL AS pk FROM household"
    " WHERE rowid IN (SELECT rowid FROM household WHERE registration_number GLOB ?)"
)
_NUMBER_RANGE = (
    "SELECT id, NULL AS pk FROM household"
    " WHERE registration_number >= ? AND registration_number < ?"
)
# The start of a registration number: the kelurahan code (10 digits), a dash, maybe more
_NUMBER_START = re.compile(r"\d{10}-[0-9A-Za-z-]*")


def _prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high) bounds matching every string that starts with a prefix (uses indexes)."""
    return prefix, prefix + "\uffff"


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class _Source:
    """One way a text matches: SQL selecting (household id, member pk or NULL), its parameters,
    and, for a member-level match, the condition on member `m` that says which members."""

    sql: str
    params: tuple[str, ...]
    member_condition: str = ""
    member_params: tuple[str, ...] = ()


def _sources(text: str) -> list[_Source]:
    """How `text` is looked for. Digits: a NIK or No. KK prefix, a registration number's
    sequence (`123` or `000123`) or its start (kelurahan code). Letters with digits: any part
    of a registration number (its device code `9261FAF2`, `9261FAF2-000123`, the whole). Other
    text: a member's name (anywhere for 3 letters or more, the start for 1-2 letters)."""
    digits = re.sub(r"\s+", "", text)
    if digits.isdigit():
        low, high = _prefix_range(digits)
        found = [
            _Source(
                "SELECT household_id AS id, pk FROM member WHERE nik >= ? AND nik < ?",
                (low, high),
                "m.nik >= ? AND m.nik < ?",
                (low, high),
            ),
            _Source(
                "SELECT id, NULL AS pk FROM household WHERE no_kk >= ? AND no_kk < ?", (low, high)
            ),
        ]
        if len(digits) <= 7:  # the sequence, as read aloud: with or without its zeros
            found.append(_Source(_NUMBER_GLOB, ("*-" + digits.zfill(6),)))
        elif len(digits) >= 10:  # the kelurahan code, then more
            found.append(_Source(_NUMBER_RANGE, _prefix_range(digits)))
        return found
    if re.fullmatch(r"[0-9A-Za-z]+(-[0-9A-Za-z]*)*|-[0-9A-Za-z-]+", text) and re.search(
        r"\d", text
    ):
        if _NUMBER_START.fullmatch(text):  # it can only be the start: an index range
            return [_Source(_NUMBER_RANGE, _prefix_range(text.upper()))]
        return [_Source(_NUMBER_GLOB, ("*" + text.upper() + "*",))]
    escaped = _like_escaped(text)
    if len(text) >= 3:
        return [
            _Source(
                "SELECT m.household_id AS id, m.pk FROM member_name_fts f JOIN member m"
                " ON m.pk = f.rowid WHERE member_name_fts MATCH ?",
                ('"' + text.replace('"', '""') + '"',),
                "m.name LIKE ? ESCAPE '\\'",
                ("%" + escaped + "%",),
            )
        ]
    # trigram needs 3 characters; a 1-2 letter start of a name still works
    return [
        _Source(
            "SELECT household_id AS id, pk FROM member WHERE name LIKE ? ESCAPE '\\'",
            (escaped + "%",),
            "m.name LIKE ? ESCAPE '\\'",
            (escaped + "%",),
        )
    ]


def find(query: ListQuery, limit: int = SEARCH_LIMIT) -> Listing:
    """The households the query asks for, in its order: all of them without a search text;
    with one, the first `limit` found (a negative `limit`: all) and whether there were more."""
    order = _order(query)
    text = visible(query.text)
    where, params = _filters(query, whole=not text)
    if not text:
        sql = f"SELECT h.id FROM household h WHERE {where} ORDER BY {order}"
        return Listing([r[0] for r in database.execute_sql(sql, params)])  # no list of tuples
    sources = _sources(text)
    # Each way of matching stops as soon as `limit` + 1 households pass the filters (a common
    # fragment or a one-digit prefix matches thousands of members); those are then sorted.
    cap = -1 if limit < 0 else limit + 1
    found: dict[str, None] = {}
    for source in sources:
        sql = (
            f"SELECT DISTINCT hit.id FROM ({source.sql}) AS hit"
            f" JOIN household h ON h.id = hit.id WHERE {where} LIMIT ?"
        )
        hits = database.execute_sql(sql, (*source.params, *params, cap)).fetchall()
        found.update((r[0], None) for r in hits)
        if 0 <= cap <= len(found):
            break
    sql = f"SELECT h.id FROM household h WHERE h.id IN {_IDS} ORDER BY {order}"
    ordered = [r[0] for r in database.execute_sql(sql, (_json(found),)).fetchall()]
    more = 0 <= limit < len(ordered)
    if more:
        ordered = ordered[:limit]
    return Listing(ordered, more, _matched_members(ordered, sources))


_IDS = "(SELECT value FROM json_each(?))"  # the ids given as one JSON array parameter


def _json(ids: Iterable[str]) -> str:
    return orjson.dumps(list(ids)).decode()


def _matched_members(ids: list[str], sources: list[_Source]) -> dict[str, tuple[str, ...]]:
    """For each household found through members (name or NIK) none of whom is its head: the
    names of those members, e.g. {"<id>": ("Nur Aini",)}. A match on the head needs no word."""
    member_sources = [s for s in sources if s.member_condition]
    if not member_sources or not ids:
        return {}
    condition = " OR ".join(f"({s.member_condition})" for s in member_sources)
    sql = (
        f"SELECT m.household_id, m.name, m.pk = {HEAD_PK}"
        " FROM member m JOIN household h ON h.id = m.household_id"
        f" WHERE m.household_id IN {_IDS} AND ({condition}) ORDER BY m.position"
    )
    params = (_json(ids), *(p for s in member_sources for p in s.member_params))
    matched: dict[str, list[str]] = {}
    heads: set[str] = set()
    for household_id, name, is_head in database.execute_sql(sql, params).fetchall():
        if is_head:
            heads.add(household_id)
        elif name:
            matched.setdefault(household_id, []).append(name)
    return {key: tuple(names) for key, names in matched.items() if key not in heads}


def places(village: str | None = None) -> list[tuple[int, int | None]]:
    """Every (RW, RT) of the households shown in the list (of one kelurahan), in order, for
    the filters."""
    where, params = "deleted = 0 AND rw IS NOT NULL", []
    if village is not None:
        where, params = where + " AND village_code = ?", [village]
    sql = f"SELECT DISTINCT rw, rt FROM household WHERE {where} ORDER BY rw, rt"
    return [(rw, rt) for rw, rt in database.execute_sql(sql, params).fetchall()]
