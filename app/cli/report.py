"""`report recap --format pdf|xlsx --out FILE`, `report worklist --rw N --out FILE` and
`report drafts --older-than DAYS --out FILE` (issue 18): the recap of the kelurahan and the
working lists as files; an existing file is replaced only with `--force`, and never the
database, its key file or a backup (app/services/outputs.py)."""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, Commands, add_command, add_output, login, positive_int
from app.paths import AppPaths
from app.services import outputs, recaps


def run_recap(args: argparse.Namespace, paths: AppPaths) -> int:
    outputs.check_output(args.out, force=args.force, paths=paths)  # before the store opens
    officer = login(args, paths)
    out = recaps.write_recap(officer, args.format, args.out, force=args.force, paths=paths)
    print(f"wrote {out}: recap ({args.format})")
    return EXIT_OK


def run_worklist(args: argparse.Namespace, paths: AppPaths) -> int:
    outputs.check_output(args.out, force=args.force, paths=paths)
    officer = login(args, paths)
    out, count = recaps.write_worklist(
        officer, args.rw, args.out, missing_only=args.missing_only, force=args.force, paths=paths
    )
    print(f"wrote {out}: RW {args.rw:03d}, {count} households")
    return EXIT_OK


def run_drafts(args: argparse.Namespace, paths: AppPaths) -> int:
    outputs.check_output(args.out, force=args.force, paths=paths)
    officer = login(args, paths)
    out, count = recaps.write_drafts(
        officer, args.older_than, args.out, force=args.force, paths=paths
    )
    print(f"wrote {out}: {count} drafts older than {args.older_than} days")
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(commands, "report", "Recaps and working lists as files (PDF, XLSX).")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    recap = add_command(
        actions,
        "recap",
        "Households and people per RW and RT by status, registrations per officer and day, "
        "drafts with missing answers (counts only).",
        run_recap,
    )
    recap.add_argument("--format", choices=recaps.FORMATS, required=True)
    add_output(recap, "FILE", "PDF or XLSX file to write")
    worklist = add_command(
        actions,
        "worklist",
        "Field-visit list of an RW: head of household, address, what is missing (PDF).",
        run_worklist,
    )
    worklist.add_argument("--rw", type=positive_int, required=True, metavar="N")
    worklist.add_argument(
        "--missing-only", action="store_true", help="only households with missing answers"
    )
    add_output(worklist, "FILE.pdf", "PDF file to write")
    drafts = add_command(
        actions, "drafts", "Drafts not changed for more than DAYS days (PDF).", run_drafts
    )
    drafts.add_argument("--older-than", type=positive_int, required=True, metavar="DAYS")
    add_output(drafts, "FILE.pdf", "PDF file to write")
