"""Signed records as stored (issue 15): the officer table as last signed, and decisions that
need a role with their signer's signature. The signing and checking is app/services/signing.py
and app/services/roster.py; the primitives are app/core/signatures.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.db.connection import database

ROSTER_SIGNED = "officer.roster_sign"  # the audit action of every signature of the table


@dataclass(frozen=True)
class SignedRoster:
    payload: dict[str, Any]  # {"officers": {username: {full_name, role, active, signing_keys}}}
    text: str  # the canonical JSON that was signed
    signer: str
    signer_key: str
    signature: str
    signed_at: str


@dataclass(frozen=True)
class Decision:
    id: int
    kind: str
    subject: str  # a household id, or an officer's username
    payload: dict[str, Any]
    signer: str
    signer_key: str | None
    signature: str | None
    signed_at: str


def roster() -> SignedRoster | None:
    """The officer table as last signed; None before it was ever signed (or when the row is
    gone or unreadable, which the caller tells apart with `ever_signed`)."""
    row = database.execute_sql(
        "SELECT payload, signer, signer_key, signature, signed_at FROM officer_roster"
    ).fetchone()
    if row is None:
        return None
    try:
        payload = json.loads(row[0])
    except ValueError:
        return None
    return SignedRoster(payload, *row) if isinstance(payload, dict) else None


def store_roster(text: str, signer: str, signer_key: str, signature: str, signed_at: str) -> None:
    database.execute_sql(
        "INSERT INTO officer_roster (id, payload, signer, signer_key, signature, signed_at)"
        " VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET payload = excluded.payload,"
        " signer = excluded.signer, signer_key = excluded.signer_key,"
        " signature = excluded.signature, signed_at = excluded.signed_at",
        (text, signer, signer_key, signature, signed_at),
    )


def ever_signed() -> bool:
    """The audit log says the officer table was signed before (so a missing signature was
    removed, not never made): an entry of a signature, or of a change that gave its key."""
    row = database.execute_sql(
        "SELECT 1 FROM audit_log WHERE action = ? OR detail LIKE ? LIMIT 1",
        (ROSTER_SIGNED, '%"roster_key":"%'),
    ).fetchone()
    return row is not None


def add_decision(
    kind: str,
    subject: str,
    text: str,
    signer: str,
    signer_key: str | None,
    signature: str | None,
    signed_at: str,
) -> None:
    database.execute_sql(
        "INSERT INTO signed_decision (kind, subject, payload, signer, signer_key, signature,"
        " signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, subject, text, signer, signer_key, signature, signed_at),
    )


def decisions(subject: str | None = None) -> list[Decision]:
    """Signed decisions, oldest first (of one household or officer, when `subject` is given)."""
    where, params = ("WHERE subject = ?", (subject,)) if subject else ("", ())
    rows = database.execute_sql(
        "SELECT id, kind, subject, payload, signer, signer_key, signature, signed_at"
        f" FROM signed_decision {where} ORDER BY id",
        params,
    ).fetchall()
    return to_decisions(rows)


def to_decisions(rows: list[tuple[Any, ...]]) -> list[Decision]:
    """Decisions from rows of (id, kind, subject, payload, signer, signer_key, signature,
    signed_at): this device's own and those received from peers (app/db/received.py)."""
    return [Decision(r[0], r[1], r[2], _json(r[3]), *r[4:]) for r in rows]


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
