"""Trusted peers as stored (issue 6): name, fingerprint, public keys and the kind each is
trusted as (issue 15, migration 12: laptop, kelurahan or dinsos)."""

from __future__ import annotations

from app.bundle.keys import PublicKey
from app.core.document import now_iso
from app.db.connection import database

_COLUMNS = "device_id, kelurahan, name, signing_key, age_recipient"


def get(name: str) -> PublicKey | None:
    row = database.execute_sql(f"SELECT {_COLUMNS} FROM peer WHERE name = ?", (name,)).fetchone()
    return None if row is None else PublicKey(*row)


def by_fingerprint(fingerprint: str) -> str | None:
    """The name under which a key with this fingerprint is trusted."""
    row = database.execute_sql(
        "SELECT name FROM peer WHERE fingerprint = ?", (fingerprint,)
    ).fetchone()
    return None if row is None else row[0]


def with_fingerprint(fingerprint: str) -> PublicKey | None:
    row = database.execute_sql(
        f"SELECT {_COLUMNS} FROM peer WHERE fingerprint = ?", (fingerprint,)
    ).fetchone()
    return None if row is None else PublicKey(*row)


def all_peers() -> list[tuple[PublicKey, str]]:
    rows = database.execute_sql(f"SELECT {_COLUMNS}, fingerprint FROM peer ORDER BY name")
    return [(PublicKey(*r[:5]), r[5]) for r in rows.fetchall()]


def insert(key: PublicKey, fingerprint: str, trusted_by: str, kind: str) -> None:
    database.execute_sql(
        "INSERT INTO peer (name, fingerprint, device_id, kelurahan, signing_key, age_recipient,"
        " trusted_by, trusted_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (key.name, fingerprint, key.device_id, key.kelurahan, key.signing_key,
         key.age_recipient, trusted_by, now_iso(), kind),
    )  # fmt: skip


def kind_of(fingerprint: str) -> str | None:
    """The kind (laptop, kelurahan, dinsos) the peer with this fingerprint is trusted as."""
    row = database.execute_sql(
        "SELECT kind FROM peer WHERE fingerprint = ?", (fingerprint,)
    ).fetchone()
    return None if row is None else str(row[0])


def kinds() -> dict[str, str]:
    """Each trusted peer's kind, by fingerprint."""
    rows = database.execute_sql("SELECT fingerprint, kind FROM peer").fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def sent_change(name: str) -> int:
    """The last local change already sent to this peer (incremental export)."""
    row = database.execute_sql("SELECT sent_change_seq FROM peer WHERE name = ?", (name,))
    sent: int = row.fetchone()[0]
    return sent


def set_sent_change(name: str, change: int) -> None:
    database.execute_sql("UPDATE peer SET sent_change_seq = ? WHERE name = ?", (change, name))
