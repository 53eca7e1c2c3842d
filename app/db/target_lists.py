"""Daftar sasaran tetap per kota (issue 19, migration 21): the candidates of a kota's list as
stored at Dinsos, and the locked lists with their members. A list is written once, locked, in
the transaction that makes it; the tables' triggers refuse any later UPDATE or DELETE. What a
member row keeps (head's name, masked NIK, address) is personal data: only in the encrypted
database, never in a refusal or the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from app.db.connection import database
from app.db.list_query import HEAD_PK, MEMBER_COUNT


@dataclass(frozen=True)
class Candidate:
    """A household of the kota as the draft sees it (read in one query)."""

    household_id: str
    village_code: str
    registration_number: str | None
    head_name: str | None  # None until `with_heads`
    head_nik: str | None
    address: str | None
    rw: int | None
    rt: int | None
    members: int  # 0 until `with_heads`
    status: str
    deleted: bool
    decision: str | None  # the musyawarah decision in the document
    decided_in_locked: bool  # ... taken by a meeting locked here or received (locked) from one
    exclusions: tuple[str, ...]  # the stored criteria that apply (overrides already left out)
    listed_in: str | None  # the number of a locked list it is already on


@dataclass(frozen=True)
class TargetList:
    number: str
    kota: str
    date: str  # ISO
    signatory_name: str | None
    signatory_title: str
    signatory_nip: str | None
    verification: str
    households: int
    locked_by: str
    locked_at: str


@dataclass(frozen=True)
class Member:
    household_id: str
    position: int
    village_code: str
    registration_number: str | None
    head_name: str | None
    head_nik_masked: str | None
    address: str | None
    rw: int | None
    rt: int | None
    members: int


_HEAD = f"(SELECT hm.{{0}} FROM member hm WHERE hm.pk = {HEAD_PK})"
_MEETING_ID = "json_extract(h.musyawarah, '$.meeting_id')"
_CANDIDATES = f"""
SELECT h.id, h.village_code, h.registration_number, NULL, NULL, h.address, h.rw, h.rt, 0,
       h.status, h.deleted,
       json_extract(h.musyawarah, '$.decision'),
       EXISTS (SELECT 1 FROM meeting m JOIN meeting_decision d ON d.meeting_id = m.id
               WHERE m.id = {_MEETING_ID} AND m.status = 'locked'
                 AND d.household_id = h.id AND d.decision = 'eligible')
       OR EXISTS (SELECT 1 FROM received_meeting_decision r
                  WHERE r.meeting_id = {_MEETING_ID} AND r.household_id = h.id
                    AND r.decision = 'eligible'),
       h.exclusions,
       (SELECT MIN(t.number) FROM target_list_member t WHERE t.household_id = h.id)
FROM household h
WHERE h.village_code >= ? AND h.village_code < ?
ORDER BY h.village_code, h.rw, h.rt, h.registration_number, h.id
"""


_HEADS = f"""
SELECT h.id, {_HEAD.format("name")}, {_HEAD.format("nik")}, {MEMBER_COUNT}
FROM household h WHERE h.id IN (SELECT value FROM json_each(?))
"""
_BATCH = 5000


def candidates(kota: str) -> list[Candidate]:
    """Every household stored for the kota (code `31.74`), deleted ones too, in the order a
    list prints them: kelurahan, RW, RT, registration number. Without the head and the member
    count (`with_heads` adds them, for the households that need them: a per-household look-up
    that would triple the time of the whole kota)."""
    rows = database.execute_sql(_CANDIDATES, (f"{kota}.", f"{kota}/")).fetchall()
    return [_candidate(r) for r in rows]


def with_heads(found: Sequence[Candidate]) -> list[Candidate]:
    """The candidates with their head's name and NIK and their member count."""
    heads: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(found), _BATCH):
        ids = [c.household_id for c in found[start : start + _BATCH]]
        for row in database.execute_sql(_HEADS, (orjson.dumps(ids).decode(),)).fetchall():
            heads[row[0]] = row[1:]
    return [
        replace(c, head_name=heads[c.household_id][0], head_nik=heads[c.household_id][1],
                members=int(heads[c.household_id][2]))
        if c.household_id in heads else c
        for c in found
    ]  # fmt: skip


def _candidate(r: Sequence[Any]) -> Candidate:
    exclusions = tuple(orjson.loads(r[13] or "[]"))
    return Candidate(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], int(r[8]), r[9], bool(r[10]), r[11],
        bool(r[12]), exclusions, r[14],
    )  # fmt: skip


# --- locked lists ---------------------------------------------------------------------------------

_LIST = (
    "number, kota, date, signatory_name, signatory_title, signatory_nip, verification,"
    " households, locked_by, locked_at"
)
_MEMBER = (
    "household_id, position, village_code, registration_number, head_name, head_nik_masked,"
    " address, rw, rt, members"
)


def insert(found: TargetList, members: Sequence[Member]) -> None:
    """Write a locked list and its members (inside the caller's transaction)."""
    database.execute_sql(
        f"INSERT INTO target_list ({_LIST}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (found.number, found.kota, found.date, found.signatory_name, found.signatory_title,
         found.signatory_nip, found.verification, found.households, found.locked_by,
         found.locked_at),
    )  # fmt: skip
    database.connection().executemany(
        f"INSERT INTO target_list_member (number, {_MEMBER})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (found.number, m.household_id, m.position, m.village_code, m.registration_number,
             m.head_name, m.head_nik_masked, m.address, m.rw, m.rt, m.members)
            for m in members
        ],
    )  # fmt: skip


def get(number: str) -> TargetList | None:
    row = database.execute_sql(
        f"SELECT {_LIST} FROM target_list WHERE number = ?", (number,)
    ).fetchone()
    return None if row is None else _list(row)


def all_lists(kota: str | None = None) -> list[TargetList]:
    where, params = ("WHERE kota = ?", (kota,)) if kota else ("", ())
    rows = database.execute_sql(
        f"SELECT {_LIST} FROM target_list {where} ORDER BY date, number", params
    ).fetchall()
    return [_list(r) for r in rows]


def members(number: str) -> list[Member]:
    rows = database.execute_sql(
        f"SELECT {_MEMBER} FROM target_list_member WHERE number = ? ORDER BY position",
        (number,),
    ).fetchall()
    return [Member(*r) for r in rows]


def _list(row: Sequence[Any]) -> TargetList:
    return TargetList(*row)
