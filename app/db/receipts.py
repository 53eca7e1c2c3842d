"""Receipts handed out (migration 6): one row per print, copy 0 the original, copy n the
n-th reprint. Kept for the audit: who printed which household's receipt, when, on what paper."""

from __future__ import annotations

from dataclasses import dataclass

from app.db.connection import database

_COLUMNS = (
    "number, household_id, registration_number, copy, paper, printed_by, printed_at, verification"
)


@dataclass(frozen=True)
class ReceiptRecord:
    number: int
    household_id: str
    registration_number: str
    copy: int
    paper: str
    printed_by: str | None
    printed_at: str
    verification: str

    @property
    def is_reprint(self) -> bool:
        return self.copy > 0


def of_household(household_id: str) -> list[ReceiptRecord]:
    """Every receipt of a household, the original first."""
    rows = database.execute_sql(
        f"SELECT {_COLUMNS} FROM receipt WHERE household_id = ? ORDER BY copy", (household_id,)
    ).fetchall()
    return [ReceiptRecord(*row) for row in rows]


def original(household_id: str) -> ReceiptRecord | None:
    row = database.execute_sql(
        f"SELECT {_COLUMNS} FROM receipt WHERE household_id = ? AND copy = 0", (household_id,)
    ).fetchone()
    return None if row is None else ReceiptRecord(*row)


def printed_count(household_id: str) -> int:
    """How many receipts of this household were handed out (so the next copy's number)."""
    row: tuple[int] = database.execute_sql(
        "SELECT COUNT(*) FROM receipt WHERE household_id = ?", (household_id,)
    ).fetchone()
    return row[0]


def insert(
    household_id: str,
    registration_number: str,
    copy: int,
    paper: str,
    printed_by: str | None,
    printed_at: str,
    verification: str,
) -> ReceiptRecord:
    cursor = database.execute_sql(
        "INSERT INTO receipt (household_id, registration_number, copy, paper, printed_by,"
        " printed_at, verification) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (household_id, registration_number, copy, paper, printed_by, printed_at, verification),
    )
    return ReceiptRecord(
        cursor.lastrowid,
        household_id,
        registration_number,
        copy,
        paper,
        printed_by,
        printed_at,
        verification,
    )
