"""Attachments (migration 17): scans and photos of a household or a meeting, as BLOBs inside
the encrypted database, so they are encrypted, backed up and restored with it.

`attachment` is the reference (id, owner, kind, mime, SHA-256, size, pixels, who, when);
`attachment_blob` holds the bytes once per SHA-256. A reference whose bytes are not here
(e.g. received later in a bundle sent without attachments) reads as `has_data = False`.

A deleted attachment keeps its reference as a tombstone (migration 20: `deleted_at`,
`deleted_by`): it is no longer listed, its bytes are dropped unless another live reference
holds them, the deletion travels in bundles, and the same reference received again (an older
bundle) stays deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.db.connection import database

_COLUMNS = (
    "a.id, a.household_id, a.meeting_id, a.kind, a.mime, a.sha256, a.size, a.width, a.height,"
    " a.added_by, a.added_at, b.sha256 IS NOT NULL, a.deleted_at, a.deleted_by"
)
_LIVE = "a.deleted_at IS NULL"
# the bytes of `sha256` that no live reference holds (the parameter twice)
_UNHELD = (
    "DELETE FROM attachment_blob WHERE sha256 = ? AND NOT EXISTS"
    " (SELECT 1 FROM attachment WHERE sha256 = ? AND deleted_at IS NULL)"
)
_FROM = "FROM attachment a LEFT JOIN attachment_blob b ON b.sha256 = a.sha256"


@dataclass(frozen=True)
class AttachmentRecord:
    id: str
    household_id: str | None
    meeting_id: str | None
    kind: str
    mime: str
    sha256: str
    size: int
    width: int | None
    height: int | None
    added_by: str
    added_at: str
    has_data: bool
    deleted_at: str | None = None  # a tombstone: deleted here or by a peer
    deleted_by: str | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def owner_id(self) -> str:
        owner = self.household_id or self.meeting_id
        assert owner is not None  # the table's CHECK: exactly one of them
        return owner


def _record(row: tuple[object, ...]) -> AttachmentRecord:
    values = list(row)
    values[11] = bool(values[11])
    return AttachmentRecord(*values)  # type: ignore[arg-type]


def insert(record: AttachmentRecord, data: bytes) -> None:
    """Store the reference and, unless the same bytes are stored already, the bytes (inside
    the caller's transaction)."""
    database.execute_sql(
        "INSERT OR IGNORE INTO attachment_blob (sha256, data) VALUES (?, ?)",
        (record.sha256, data),
    )
    database.execute_sql(
        "INSERT INTO attachment (id, household_id, meeting_id, kind, mime, sha256, size, width,"
        " height, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.id,
            record.household_id,
            record.meeting_id,
            record.kind,
            record.mime,
            record.sha256,
            record.size,
            record.width,
            record.height,
            record.added_by,
            record.added_at,
        ),
    )


def get(attachment_id: str) -> AttachmentRecord | None:
    """The reference, deleted (a tombstone) or not."""
    row = database.execute_sql(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ?", (attachment_id,))
    found = row.fetchone()
    return None if found is None else _record(found)


def of_owner(owner_id: str) -> list[AttachmentRecord]:
    """The attachments of a household or a meeting, oldest first (not the deleted ones)."""
    rows = database.execute_sql(
        f"SELECT {_COLUMNS} {_FROM} WHERE (a.household_id = ? OR a.meeting_id = ?) AND {_LIVE}"
        " ORDER BY a.added_at, a.id",
        (owner_id, owner_id),
    ).fetchall()
    return [_record(row) for row in rows]


def data(sha256: str) -> bytes | None:
    row = database.execute_sql(
        "SELECT data FROM attachment_blob WHERE sha256 = ?", (sha256,)
    ).fetchone()
    return None if row is None else bytes(row[0])


def mark_deleted(attachment_id: str, deleted_at: str, deleted_by: str) -> bool:
    """Make a live reference a tombstone and drop its bytes when no other live reference holds
    them (inside the caller's transaction). False when there is no live reference by that id."""
    record = get(attachment_id)
    if record is None or record.deleted:
        return False
    database.execute_sql(
        "UPDATE attachment SET deleted_at = ?, deleted_by = ? WHERE id = ?",
        (deleted_at, deleted_by, attachment_id),
    )
    database.execute_sql(_UNHELD, (record.sha256, record.sha256))
    return True


def totals() -> tuple[int, int]:
    """(references, bytes stored) over the whole database."""
    refs: tuple[int] = database.execute_sql(
        "SELECT COUNT(*) FROM attachment WHERE deleted_at IS NULL"
    ).fetchone()
    size: tuple[int | None] = database.execute_sql(
        "SELECT SUM(LENGTH(data)) FROM attachment_blob"
    ).fetchone()
    return refs[0], size[0] or 0


# --- travelling in bundles (app/services/sync/attachments.py) ----------------------------------


def for_bundle(owners: set[str], since: str) -> list[AttachmentRecord]:
    """The references a bundle may carry (oldest first), tombstones too: those of these
    households and meetings, and those added or deleted since `since` (an ISO time)."""
    rows = database.execute_sql(f"SELECT {_COLUMNS} {_FROM} ORDER BY a.added_at, a.id").fetchall()
    found = map(_record, rows)
    return [
        r
        for r in found
        if r.owner_id in owners or r.added_at >= since or (r.deleted_at or "") >= since
    ]


def has_kind(household_id: str, kind: str) -> bool:
    row = database.execute_sql(
        "SELECT 1 FROM attachment WHERE household_id = ? AND kind = ? AND deleted_at IS NULL"
        " LIMIT 1",
        (household_id, kind),
    ).fetchone()
    return row is not None


def add_reference(record: AttachmentRecord) -> bool:
    """A reference received, live or a tombstone (immutable: kept as it is when its id is
    here, so a deleted one stays deleted). True when new."""
    cursor = database.execute_sql(
        "INSERT OR IGNORE INTO attachment (id, household_id, meeting_id, kind, mime, sha256,"
        " size, width, height, added_by, added_at, deleted_at, deleted_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record.id, record.household_id, record.meeting_id, record.kind, record.mime,
         record.sha256, record.size, record.width, record.height, record.added_by,
         record.added_at, record.deleted_at, record.deleted_by),
    )  # fmt: skip
    return bool(cursor.rowcount)


def put_blob(sha256: str, data: bytes) -> bool:
    """Bytes received (checked by the caller against their SHA-256). True when new here."""
    cursor = database.execute_sql(
        "INSERT OR IGNORE INTO attachment_blob (sha256, data) VALUES (?, ?)", (sha256, data)
    )
    return bool(cursor.rowcount)


def drop_unreferenced(sha256s: list[str]) -> int:
    """Remove those of these bytes no live reference holds. Returns how many were removed."""
    dropped = 0
    for sha in sha256s:
        dropped += database.execute_sql(_UNHELD, (sha, sha)).rowcount
    return dropped


def house_photo_out_of_date() -> list[tuple[str, bool]]:
    """(household id, whether it has a house-front photo) of the households whose
    `house_photo` flag says otherwise."""
    rows = database.execute_sql(
        "SELECT h.id, EXISTS (SELECT 1 FROM attachment a WHERE a.household_id = h.id"
        " AND a.kind = 'house-front' AND a.deleted_at IS NULL) AS present FROM household h"
        " WHERE h.house_photo != present AND NOT h.deleted"
    ).fetchall()
    return [(row[0], bool(row[1])) for row in rows]


def meeting_known(meeting_id: str) -> bool:
    """Whether the meeting is stored here: this installation's own, or received in a bundle."""
    row = database.execute_sql(
        "SELECT 1 FROM meeting WHERE id = ? UNION ALL SELECT 1 FROM received_meeting WHERE id = ?",
        (meeting_id, meeting_id),
    ).fetchone()
    return row is not None
