"""`status REGISTRATION_NUMBER|NIK` (issue 19): *Cek status* at the counter, as one line a
resident understands; the timeline under it for a registration number (or the receipt's QR
payload, `DTKS:<number>:<code>`). A NIK shows the status line only; one not found is named
masked. Exit code 1 when nothing was found."""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, Commands, add_command, login, write_json
from app.core.errors import EXIT_FAILED
from app.core.text import printable
from app.paths import AppPaths
from app.services import status_check
from app.services.timeline import Timeline


def print_entries(shown: Timeline) -> None:
    """`2026-11-01  Terdaftar  oleh Siti (No. registrasi …)`, one line per step; a step a
    bundle brought: `… Ditetapkan  dari Dinas Sosial, diterima 2026-11-12 (…)`."""
    for e in shown.entries:  # names and reasons a bundle brought: as a terminal may show them
        by = (
            f"  {printable(e.who())}" if e.received else f"  oleh {printable(e.by)}" if e.by else ""
        )
        detail = f"  ({printable(e.detail, 400)})" if e.detail else ""
        print(f"{e.day or '----------'}  {e.what}{by}{detail}")


def run_status(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    found = status_check.check_status(args.query, officer)
    if args.json:
        write_json(found.as_json())
    else:
        print(found.line)
        if found.note:
            print(found.note)
        if found.timeline is not None:
            if found.timeline.notice:
                print(found.timeline.notice)
            print_entries(found.timeline)
    return EXIT_OK if found.found else EXIT_FAILED


def register(commands: Commands) -> None:
    parser = add_command(
        commands,
        "status",
        "Cek status: a household's current status from its registration number, the "
        "receipt's QR payload or a NIK (every counter role).",
        run_status,
    )
    parser.add_argument(
        "query", metavar="REGISTRATION_NUMBER|NIK", help="registration number, QR payload or NIK"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object")
