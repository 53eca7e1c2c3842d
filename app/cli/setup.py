"""Setting up a home without the GUI: `kelurahan list|set|show` and `demo`."""

from __future__ import annotations

import argparse
import secrets

from app.cli.common import (
    EXIT_OK,
    CliError,
    Commands,
    add_command,
    login,
    positive_int,
)
from app.paths import AppPaths
from app.services import auth, installation
from app.services.actions import Officer

DEMO_ADMIN = "demo-admin"


def kelurahan_list(args: argparse.Namespace, paths: AppPaths) -> int:
    needle = (args.search or "").casefold()
    for village in installation.villages():
        if needle in f"{village.code} {village.label}".casefold():
            print(f"{village.code}  {village.label}")
    return EXIT_OK


def kelurahan_set(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    village = installation.set_village(args.code, officer)
    print(f"{village.code}  {village.label}")
    return EXIT_OK


def kelurahan_show(args: argparse.Namespace, paths: AppPaths) -> int:
    login(args, paths)
    village = installation.current_village()
    if village is None:
        raise CliError("no kelurahan chosen for this installation; use: kelurahan set CODE")
    print(f"{village.code}  {village.label}")
    return EXIT_OK


def demo(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.services.demo import load_demo  # Faker is only needed here

    if auth.is_set_up(paths) or auth.needs_encryption(paths):
        officer = login(args, paths)
    else:  # a new home: make a demo admin so the demo data is protected like real data
        password = secrets.token_urlsafe(9)
        officer, recovery = auth.set_up(paths, DEMO_ADMIN, "Admin Demo", password)
        # Printed before loading, and flushed: a load that is interrupted (Ctrl+C, killed)
        # must not leave a home nobody can log in to.
        print(
            f"demo admin: {DEMO_ADMIN}  password: {password}  (log in with --user {DEMO_ADMIN},"
            " password in LOKET_PASSWORD)"
        )
        print(f"recovery key: {recovery}", flush=True)
    summary = load_demo(args.households, args.seed, officer)
    for key, value in summary.items():
        print(f"{key}: {value}")
    return EXIT_OK


def register_kelurahan(commands: Commands) -> None:
    group = add_command(commands, "kelurahan", "The kelurahan this installation serves.")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = add_command(actions, "list", "List Jakarta's kelurahan and codes.", kelurahan_list)
    listing.add_argument("--search", metavar="TEXT", help="part of a code or name")
    chosen = add_command(actions, "set", "Choose this installation's kelurahan.", kelurahan_set)
    chosen.add_argument("code", metavar="CODE", help="Kemendagri code, e.g. 31.74.01.1001")
    add_command(actions, "show", "Print this installation's kelurahan.", kelurahan_show)


def register_demo(commands: Commands) -> None:
    parser = add_command(
        commands, "demo", "Add synthetic Jakarta households (for demos and benchmarks).", demo
    )
    parser.add_argument(
        "--households", metavar="N", type=positive_int, default=100,
        help="how many households (default 100)",
    )  # fmt: skip
    parser.add_argument(
        "--seed", metavar="S", type=int, default=0,
        help="random seed; the same seed gives the same data (default 0)",
    )  # fmt: skip


# --- `init`: a kelurahan or a Dinas Sosial (issue 19); app/cli/officers.py runs `init` -----


def check_init_area(args: argparse.Namespace) -> None:
    """Refuse a bad `--kelurahan` / `--dinsos [--kota]` before anything is made."""
    if args.dinsos:
        if args.kelurahan:
            raise CliError("choose either --kelurahan CODE or --dinsos, not both")
        if args.kota and args.kota not in installation.kota_codes():
            raise CliError(f"unknown kota code {args.kota} (e.g. 31.74)")
    elif args.kota:
        raise CliError("--kota is for a Dinsos installation: init --dinsos --kota CODE")
    elif not args.kelurahan:
        raise CliError("init needs --kelurahan CODE (see: kelurahan list) or --dinsos")
    elif installation.village(args.kelurahan) is None:
        raise CliError(f"unknown kelurahan code {args.kelurahan} (see: kelurahan list)")


def apply_init_area(args: argparse.Namespace, admin: Officer) -> str:
    """Store the chosen kelurahan or Dinsos area; what the home now serves, for the output."""
    if args.dinsos:
        return installation.area_label(installation.set_dinsos(args.kota, admin))
    village = installation.set_village(args.kelurahan, admin)
    return f"Kelurahan {village.name} ({village.code})"


def add_init_area(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kelurahan", metavar="CODE", help="e.g. 31.74.01.1001")
    parser.add_argument(
        "--dinsos", action="store_true",
        help="a Dinas Sosial installation (DKI Jakarta, or one kota with --kota)",
    )  # fmt: skip
    parser.add_argument("--kota", metavar="CODE", help="with --dinsos: a Suku Dinas, e.g. 31.74")
