"""Rotating backups of the database (`migrations.backup_copy`), and restore (issue 4).

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

import sqlcipher3

from app.db.connection import (
    close_db,
    connect_file,
    current_key,
    database,
    init_db,
    sqlcipher_key,
)
from app.db.migrations import backup_copy
from app.paths import AppPaths

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


def _households(path: Path) -> int:
    conn = connect_file(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM household WHERE deleted = 0").fetchone()[0]
    finally:
        conn.close()


def active_officers(path: Path) -> set[str]:
    """Usernames that can log in to the database in backup `path` (none before officers)."""
    conn = connect_file(path)
    try:
        rows = conn.execute("SELECT username FROM officer WHERE active = 1").fetchall()
    except sqlcipher3.OperationalError:  # a backup from before officer accounts
        rows = []
    finally:
        conn.close()
    return {username for (username,) in rows}


def list_backups(paths: AppPaths) -> list[Backup]:
    """Newest first."""
    found = []
    for path in paths.backups.glob(f"{PREFIX}*.db"):
        parsed = _parse(path)
        if parsed:
            found.append(Backup(path, parsed[0], parsed[1], _households(path)))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def create_backup(paths: AppPaths, reason: str, now: dt.datetime | None = None) -> Backup:
    """Copy the open database into the backups folder, then drop the oldest of that reason."""
    now = now or dt.datetime.now()
    target = paths.backups / f"{PREFIX}{now:%Y%m%d-%H%M%S}-{reason}.db"
    backup_copy(database.obj, target)
    same_reason = [b for b in list_backups(paths) if b.reason == reason]
    for old in same_reason[KEEP:]:
        old.path.unlink()
    return Backup(target, now.replace(microsecond=0), reason, _households(target))


def daily_backup(paths: AppPaths, now: dt.datetime | None = None) -> Backup | None:
    """Take today's backup unless there already is one."""
    now = now or dt.datetime.now()
    if any(b.reason == "daily" and b.taken_at.date() == now.date() for b in list_backups(paths)):
        return None
    return create_backup(paths, "daily", now)


def would_lose(backup: Path) -> list[tuple[str, str, str | None]]:
    """Households of the open database that a restore of `backup` would lose or set back:
    [(household_id, updated_at, registration_number)]."""
    key = sqlcipher_key(current_key())
    database.execute_sql("ATTACH DATABASE ? AS restoring KEY ?", (str(backup), key))
    try:
        rows = database.execute_sql(
            "SELECT h.id, h.updated_at, h.registration_number FROM main.household h"
            " LEFT JOIN restoring.household b ON b.id = h.id"
            " WHERE b.id IS NULL OR h.updated_at > b.updated_at ORDER BY h.updated_at"
        ).fetchall()
    finally:
        database.execute_sql("DETACH DATABASE restoring")
    return [tuple(r) for r in rows]


def restore(paths: AppPaths, backup: Path) -> Backup:
    """Replace the database with `backup` (after a safety backup of the current one); the
    restored copy is migrated if it is older. Returns the safety backup."""
    safety = create_backup(paths, "before-restore")
    key = current_key()
    close_db()
    source, dest = connect_file(backup), connect_file(paths.db)
    try:
        source.backup(dest)
    finally:
        source.close()
        dest.close()
    init_db(paths.db, key)
    return safety
