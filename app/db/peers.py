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


# --- the kelurahan each kelurahan peer serves (issue 19, migration 22) ------------------------


def note_villages(fingerprint: str, bundle_id: str, kelurahan: object) -> None:
    """After a households bundle from a peer trusted as a kelurahan is logged: note the
    kelurahan it serves, as its signed manifest says, else the village codes of the households
    it carried that were not rejected. Peers of other kinds are not a kelurahan's address."""
    if kind_of(fingerprint) != "kelurahan":
        return
    at = now_iso()
    upsert = " ON CONFLICT (peer, village_code) DO UPDATE SET last_seen = excluded.last_seen"
    if isinstance(kelurahan, str) and kelurahan:  # a kelurahan of the reference file only
        database.execute_sql(
            "INSERT INTO peer_village (peer, village_code, first_seen, last_seen)"
            " SELECT ?, code, ?, ? FROM region WHERE code = ? AND level = 'village'" + upsert,
            (fingerprint, at, at, kelurahan),
        )
        return
    database.execute_sql(
        "INSERT INTO peer_village (peer, village_code, first_seen, last_seen)"
        " SELECT DISTINCT ?, h.village_code, ?, ? FROM bundle_outcome o"
        " JOIN household h ON h.id = o.household_id"
        " WHERE o.bundle_id = ? AND o.outcome != 'rejected' AND true" + upsert,
        (fingerprint, at, at, bundle_id),
    )


def return_addresses() -> dict[str, tuple[str, str]]:
    """Village code -> (name, fingerprint) of the trusted kelurahan peer that serves it (of
    several, the one heard from last: a kelurahan that set up again with a new key)."""
    rows = database.execute_sql(
        "SELECT v.village_code, p.name, p.fingerprint FROM peer_village v"
        " JOIN peer p ON p.fingerprint = v.peer AND p.kind = 'kelurahan'"
        " ORDER BY v.village_code, v.last_seen, p.name"
    ).fetchall()
    return {str(r[0]): (str(r[1]), str(r[2])) for r in rows}  # the last seen wins


# The (household, revision) pairs a peer sent or was sent, read bundle by bundle through the
# primary keys (migration 23 dropped the per-household indexes that cost every import); SQLite
# gathers them once per query into a temporary index.
_HELD_BY_PEER = (
    "SELECT o.household_id, o.rev FROM bundle_log l JOIN bundle_outcome o"
    " ON o.bundle_id = l.bundle_id WHERE l.peer = ? UNION ALL"
    " SELECT c.household_id, c.rev FROM bundle_log l JOIN bundle_content c"
    " ON c.bundle_id = l.bundle_id WHERE l.peer = ?"
)


def waiting_for(fingerprint: str, villages: list[str]) -> list[str]:
    """Ids of the households of `villages` whose current revision this peer neither sent nor
    was sent: what it has not got yet (changed here, or taken in from another peer)."""
    marks = ", ".join("?" * len(villages))
    rows = database.execute_sql(
        f"SELECT h.id FROM household h WHERE h.village_code IN ({marks}) AND h.rev IS NOT NULL"
        f" AND (h.id, h.rev) NOT IN ({_HELD_BY_PEER}) ORDER BY h.change_seq",
        (*villages, fingerprint, fingerprint),
    ).fetchall()
    return [str(r[0]) for r in rows]


def unaddressed(addressed: list[str]) -> dict[str, int]:
    """Village code -> households whose current revision was made here and never sent, in the
    kelurahan not in `addressed` (no trusted kelurahan peer serves them)."""
    marks = ", ".join("?" * len(addressed))
    rows = database.execute_sql(
        "SELECT h.village_code, COUNT(*) FROM household h WHERE h.rev IS NOT NULL"
        f" AND h.village_code NOT IN ({marks})"
        " AND (h.id, h.rev) NOT IN (SELECT household_id, rev FROM bundle_outcome UNION ALL"
        "  SELECT household_id, rev FROM bundle_content)"
        " GROUP BY h.village_code ORDER BY h.village_code",
        tuple(addressed),
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def villages_of(fingerprint: str) -> list[str]:
    """The village codes this peer was seen to serve."""
    rows = database.execute_sql(
        "SELECT village_code FROM peer_village WHERE peer = ? ORDER BY village_code",
        (fingerprint,),
    ).fetchall()
    return [str(r[0]) for r in rows]
