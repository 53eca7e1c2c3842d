"""Command line (DESIGN §10): `python -m app [--home DIR] [--db PATH] [COMMAND ...]`.

Without a command the GUI opens. Each command group is one `register(commands)` function in
COMMAND_GROUPS (app/cli_*.py); each command's handler takes `(args, paths)` and returns the exit
code (app/cli/common.py). Handlers read and check their input *before* opening the store, so
bad input writes nothing, and `--help` (argparse) never creates a database. Errors are one line
on stderr, `error: ...`, never a traceback.

Nothing here imports Qt; `gui` imports the UI only when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from app import __version__
from app.cli import attachment as cli_attachment
from app.cli import audit as cli_audit
from app.cli import backup as cli_backup
from app.cli import bundle as cli_bundle
from app.cli import check as cli_check
from app.cli import dinsos as cli_dinsos
from app.cli import export as cli_export
from app.cli import household as cli_household
from app.cli import keys as cli_keys
from app.cli import musyawarah as cli_musyawarah
from app.cli import officers as cli_officers
from app.cli import outcomes as cli_outcomes
from app.cli import pemadanan as cli_pemadanan
from app.cli import receipt as cli_receipt
from app.cli import report as cli_report
from app.cli import setup as cli_setup
from app.cli import status as cli_status
from app.cli import target_list as cli_target_list
from app.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    Commands,
    Handler,
    add_command,
)
from app.core.errors import UserError
from app.logs import log_unexpected
from app.paths import AppPaths, resolve_paths
from app.services import auth


def run_gui(args: argparse.Namespace, paths: AppPaths) -> int:
    from app.ui.application import run_gui as start  # Qt only when the window is wanted

    return start(paths)


def register_gui(commands: Commands) -> None:
    add_command(commands, "gui", "Open the application window (the default).", run_gui)


# One function per command group. A new command, e.g. `check FILE.json`, is one more entry:
# `def register(commands): parser = add_command(commands, "check", "...", run_check); ...`
COMMAND_GROUPS: list[Callable[[Commands], None]] = [
    register_gui,
    cli_household.register,
    cli_setup.register_kelurahan,
    cli_setup.register_demo,
    cli_check.register,
    cli_audit.register,
    cli_officers.register_init,
    cli_officers.register_officer,
    cli_backup.register,
    cli_keys.register,
    cli_bundle.register,
    cli_receipt.register,
    cli_report.register,
    cli_musyawarah.register,
    cli_export.register,
    cli_attachment.register,
    cli_dinsos.register,
    cli_pemadanan.register,
    cli_target_list.register,
    cli_outcomes.register,
    cli_status.register,
]


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (sub-command parsers are made of the same class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m app",
        description="Loket DTKS: offline registration of DTKS/FMOTM households. "
        "Without a command, opens the application window.",
    )
    parser.add_argument("--version", action="version", version=f"Loket DTKS {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this installation works (temporary home, offscreen) and exit",
    )
    parser.add_argument(
        "--home", metavar="DIR", help="home folder (default: LOKET_HOME or the user data folder)"
    )
    parser.add_argument(
        "--db", metavar="PATH", help="database file (default: LOKET_DB or HOME/loket.db)"
    )
    parser.add_argument(
        "--user", metavar="NAME", help="log in as this officer; password from LOKET_PASSWORD"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in COMMAND_GROUPS:
        register(commands)
    return parser


def fail(message: object, exit_code: int) -> int:
    text = " ".join(str(message).split())  # always one line
    print(f"error: {text}", file=sys.stderr)
    return exit_code


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 on bad arguments, 0 after --help
    if args.self_test:
        from app.cli import self_test

        return self_test.run()
    paths = resolve_paths(home=args.home, db=args.db)
    run: Handler = getattr(args, "run", run_gui)
    try:
        return run(args, paths)
    except UserError as exc:  # the refusals the user can act on, each one line
        return fail(exc.detail, exc.exit_code)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:  # e.g. `household list | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception as exc:  # the contract: one line, never a traceback; details in the log
        log_file = log_unexpected(paths.home, exc)
        return fail(f"unexpected {type(exc).__name__} (details in {log_file})", EXIT_FAILED)
    finally:
        auth.log_out()
