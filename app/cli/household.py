"""`household add|show|list`."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Iterator

from app.cli.common import (
    EXIT_OK,
    CliError,
    Commands,
    add_command,
    login,
    positive_int,
    read_document,
    write_json,
)
from app.cli.status import print_entries
from app.core.text import printable
from app.paths import AppPaths
from app.rules.nik import mask
from app.services import households, marks, timeline
from app.services.duplicates import possible_duplicates

PAGE_SIZE = 500
LIST_COLUMNS = ("ID", "REG. NUMBER", "HEAD NIK", "HEAD NAME", "MEMBERS", "RW/RT", "STATUS")


def household_add(args: argparse.Namespace, paths: AppPaths) -> int:
    doc = read_document(args.file)  # before the store is opened: bad input writes nothing
    officer = login(args, paths)
    try:
        stored, is_new = households.import_household(doc, officer)
    except households.ClashError as exc:
        raise CliError(f"{args.file}: conflicts with a stored household ({exc.detail})") from None
    print(f"{'added' if is_new else 'updated'} {stored['household_id']}")
    return EXIT_OK


def household_show(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    write_json(households.view_household(args.id, officer))
    return EXIT_OK


def household_timeline(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    shown = timeline.timeline(args.id, officer)
    if args.json:
        write_json(shown.as_json())
        return EXIT_OK
    print(shown.status)
    if shown.notice:
        print(shown.notice)
    print_entries(shown)
    return EXIT_OK


def household_rows(search: str | None, limit: int | None) -> Iterator[households.HouseholdRow]:
    if search:
        yield from households.search_households(search, limit or -1)  # SQLite: -1 = no limit
        return
    after, remaining = None, limit
    while remaining is None or remaining > 0:
        size = PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)
        rows = households.household_page(after, size)
        yield from rows
        if len(rows) < size:
            return
        after = rows[-1].key
        remaining = None if remaining is None else remaining - len(rows)


def table_cells(row: households.HouseholdRow) -> tuple[str, ...]:
    """A row of `household list`; the name as a terminal may show it (a name a peer's bundle
    brought may hold an escape sequence that would rewrite the officer's terminal)."""
    rw = "-" if row.rw is None else str(row.rw)
    rt = "-" if row.rt is None else str(row.rt)
    return (
        row.id,
        row.registration_number or "-",
        mask(row.head_nik) or "-",
        printable(row.head_name or "") or "-",
        str(row.member_count),
        f"{rw}/{rt}",
        row.status,
    )


def household_list(args: argparse.Namespace, paths: AppPaths) -> int:
    login(args, paths)
    rows = list(household_rows(args.search, args.limit))
    if args.json:
        records = [dataclasses.asdict(row) for row in rows]
        write_json([{"household_id": r.pop("id"), **r} for r in records])
        return EXIT_OK
    table = [LIST_COLUMNS, *(table_cells(row) for row in rows)]
    widths = [max(len(cells[i]) for cells in table) for i in range(len(LIST_COLUMNS))]
    for cells in table:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return EXIT_OK


def household_match(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    car = None if args.car is None else args.car == "yes"
    doc = households.record_matching(
        args.id,
        officer,
        car=car,
        njop_idr=args.njop,
        nik_not_found=args.nik_not_found,
        status=args.status,
    )
    print(
        f"{args.id}: matching recorded, status {doc['status']}, "
        f"exclusions: {', '.join(doc['exclusions']) or 'none'}"
    )
    return EXIT_OK


def household_withdraw(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    doc = marks.withdraw_household(args.id, args.reason, officer)
    print(f"{args.id}: withdrawn ({doc['registration_number'] or 'draft'}), kept with its history")
    return EXIT_OK


def household_reinstate(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    marks.reinstate_household(args.id, args.reason, officer)
    print(f"{args.id}: reinstated as a draft; save it as final to register it again")
    return EXIT_OK


def household_duplicates(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    found = possible_duplicates(officer)
    if args.json:
        write_json([dataclasses.asdict(d) for d in found])
        return EXIT_OK
    if not found:
        print("no possible duplicates waiting for a decision")
        return EXIT_OK
    for d in found:
        print(
            f"{d.household.household_id} {printable(d.household.describe_en(), 200)} arrived"
            f" holding {', '.join(d.matched)} of {d.other.household_id}"
            f" {printable(d.other.describe_en(), 200)}"
        )
    return EXIT_OK


def household_keep_both(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    doc = marks.keep_both(args.id, args.reason, officer)
    numbers = ", ".join(
        o["registration_number"] or "draft" for o in doc["duplicate_acceptances"][-1]["of"]
    )
    print(f"{args.id}: kept beside {numbers}; the reason is stored and audited")
    return EXIT_OK


def household_merge(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    doc = marks.merge_duplicate(args.id, args.into, officer)
    print(f"{args.id}: withdrawn, {doc['withdrawal']['reason']}")
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(commands, "household", "Add, show and list households.")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = add_command(
        actions,
        "add",
        "Add a household document, or update the household with its household_id.",
        household_add,
    )
    add.add_argument("file", metavar="FILE.json", help="household document; - reads stdin")
    match = add_command(
        actions,
        "match",
        "Record Dinsos's matching results (Bapenda, Dukcapil) for a household (supervisor, admin).",
        household_match,
    )
    match.add_argument("id", metavar="ID", help="household_id")
    match.add_argument("--car", choices=["yes", "no"], help="owns a car per Bapenda")
    match.add_argument("--njop", type=int, metavar="RUPIAH", help="NJOP per Bapenda")
    match.add_argument(
        "--nik-not-found", nargs="*", default=[], metavar="NIK", help="NIKs Dukcapil did not find"
    )
    match.add_argument("--status", default="matched", help="new status (default: matched)")
    show = add_command(actions, "show", "Print a household's document as JSON.", household_show)
    show.add_argument("id", metavar="ID", help="household_id")
    shown = add_command(
        actions,
        "timeline",
        "Print a household's timeline (registered ... Dinsos).",
        household_timeline,
    )
    shown.add_argument("id", metavar="ID", help="household_id")
    shown.add_argument("--json", action="store_true", help="print a JSON object")
    listing = add_command(actions, "list", "List households, newest change first.", household_list)
    listing.add_argument("--json", action="store_true", help="print a JSON array of objects")
    listing.add_argument(
        "--search", metavar="TEXT", help="NIK, No. KK or registration number prefix, or name part"
    )
    listing.add_argument("--limit", metavar="N", type=positive_int, help="at most N households")
    withdraw = add_command(
        actions,
        "withdraw",
        "Withdraw a registration made by mistake (supervisor; or the officer who registered it, "
        "the same day). The household is kept, with status withdrawn.",
        household_withdraw,
    )
    withdraw.add_argument("id", metavar="ID", help="household_id")
    withdraw.add_argument("--reason", required=True, help="why (at least 10 characters)")
    reinstate = add_command(
        actions,
        "reinstate",
        "Take a withdrawal back: the household becomes a draft again (supervisor).",
        household_reinstate,
    )
    reinstate.add_argument("id", metavar="ID", help="household_id")
    reinstate.add_argument("--reason", required=True, help="why (at least 10 characters)")
    duplicates = add_command(
        actions,
        "duplicates",
        "List households taken in from bundles whose No. KK or NIK another household holds.",
        household_duplicates,
    )
    duplicates.add_argument("--json", action="store_true", help="print a JSON array of objects")
    keep = add_command(
        actions,
        "keep-both",
        "Keep a household beside every other one holding its No. KK or NIK (supervisor).",
        household_keep_both,
    )
    keep.add_argument("id", metavar="ID", help="household_id")
    keep.add_argument("--reason", required=True, help="why both stay (at least 10 characters)")
    merge = add_command(
        actions,
        "merge",
        "Merge two households of one family: LOSER_ID is withdrawn, 'digabung ke' the other's "
        "registration number (supervisor).",
        household_merge,
    )
    merge.add_argument("id", metavar="LOSER_ID", help="household_id of the one withdrawn")
    merge.add_argument("--into", required=True, metavar="WINNER_ID", help="household_id kept")
