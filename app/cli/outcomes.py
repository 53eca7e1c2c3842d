"""`outcomes ...`: Dinsos imports what SIKS-NG says about the households (issue 19;
app/services/outcomes.py decides):

    outcomes profiles
    outcomes import FILE --profile NAME|PROFILE.toml [--dry-run]

`import` always prints the preview (counts and refused rows, by row number, never a NIK); with
--dry-run nothing changes, without it the outcomes are recorded in one transaction.
"""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, Commands, add_command
from app.cli.pemadanan import import_file
from app.paths import AppPaths
from app.services import outcomes


def run_profiles(args: argparse.Namespace, paths: AppPaths) -> int:
    for name in outcomes.names():
        profile = outcomes.load_profile(name)
        columns = ", ".join(f"{k}={v}" for k, v in profile.columns.items())
        print(f"{profile.name}  v{profile.version}  {columns}  {profile.title}")
    return EXIT_OK


def run_import(args: argparse.Namespace, paths: AppPaths) -> int:
    return import_file(args, paths, outcomes, outcomes.load_profile)


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
