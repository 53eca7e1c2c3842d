"""What every CLI command shares: errors with exit codes, sub-command set-up, reading input.

Exit codes: 0 success, 1 the action failed (unknown id, unknown kelurahan, conflict),
2 unreadable input (missing file, not JSON, not a household document, newer schema_version,
bad arguments).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

import orjson

from app.core.document import MAX_DOCUMENT_BYTES, Document, DocumentError, parse
from app.core.errors import EXIT_BAD_INPUT, EXIT_FAILED, UserError
from app.paths import AppPaths
from app.services import auth
from app.services.auth import Officer

EXIT_OK = 0

Handler = Callable[[argparse.Namespace, AppPaths], int]
Commands = argparse._SubParsersAction  # what `add_subparsers()` returns


class CliError(UserError):
    """A command failed; the message is shown as one line, with `exit_code`."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED):
        super().__init__(message)
        self.exit_code = exit_code


def add_command(
    commands: Commands, name: str, summary: str, run: Handler | None = None
) -> argparse.ArgumentParser:
    """Add a (sub)command whose `--help` starts with `summary`; `run(args, paths)` handles it."""
    parser = commands.add_parser(name, help=summary, description=summary)
    if run is not None:
        parser.set_defaults(run=run)
    return parser


def add_output(parser: argparse.ArgumentParser, metavar: str, what: str) -> None:
    """`--out FILE` and `--force` (app/services/outputs.py decides where a file may go)."""
    parser.add_argument("--out", metavar=metavar, required=True, help=what)
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def read_document(name: str) -> Document:
    """The validated household document in file `name` (`-`: standard input).

    Raises CliError with EXIT_BAD_INPUT when it cannot be read or is not a document."""
    data = read_bounded(name, MAX_DOCUMENT_BYTES, "a household document")
    try:
        return parse(data)
    except DocumentError as exc:
        raise CliError(f"{name}: {exc}", EXIT_BAD_INPUT) from None


def read_bounded(name: str, limit: int, what: str) -> bytes:
    """At most `limit` bytes of file `name` (`-`: standard input); a longer input (or one that
    never ends, like /dev/zero) is refused after `limit + 1` bytes, with EXIT_BAD_INPUT."""
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(name, "rb") as source:
                data = source.read(limit + 1)
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}", EXIT_BAD_INPUT) from None
    if len(data) > limit:
        raise CliError(f"{name}: too large for {what} (at most {limit // 1024} kB)", EXIT_BAD_INPUT)
    return data


def write_json(value: object) -> None:
    """Pretty UTF-8 JSON on stdout, whatever the console's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.buffer.flush()


def read_password(variable: str, prompt: str) -> str:
    """A password from environment variable `variable`, or typed when there is a terminal.
    Never from a command-line argument (it would show in the process list and history)."""
    value = os.environ.get(variable)
    if value:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise CliError(f"no password: set {variable} (or run in a terminal to be asked)")


def login(args: argparse.Namespace, paths: AppPaths) -> Officer:
    """Open the home's encrypted database as the officer named by --user, with the password
    from LOKET_PASSWORD (or a prompt). Every command that reads or changes stored data does
    this first; a home that is not set up yet says how to set it up."""
    if not auth.is_set_up(paths):
        if auth.needs_encryption(paths):
            raise CliError(
                f"{paths.db} is from an earlier version and not encrypted yet: run "
                "`python -m app --user ADMIN encrypt` (prints the new recovery key)"
            )
        raise CliError(
            f"{paths.home} is not set up: run `python -m app init --kelurahan CODE --admin NAME`"
            " (or `demo` on a new home)"
        )
    if not args.user:
        raise CliError("this command needs a login: --user NAME (password in LOKET_PASSWORD)")
    password = read_password("LOKET_PASSWORD", f"Kata sandi {args.user}: ")
    officer = auth.log_in(paths, args.user, password)
    if auth.recovery_key_lost(paths, officer):
        print(
            "warning: the database key has no recovery key on paper (its set-up or encryption"
            " was cut before it was shown): run `officer rekey` to make one",
            file=sys.stderr,
        )
    return officer
