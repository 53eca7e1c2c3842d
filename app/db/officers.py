"""Officer accounts as stored: username, name, role, active. (Passwords are not stored: each
officer's password unwraps the database key, see app/db/keystore.py.)"""

from __future__ import annotations

from dataclasses import dataclass

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
    row = database.execute_sql(
        f"SELECT {_COLUMNS} FROM officer WHERE username = ?", (username,)
    ).fetchone()
    return None if row is None else OfficerRow(*row[:3], bool(row[3]))


def all_officers() -> list[OfficerRow]:
    rows = database.execute_sql(f"SELECT {_COLUMNS} FROM officer ORDER BY username").fetchall()
    return [OfficerRow(*r[:3], bool(r[3])) for r in rows]


def count() -> int:
    return database.execute_sql("SELECT COUNT(*) FROM officer").fetchone()[0]


def insert(username: str, full_name: str, role: str) -> None:
    database.execute_sql(
        "INSERT INTO officer (username, full_name, role, created_at) VALUES (?, ?, ?, ?)",
        (username, full_name, role, now_iso()),
    )


def set_active(username: str, active: bool) -> None:
    database.execute_sql(
        "UPDATE officer SET active = ? WHERE username = ?", (int(active), username)
    )
