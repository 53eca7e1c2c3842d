"""Officer accounts as stored: username, name, role, active, and the public keys of the
officer's personal signing keys, oldest first (issue 15; the last is the current one). The
table as a whole is signed by an officer who may manage officers (app/db/signatures.py).
(Passwords are not stored: each officer's password unwraps the database key, see
app/db/keystore.py.)"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.core.document import now_iso
from app.db.connection import database

_COLUMNS = "username, full_name, role, active, signing_keys"


@dataclass(frozen=True)
class OfficerRow:
    username: str
    full_name: str
    role: str
    active: bool
    signing_keys: tuple[str, ...] = ()


def _row(row: tuple[str, str, str, int, str]) -> OfficerRow:
    return OfficerRow(*row[:3], bool(row[3]), tuple(json.loads(row[4])))


def get(username: str) -> OfficerRow | None:
    row: tuple[str, str, str, int, str] | None = database.execute_sql(
        f"SELECT {_COLUMNS} FROM officer WHERE username = ?", (username,)
    ).fetchone()
    return None if row is None else _row(row)


def all_officers() -> list[OfficerRow]:
    rows: list[tuple[str, str, str, int, str]] = database.execute_sql(
        f"SELECT {_COLUMNS} FROM officer ORDER BY username"
    ).fetchall()
    return [_row(r) for r in rows]


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


def add_signing_key(username: str, public: str) -> None:
    """Record the officer's new signing key (after the keys it had before)."""
    row = get(username)
    if row is not None and public not in row.signing_keys:
        keys = json.dumps([*row.signing_keys, public])
        database.execute_sql(
            "UPDATE officer SET signing_keys = ? WHERE username = ?", (keys, username)
        )


def restore(row: OfficerRow) -> None:
    """Put back an officer's row as the signed officer table has it (name, role, active)."""
    database.execute_sql(
        "INSERT INTO officer (username, full_name, role, active, signing_keys, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET"
        " full_name = excluded.full_name, role = excluded.role, active = excluded.active",
        (row.username, row.full_name, row.role, int(row.active),
         json.dumps(list(row.signing_keys)), now_iso()),
    )  # fmt: skip


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
