"""`backup list|create|restore`: rotating backups and a restore that says what it would lose."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    Commands,
    add_command,
    login,
)
from app.paths import AppPaths
from app.services import backups
from app.services import restore as restore_service


def backup_list(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    for backup in restore_service.available_backups(paths, officer):
        print(
            f"{backup.taken_at:%Y-%m-%d %H:%M:%S}  {backup.reason:<15} "
            f"{backup.households:>7} households  {backup.path}"
        )
    return EXIT_OK


def backup_create(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    backup = backups.take_backup(paths, officer)
    print(f"backup written: {backup.path} ({backup.households} households)")
    return EXIT_OK


def backup_restore(args: argparse.Namespace, paths: AppPaths) -> int:
    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"no such backup: {source}", EXIT_BAD_INPUT)
    officer = login(args, paths)
    lost = restore_service.what_would_be_lost(source, officer)
    if lost and not args.yes:
        print(f"Restoring {source.name} would lose or set back {len(lost)} household(s):")
        for item in lost[:20]:
            number = item.registration_number or "(draft)"
            print(f"  {number:<28} {item.household_id}  changed {item.updated_at}")
        print("Nothing was changed. Run again with --yes to restore anyway.")
        return EXIT_FAILED
    safety = restore_service.restore_backup(paths, source, officer)
    print(f"restored {source.name}; the database as it was is kept in {safety.path}")
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(commands, "backup", "Backups of the database (one a day, and on demand).")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(actions, "list", "List the backups, newest first.", backup_list)
    add_command(actions, "create", "Write a backup now.", backup_create)
    restore = add_command(
        actions,
        "restore",
        "Restore a backup; first lists what would be lost, --yes to go on.",
        backup_restore,
    )
    restore.add_argument("file", metavar="FILE.db")
    restore.add_argument("--yes", action="store_true", help="restore even if data would be lost")
