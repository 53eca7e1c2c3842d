"""Rotating backups of the database (app/db/copies.py), and restore (issue 4).

Backups live in `<home>/backups/` as `loket-<YYYYmmdd-HHMMSS>-<reason>.db`: one a day on start
(`daily`), and before risky work (`import`, `before-restore`, `manual`). Beside each, a sidecar
`<backup>.json` says its reason and the role of the officer who took it (`system` for the daily
one; no name, nothing of a household). The newest KEEP of each reason are kept, and rotation
never removes the newest backup taken before an import, before a restore or by a supervisor
(or admin): many backups by a petugas cannot push a supervisor's out (issue 15).

Before an import run changes anything it takes one safety copy (`begin_before_import`: one
per run, however many bundles), except on a Dinsos installation that already took one today
(issue 20: there the copy is gigabytes, and what a kelurahan bundle can change is the
kelurahan's own data, see docs/ARCHITECTURE.md "Scale of a Dinsos installation"). A thread
writes the copy beside the import, as the database was before it, and the import waits for it
before it commits.

Backups are encrypted with the database's own key (they are copies of its encrypted files), so
a copied backup is as unreadable as the database. A restore first says which households would
be lost (changed after the backup, or not in it) and only goes ahead when the caller confirms.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from app.db import audit, copies, copy_beside, restore_copy
from app.db.connection import database
from app.paths import AppPaths
from app.services import installation
from app.services.actions import Officer, require

KEEP = 14
PREFIX = "loket-"
SIDECAR = ".json"  # `<backup>.json`: {"reason": ..., "taker": role or "system"}
SYSTEM = "system"  # taken by the app itself (the daily backup)
PROTECTED_REASONS = ("import", "before-restore")  # the newest of each is never rotated away
SUPERVISORS = frozenset({"supervisor", "admin"})  # the newest one they took is never either


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str
    households: int
    taker: str | None = None  # the taker's role, SYSTEM, or None (a backup without sidecar)


def _parse(path: Path) -> tuple[dt.datetime, str] | None:
    parts = path.stem.removeprefix(PREFIX).split("-", 2)
    if len(parts) != 3:
        return None
    try:
        return dt.datetime.strptime(f"{parts[0]}-{parts[1]}", "%Y%m%d-%H%M%S"), parts[2]
    except ValueError:
        return None


def list_backups(paths: AppPaths, counted: bool = True) -> list[Backup]:
    """Newest first; with the households in each unless not `counted` (then 0): counting
    opens every copy, seconds for a Dinsos installation's gigabytes (rotation needs none)."""
    found = []
    for path in paths.backups.glob(f"{PREFIX}*.db"):
        parsed = _parse(path)
        if parsed:
            households = copies.household_count(path) if counted else 0
            found.append(Backup(path, parsed[0], parsed[1], households, _taker(path)))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def _sidecar(backup: Path) -> Path:
    return backup.with_name(backup.name + SIDECAR)


def _taker(backup: Path) -> str | None:
    """Who took `backup` (a role, or SYSTEM), as its sidecar says; None when it says nothing."""
    try:
        taker = json.loads(_sidecar(backup).read_bytes()).get("taker")
    except (OSError, ValueError, AttributeError):
        return None
    return taker if isinstance(taker, str) else None


def _mark(backup: Path, reason: str, taker: str) -> None:
    """Write the sidecar of `backup`: whole or not at all."""
    sidecar = _sidecar(backup)
    partial = sidecar.with_name(sidecar.name + ".partial")
    try:
        partial.write_text(json.dumps({"reason": reason, "taker": taker}), encoding="utf-8")
        os.replace(partial, sidecar)
    except OSError:  # the backup is whole without it; rotation then treats it as unmarked
        partial.unlink(missing_ok=True)


def create_backup(
    paths: AppPaths,
    reason: str,
    now: dt.datetime | None = None,
    taker: str = SYSTEM,
    counted: bool = True,
) -> Backup:
    """Copy the open database into the backups folder, marked with its reason and `taker`
    (the role of the officer whose action takes it, or SYSTEM), then rotate (`rotate`). The
    households in the copy are counted unless not `counted` (then 0): 2.7 s of a Dinsos
    database's 13 s copy, for a figure nobody reads before an import."""
    now = now or dt.datetime.now()
    target = _target(paths, reason, now)
    copies.backup_copy(database.obj, target)
    return _taken(paths, target, reason, now, taker, counted)


def _target(paths: AppPaths, reason: str, now: dt.datetime) -> Path:
    return paths.backups / f"{PREFIX}{now:%Y%m%d-%H%M%S}-{reason}.db"


def _taken(
    paths: AppPaths, target: Path, reason: str, now: dt.datetime, taker: str, counted: bool
) -> Backup:
    """A copy written to `target`: marked (`_mark`), rotated in (`rotate`), counted."""
    _mark(target, reason, taker)
    rotate(paths, reason)
    households = copies.household_count(target) if counted else 0
    return Backup(target, now.replace(microsecond=0), reason, households, taker)


def protected(found: list[Backup]) -> set[Path]:
    """The backups rotation keeps whatever else there is (`found` newest first): the newest
    taken before an import, the newest taken before a restore, the newest a supervisor took."""
    newest = [next((b for b in found if b.reason == r), None) for r in PROTECTED_REASONS]
    newest.append(next((b for b in found if b.taker in SUPERVISORS), None))
    return {b.path for b in newest if b is not None}


def rotate(paths: AppPaths, reason: str) -> list[Path]:
    """Drop the backups of `reason` past the newest KEEP, except the protected ones; returns
    what was removed."""
    found = list_backups(paths, counted=False)
    keep = protected(found)
    removed = [b.path for b in [b for b in found if b.reason == reason][KEEP:]]
    removed = [path for path in removed if path not in keep]
    for path in removed:
        path.unlink()
        _sidecar(path).unlink(missing_ok=True)
    return removed


def take_backup(paths: AppPaths, officer: Officer | None) -> Backup:
    """A backup taken now by an officer who may (`backup.create`); audited."""
    officer = require(officer, "backup.create")
    backup = create_backup(paths, "manual", taker=officer.role)
    audit.append("backup.create", officer=officer.username, detail={"backup": backup.path.name})
    return backup


def daily_backup(paths: AppPaths, now: dt.datetime | None = None) -> Backup | None:
    """Take today's backup unless there already is one."""
    now = now or dt.datetime.now()
    found = list_backups(paths, counted=False)
    if any(b.reason == "daily" and b.taken_at.date() == now.date() for b in found):
        return None
    return create_backup(paths, "daily", now)


class SafetyCopy:
    """An import run's safety copy (`begin_before_import`), maybe still being written beside
    the import (app/db/copy_beside.py): the import calls `wait` before it commits, so nothing
    is kept without the copy (a copy that fails rolls the import back)."""

    def __init__(
        self,
        paths: AppPaths,
        target: Path,
        now: dt.datetime,
        taker: str,
        beside: copy_beside.CopyBeside | None,  # None: the copy is whole already
    ):
        self.paths, self.target, self.now, self.taker = paths, target, now, taker
        self.beside = beside
        self.taken: Backup | None = None

    def wait(self) -> Backup:
        """The copy, written and rotated in; DiskFullError or what else stopped it."""
        if self.taken is None:
            if self.beside is not None:
                self.beside.wait()
            self.taken = _taken(self.paths, self.target, "import", self.now, self.taker, False)
        return self.taken


def begin_before_import(
    paths: AppPaths, taker: str, now: dt.datetime | None = None
) -> SafetyCopy | None:
    """The safety copy an import run takes before its first change (`imports.import_bundles`
    calls it once per run, not per bundle), started: a thread writes it beside the import
    (as the database was before it), or, when that cannot start, it is written now.

    Skipped (None) on a Dinsos installation that took one today: its copy is the size of all
    Jakarta's data (2.6 GB: 1-3 s a copy, more on a cold disk), each import is one
    transaction (a failure leaves nothing), and a kelurahan bundle cannot change what Dinsos
    owns (app/core/ownership.py); the copy of the day's first import run stays, kept by
    rotation (`protected`), beside the daily backup."""
    now = now or dt.datetime.now()
    if installation.is_dinsos():
        found = list_backups(paths, counted=False)
        if any(b.reason == "import" and b.taken_at.date() == now.date() for b in found):
            return None
    target = _target(paths, "import", now)
    beside = copy_beside.copy_beside(database.obj, target)
    if beside is None:
        copies.backup_copy(database.obj, target)
    return SafetyCopy(paths, target, now, taker, beside)


def restore(paths: AppPaths, backup: Path, taker: str = SYSTEM) -> Backup:
    """Replace the database with `backup` (after a safety backup of the current one); the
    restored copy is migrated if it is older. Returns the safety backup."""
    safety = create_backup(paths, "before-restore", taker=taker)
    restore_copy(backup, paths.db)
    return safety
