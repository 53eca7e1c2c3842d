"""`pemadanan ...`: Dinsos's matching with Dukcapil and Bapenda, many households at once
(issue 19; app/services/pemadanan.py decides):

    pemadanan profiles
    pemadanan import FILE --profile NAME|PROFILE.toml [--dry-run]
    pemadanan request --source dukcapil|bapenda --out FILE [--format csv|xlsx] [--status S ...]

`import` always prints the preview (counts and refused rows, by row number, never a NIK); with
--dry-run nothing changes, without it the results are recorded in one transaction.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from app.cli.common import EXIT_OK, CliError, Commands, add_command, add_output, login
from app.core.errors import EXIT_BAD_INPUT
from app.paths import AppPaths
from app.services import pemadanan, pemadanan_files

SHOWN_ERRORS = 20


def run_profiles(args: argparse.Namespace, paths: AppPaths) -> int:
    for name in pemadanan_files.profile_names():
        profile = pemadanan_files.load_profile(name)
        columns = ", ".join(f"{k}={v}" for k, v in profile.columns.items())
        print(
            f"{profile.name}  v{profile.version}  {profile.source:<8}  {columns}  {profile.title}"
        )
    return EXIT_OK


def print_plan(done: Any, counts: Sequence[tuple[str, str]], applied: bool) -> None:
    """A result file's preview or import (pemadanan or SIKS-NG outcomes): the counts, the
    refused rows (row numbers, never a NIK), and whether anything changed."""
    for key, label in counts:
        print(f"{done.counts[key]:>9,}  {label} ({key})")
    for error in done.errors[:SHOWN_ERRORS]:
        print(f"  {error.describe()}")
    if len(done.errors) > SHOWN_ERRORS:
        print(f"  ... dan {len(done.errors) - SHOWN_ERRORS:,} baris lain ditolak")
    if applied:
        print(f"applied: {done.counts['households']:,} households updated")
    else:
        print("dry run: nothing changed")


def import_file(
    args: argparse.Namespace,
    paths: AppPaths,
    service: ModuleType,
    check_profile: Callable[[str], object],
) -> int:
    """`pemadanan import` and `outcomes import` (`service`: app/services/pemadanan or outcomes,
    with their preview, apply and COUNTS): the file and the profile are checked before
    the store is opened (bad input writes nothing), then previewed (`--dry-run`) or applied."""
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"cannot read {args.file}: no such file", EXIT_BAD_INPUT)
    check_profile(args.profile)
    officer = login(args, paths)
    if args.dry_run:
        print_plan(service.preview(path, args.profile, officer), service.COUNTS, applied=False)
    else:
        print_plan(service.apply(path, args.profile, officer), service.COUNTS, applied=True)
    return EXIT_OK


def run_import(args: argparse.Namespace, paths: AppPaths) -> int:
    return import_file(args, paths, pemadanan, pemadanan_files.load_profile)


def run_request(args: argparse.Namespace, paths: AppPaths) -> int:
    fmt = args.format or ("xlsx" if str(args.out).lower().endswith(".xlsx") else "csv")
    officer = login(args, paths)
    result = pemadanan.request(args.source, fmt, args.out, officer,
                               statuses=args.status or pemadanan.REQUEST_STATUSES,
                               force=args.force, paths=paths)  # fmt: skip
    print(f"{result.path}: {result.rows} rows, {result.households} households "
          f"({result.profile}, {result.format}), sha256 {result.sha256}")  # fmt: skip
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(
        commands, "pemadanan", "Dinsos: import Dukcapil/Bapenda matching results (supervisor)."
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(actions, "profiles", "List the built-in column profiles.", run_profiles)
    imports = add_command(
        actions, "import", "Preview and apply a result file (CSV or XLSX).", run_import
    )
    imports.add_argument("file", metavar="FILE", help="the result file (.csv or .xlsx)")
    imports.add_argument(
        "--profile", required=True, metavar="NAME", help="dukcapil, bapenda or a PROFILE.toml"
    )
    imports.add_argument("--dry-run", action="store_true", help="preview only, change nothing")
    requests = add_command(
        actions, "request", "Write the request file for Dukcapil or Bapenda (audited).", run_request
    )
    requests.add_argument("--source", required=True, choices=["dukcapil", "bapenda"])
    add_output(requests, "FILE", "the file to write (.csv or .xlsx)")
    requests.add_argument("--format", choices=["csv", "xlsx"], help="default: from --out")
    requests.add_argument(
        "--status",
        nargs="+",
        metavar="STATUS",
        help="households of these statuses (default: registered)",
    )
