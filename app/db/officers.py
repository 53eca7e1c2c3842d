"""Officer accounts as stored: username, name, role, argon2id hash, failed-login count."""

from __future__ import annotations

from dataclasses import dataclass

from app.db.connection import database
from app.document import now_iso

_COLUMNS = "username, full_name, role, password_hash, active, failed_logins"


@dataclass(frozen=True)
class OfficerRow:
    username: str
    full_name: str
    role: str
    password_hash: str
    active: bool
    failed_logins: int


def get(username: str) -> OfficerRow | None:
    row = database.execute_sql(
        f"SELECT {_COLUMNS} FROM officer WHERE username = ?", (username,)
    ).fetchone()
    return None if row is None else OfficerRow(*row[:4], bool(row[4]), row[5])


def all_officers() -> list[OfficerRow]:
    rows = database.execute_sql(f"SELECT {_COLUMNS} FROM officer ORDER BY username").fetchall()
    return [OfficerRow(*r[:4], bool(r[4]), r[5]) for r in rows]


def count() -> int:
    return database.execute_sql("SELECT COUNT(*) FROM officer").fetchone()[0]


def insert(username: str, full_name: str, role: str, password_hash: str) -> None:
    database.execute_sql(
        "INSERT INTO officer (username, full_name, role, password_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (username, full_name, role, password_hash, now_iso()),
    )


def set_password_hash(username: str, password_hash: str) -> None:
    database.execute_sql(
        "UPDATE officer SET password_hash = ?, failed_logins = 0 WHERE username = ?",
        (password_hash, username),
    )


def set_failed_logins(username: str, failed: int) -> None:
    database.execute_sql(
        "UPDATE officer SET failed_logins = ? WHERE username = ?", (failed, username)
    )
