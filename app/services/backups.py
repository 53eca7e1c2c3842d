"""Rotating backups of the database (app/db/copies.py), and restore (issue 4).

Backups live in `<home>/backups/` as `loket-<YYYYmmdd-HHMMSS>-<reason>.db`: one a day on start
(`daily`), and before risky work (`import`, `restore`, `manual`). The newest KEEP of each reason
are kept. Backups are encrypted with the database's own key (they are copies of its
encrypted files), so a copied backup is as unreadable as the database. A restore
first says which households would be lost (changed after the backup, or
not in it) and only goes ahead when the caller confirms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from app.db import audit, copies, restore_copy
from app.db.connection import database
from app.paths import AppPaths
from app.services.actions import Officer, require

KEEP = 14
PREFIX = "loket-"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str
    households: int


def _parse(path: Path) -> tuple[dt.datetime, str] | None:
    parts = path.stem.removeprefix(PREFIX).split("-", 2)
    if len(parts) != 3:
        return None
    try:
        return dt.datetime.strptime(f"{parts[0]}-{parts[1]}", "%Y%m%d-%H%M%S"), parts[2]
    except ValueError:
        return None


def list_backups(paths: AppPaths) -> list[Backup]:
    """Newest first."""
    found = []
    for path in paths.backups.glob(f"{PREFIX}*.db"):
        parsed = _parse(path)
        if parsed:
            found.append(Backup(path, parsed[0], parsed[1], copies.household_count(path)))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def create_backup(paths: AppPaths, reason: str, now: dt.datetime | None = None) -> Backup:
    """Copy the open database into the backups folder, then drop the oldest of that reason."""
    now = now or dt.datetime.now()
    target = paths.backups / f"{PREFIX}{now:%Y%m%d-%H%M%S}-{reason}.db"
    copies.backup_copy(database.obj, target)
    same_reason = [b for b in list_backups(paths) if b.reason == reason]
    for old in same_reason[KEEP:]:
        old.path.unlink()
    return Backup(target, now.replace(microsecond=0), reason, copies.household_count(target))


def take_backup(paths: AppPaths, officer: Officer | None) -> Backup:
    """A backup taken now by an officer who may (`backup.create`); audited."""
    officer = require(officer, "backup.create")
    backup = create_backup(paths, "manual")
    audit.append("backup.create", officer=officer.username, detail={"backup": backup.path.name})
    return backup


def daily_backup(paths: AppPaths, now: dt.datetime | None = None) -> Backup | None:
    """Take today's backup unless there already is one."""
    now = now or dt.datetime.now()
    if any(b.reason == "daily" and b.taken_at.date() == now.date() for b in list_backups(paths)):
        return None
    return create_backup(paths, "daily", now)


def restore(paths: AppPaths, backup: Path) -> Backup:
    """Replace the database with `backup` (after a safety backup of the current one); the
    restored copy is migrated if it is older. Returns the safety backup."""
    safety = create_backup(paths, "before-restore")
    restore_copy(backup, paths.db)
    return safety
