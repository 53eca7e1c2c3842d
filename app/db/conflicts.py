"""Versions that lost a conflict (issue 6), kept beside the winning household until a
supervisor resolves it. Each row is a whole household document."""

from __future__ import annotations

from typing import Any

import orjson

from app.core.document import Document, now_iso
from app.core.upgrade import upgrade
from app.db.connection import database


def heads(household_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """rev, revs and deleted of the kept versions of these households."""
    found: dict[str, list[dict[str, Any]]] = {}
    for i in range(0, len(household_ids), 500):
        chunk = household_ids[i : i + 500]
        sql = (
            "SELECT household_id, rev, json_extract(document, '$.revs'),"
            " json_extract(document, '$.deleted') FROM conflict"
            f" WHERE household_id IN ({', '.join('?' * len(chunk))})"
        )
        for hid, rev, revs, deleted in database.execute_sql(sql, chunk).fetchall():
            found.setdefault(hid, []).append(
                {"rev": rev, "revs": orjson.loads(revs), "deleted": bool(deleted)}
            )
    return found


def versions(household_id: str) -> list[Document]:
    rows = database.execute_sql(
        "SELECT document FROM conflict WHERE household_id = ? ORDER BY rev", (household_id,)
    ).fetchall()
    return [upgrade(orjson.loads(r[0])) for r in rows]  # kept before schema v2: upgraded


def version(household_id: str, rev: str) -> Document:
    row = database.execute_sql(
        "SELECT document FROM conflict WHERE household_id = ? AND rev = ?", (household_id, rev)
    ).fetchone()
    document: Document = upgrade(orjson.loads(row[0]))
    return document


def add(docs: list[tuple[Document, str]]) -> None:
    """Keep these (document, where it came from) as conflict versions."""
    database.connection().executemany(
        "INSERT OR IGNORE INTO conflict (household_id, rev, document, recorded_at, source)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (d["household_id"], d["rev"], orjson.dumps(d).decode(), now_iso(), source)
            for d, source in docs
        ],
    )


def remove(pairs: list[tuple[str, str]]) -> None:
    """Drop the kept versions (household_id, rev)."""
    database.connection().executemany(
        "DELETE FROM conflict WHERE household_id = ? AND rev = ?", pairs
    )


def documents_by_household() -> dict[str, list[Document]]:
    """Every kept version, by household (there are few: each waits for a supervisor)."""
    found: dict[str, list[Document]] = {}
    for (doc,) in database.execute_sql("SELECT document FROM conflict ORDER BY rev").fetchall():
        d = upgrade(orjson.loads(doc))
        found.setdefault(d["household_id"], []).append(d)
    return found


def households_in_conflict() -> list[tuple[str, int]]:
    """(household id, number of kept versions), oldest conflict first."""
    rows = database.execute_sql(
        "SELECT household_id, COUNT(*) FROM conflict GROUP BY household_id"
        " ORDER BY MIN(recorded_at)"
    )
    return [(r[0], r[1]) for r in rows.fetchall()]
