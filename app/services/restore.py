"""Restoring a backup as a user action (issue 4): who may, what it would lose, the audit entry.

The copying is app/services/backups.py; this adds the role check (`backup.restore`), Indonesian
words and an audit entry in the restored database naming the safety copy of the one replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.errors import UserError
from app.db import audit, copies
from app.paths import AppPaths
from app.services import auth, backups, outputs

REASON_LABELS = {
    "daily": "Harian",
    "manual": "Manual",
    "import": "Sebelum impor",
    "migration": "Sebelum pembaruan",
    "before-restore": "Sebelum pemulihan",
}


@dataclass(frozen=True)
class LostHousehold:
    """A household of the current database that the backup lacks or holds in an older state."""

    household_id: str
    updated_at: str
    registration_number: str | None


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, reason)


def available_backups(paths: AppPaths, by: auth.Officer | None) -> list[backups.Backup]:
    """The backups to choose from, newest first."""
    auth.require(by, "backup.restore")
    return backups.list_backups(paths)


def _readable(backup: Path) -> None:
    if not backup.is_file():
        raise UserError(f"Berkas cadangan {backup.name} tidak ada lagi.")
    if outputs.is_database_file(backup):  # restoring it onto itself would change nothing
        raise UserError(
            f"Berkas {backup.name} adalah basis data yang sedang dipakai (atau berkasnya), "
            "bukan cadangan. Pilih berkas dari folder cadangan.",
            f"{backup.name} is the database in use (or one of its files), not a backup",
        )


def what_would_be_lost(backup: Path, by: auth.Officer | None) -> list[LostHousehold]:
    """Households changed after the backup or missing from it, oldest change first."""
    auth.require(by, "backup.restore")
    _readable(backup)
    return [LostHousehold(*row) for row in copies.newer_than_copy(backup)]


def restore_backup(paths: AppPaths, backup: Path, by: auth.Officer | None) -> backups.Backup:
    """Replace the database with `backup`; the current database is first kept as a
    'before-restore' backup, which is returned. The caller has shown `what_would_be_lost`."""
    lost = what_would_be_lost(backup, by)
    assert by is not None  # what_would_be_lost required an officer allowed to restore
    if by.username not in copies.active_officers(backup):
        raise UserError(
            f"Akun {by.username} belum ada (atau nonaktif) di cadangan {backup.name}: sesudah "
            "pemulihan Anda tidak bisa masuk lagi. Minta admin yang akunnya ada di cadangan "
            "itu untuk memulihkannya."
        )
    safety = backups.restore(paths, backup, taker=by.role)  # the sidecar names the role
    audit.append(
        "backup.restore",
        officer=by.username,
        detail={"backup": backup.name, "lost": len(lost), "kept_in": safety.path.name},
    )
    return safety
