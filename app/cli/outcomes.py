"""`outcomes ...`: Dinsos imports what SIKS-NG says about the households (issue 19;
app/services/outcomes.py decides):

    outcomes profiles
    outcomes import FILE --profile NAME|PROFILE.toml [--dry-run]

`import` always prints the preview (counts and refused rows, by row number, never a NIK); with
--dry-run nothing changes, without it the outcomes are recorded in one transaction.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import EXIT_OK, CliError, Commands, add_command, login
from app.core.errors import EXIT_BAD_INPUT
from app.paths import AppPaths
from app.services import outcomes

SHOWN_ERRORS = 20


def run_profiles(args: argparse.Namespace, paths: AppPaths) -> int:
    for name in outcomes.names():
        profile = outcomes.load_profile(name)
        columns = ", ".join(f"{k}={v}" for k, v in profile.columns.items())
        print(f"{profile.name}  v{profile.version}  {columns}  {profile.title}")
    return EXIT_OK


def print_plan(done: outcomes.Plan, applied: bool) -> None:
    for key, label in outcomes.COUNTS:
        print(f"{done.counts[key]:>9,}  {label} ({key})")
    for error in done.errors[:SHOWN_ERRORS]:
        print(f"  {error.describe()}")
    if len(done.errors) > SHOWN_ERRORS:
        print(f"  ... dan {len(done.errors) - SHOWN_ERRORS:,} baris lain ditolak")
    if applied:
        print(f"applied: {done.counts['households']:,} households updated")
    else:
        print("dry run: nothing changed")


def run_import(args: argparse.Namespace, paths: AppPaths) -> int:
    # input checked before the store is opened: bad input writes nothing
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"cannot read {args.file}: no such file", EXIT_BAD_INPUT)
    outcomes.load_profile(args.profile)
    officer = login(args, paths)
    if args.dry_run:
        print_plan(outcomes.preview(path, args.profile, officer), applied=False)
    else:
        print_plan(outcomes.apply(path, args.profile, officer), applied=True)
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(
        commands, "outcomes", "Dinsos: import SIKS-NG outcomes and ID DTKS (supervisor)."
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(actions, "profiles", "List the built-in column profiles.", run_profiles)
    imports = add_command(
        actions, "import", "Preview and apply an outcome file (CSV or XLSX).", run_import
    )
    imports.add_argument("file", metavar="FILE", help="the outcome file (.csv or .xlsx)")
    imports.add_argument(
        "--profile", required=True, metavar="NAME", help="siks-ng or a PROFILE.toml"
    )
    imports.add_argument("--dry-run", action="store_true", help="preview only, change nothing")
