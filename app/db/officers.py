"""Officer accounts as stored: username, name, role, active. (Passwords are not stored: each
officer's password unwraps the database key, see app/db/keystore.py.)"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.core.document import now_iso
from app.db.connection import database

_COLUMNS = "username, full_name, role, active"


@dataclass(frozen=True)
class OfficerRow:
    username: str
    full_name: str
    role: str
    active: bool


def get(username: str) -> OfficerRow | None:
    row: tuple[str, str, str, int] | None = database.execute_sql(
        f"SELECT {_COLUMNS} FROM officer WHERE username = ?", (username,)
    ).fetchone()
    return None if row is None else OfficerRow(*row[:3], bool(row[3]))


def all_officers() -> list[OfficerRow]:
    rows: list[tuple[str, str, str, int]] = database.execute_sql(
        f"SELECT {_COLUMNS} FROM officer ORDER BY username"
    ).fetchall()
    return [OfficerRow(*r[:3], bool(r[3])) for r in rows]


def count() -> int:
    officers: int = database.execute_sql("SELECT COUNT(*) FROM officer").fetchone()[0]
    return officers


def insert(username: str, full_name: str, role: str) -> None:
    database.execute_sql(
        "INSERT INTO officer (username, full_name, role, created_at) VALUES (?, ?, ?, ?)",
        (username, full_name, role, now_iso()),
    )


def set_active(username: str, active: bool) -> None:
    database.execute_sql(
        "UPDATE officer SET active = ? WHERE username = ?", (int(active), username)
    )


def legacy_officers(db: Path) -> dict[str, tuple[str, str, str, int]]:
    """Officers of a plain database from a version before encryption, by username:
    (full_name, role, password_hash, active). Empty before officers existed."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT username, full_name, role, password_hash, active FROM officer"
        ).fetchall()
    except sqlite3.OperationalError:  # before officers existed
        rows = []
    finally:
        conn.close()
    return {r[0]: r[1:] for r in rows}
