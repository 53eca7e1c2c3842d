"""`export ...`: spreadsheets of households through an export profile (issue 18), with the same
rules and role as the window (app/services/exports.py decides them):

    export profiles
    export --profile NAME --format xlsx|csv --out FILE|FOLDER [--force]
           [--status STATUS ...] [--rw N] [--delimiter ';']

Without --status, the profile's selection (siks-ng-usulan-v1: the daftar usulan, households
decided layak in a locked musyawarah); with it, exactly those statuses. --out naming a folder
writes the default name there: <kelurahan>_<profile>_<date>.<format>.
"""

from __future__ import annotations

import argparse
import os

from app.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, Commands, add_command, login
from app.paths import AppPaths
from app.services import exports


def run_profiles() -> int:
    for profile in exports.profiles():
        print(f"{profile.name}  v{profile.version}  one row per {profile.rows:<9}  "
              f"{len(profile.columns):>2} columns  {profile.title}")  # fmt: skip
    return EXIT_OK


def run_export(args: argparse.Namespace, paths: AppPaths) -> int:
    if args.what == "profiles":
        return run_profiles()
    missing = [name for name, value in (("--profile", args.profile), ("--format", args.format),
                                        ("--out", args.out)) if not value]  # fmt: skip
    if missing:
        raise CliError(f"export needs {', '.join(missing)} (or: export profiles)", EXIT_BAD_INPUT)
    # input checked before the store is opened: bad input writes nothing
    profile = exports.load_profile(args.profile)
    exports.check_filter(args.status or (), args.rw)
    officer = login(args, paths)
    target = args.out
    if os.path.isdir(target):
        target = os.path.join(target, exports.default_file_name(profile, args.format))
    result = exports.export(
        profile.name,
        args.format,
        target,
        officer,
        statuses=args.status or (),
        rw=args.rw,
        delimiter=args.delimiter,
        force=args.force,
        paths=paths,
    )
    print(f"{result.path}: {result.rows} rows, {result.households} households "
          f"({result.profile}, {result.format}), sha256 {result.sha256}")  # fmt: skip
    return EXIT_OK


def register(commands: Commands) -> None:
    parser = add_command(
        commands,
        "export",
        "Write households as a spreadsheet (XLSX or CSV) through an export profile; "
        "`export profiles` lists the profiles. Audited; supervisor or admin.",
        run_export,
    )
    parser.add_argument("what", nargs="?", choices=["profiles"], help="list the profiles")
    parser.add_argument("--profile", metavar="NAME", help="export profile (see: export profiles)")
    parser.add_argument("--format", choices=list(exports.FORMATS), help="file format")
    parser.add_argument("--out", metavar="FILE", help="file (or folder) to write")
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")
    parser.add_argument(
        "--status",
        nargs="+",
        metavar="STATUS",
        help="only households of these statuses (default: the profile's selection)",
    )
    parser.add_argument("--rw", type=int, metavar="N", help="only households of this RW")
    parser.add_argument(
        "--delimiter", choices=[",", ";"], default=",", help="CSV field separator (default ,)"
    )
