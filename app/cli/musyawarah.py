"""`musyawarah ...`: the musyawarah kelurahan as a meeting (issue 17), for scripts and tests, with
the same rules and roles as the window (they are decided in app/services/musyawarah*.py):

    musyawarah create --date YYYY-MM-DD --place TEXT [--time HH.MM] [--chair NAME] [--rw N]
    musyawarah update MEETING [--date ...] [--time ...] [--place ...] [--chair ...]
    musyawarah list [--json]
    musyawarah participant MEETING --name NAME --role ROLE [--represents TEXT]
    musyawarah agenda MEETING [--json]
    musyawarah decide MEETING HOUSEHOLD_ID eligible|not_poor|postpone [--reason TEXT]
    musyawarah undecide MEETING HOUSEHOLD_ID
    musyawarah lock MEETING
    musyawarah print MEETING --doc berita-acara|undangan|daftar-hadir|pengumuman --out FILE.pdf
"""

from __future__ import annotations

import argparse
import dataclasses

from app.cli.common import EXIT_OK, Commands, add_command, add_output, login, write_json
from app.core import musyawarah as words
from app.paths import AppPaths
from app.services import musyawarah, musyawarah_docs, musyawarah_lock, outputs


def run_create(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    meeting = musyawarah.create_meeting(
        args.date,
        args.place,
        officer,
        time=args.time,
        chair=args.chair,
        rw=args.rw,
        minutes_number=args.ba_number,
        corrects=args.corrects,
    )
    print(meeting.id)
    return EXIT_OK


def run_update(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    meeting = musyawarah.update_meeting(
        args.meeting,
        officer,
        date=args.date,
        time=args.time,
        place=args.place,
        chair=args.chair,
        minutes_number=args.ba_number,
    )
    print(f"{meeting.id}: {meeting.date} {meeting.time or ''} BA {meeting.minutes_number}")
    return EXIT_OK


def run_list(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    found = musyawarah.list_meetings(officer)
    if args.json:
        write_json([dataclasses.asdict(m) for m in found])
        return EXIT_OK
    for m in found:
        rw = f"RW {m.rw}" if m.rw is not None else "all RW"
        print(f"{m.id}  {m.date}  {m.status:<6}  {rw:<7}  BA {m.minutes_number or '-'}")
    return EXIT_OK


def run_participant(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    number = musyawarah.add_participant(
        args.meeting, args.name, args.role, officer, args.represents
    )
    print(f"participant {number} added ({words.PARTICIPANT_ROLES[args.role]})")
    return EXIT_OK


def _row(row: musyawarah.AgendaRow, excluded: bool) -> dict[str, object]:
    return {
        "household_id": row.household_id,
        "registration_number": row.registration_number,
        "head": row.head_name,
        "rw": row.rw,
        "rt": row.rt,
        "address": row.address,
        "members": row.member_count,
        "status": row.status,
        "notes": words.notes(row.exclusions, row.overridden, row.matching),
        "decision": row.decision,
        "reason": row.reason,
        "excluded": excluded,
        "in_another_open_meeting": row.elsewhere,
    }


def run_agenda(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    agenda = musyawarah.agenda(args.meeting, officer)
    rows = [_row(r, False) for r in agenda.households]
    apart = [_row(r, True) for r in agenda.excluded]
    if args.json:
        write_json({"meeting": agenda.meeting.id, "counts": agenda.counts, "households": rows,
                    "excluded": apart})  # fmt: skip
        return EXIT_OK
    for title, listed in (("agenda", rows), ("excluded (for information)", apart)):
        print(f"# {title}: {len(listed)}")
        for r in listed:
            decision = r["decision"] or "-"
            print(f"{r['household_id']}  RW {r['rw']}/RT {r['rt']}  {r['head']}  {decision}")
    counts = agenda.counts
    print(", ".join(f"{key} {value}" for key, value in counts.items()))
    return EXIT_OK


def run_decide(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    musyawarah.decide(args.meeting, args.household, args.decision, officer, args.reason)
    print(f"{args.household}: {args.decision}")
    return EXIT_OK


def run_undecide(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    musyawarah.undecide(args.meeting, args.household, officer)
    print(f"{args.household}: undecided")
    return EXIT_OK


def run_lock(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    meeting = musyawarah_lock.lock_meeting(args.meeting, officer)
    print(f"{meeting.id}: locked, BA {meeting.minutes_number}, verification {meeting.verification}")
    return EXIT_OK


def run_print(args: argparse.Namespace, paths: AppPaths) -> int:
    outputs.check_output(args.out, force=args.force, paths=paths)  # before the store opens
    officer = login(args, paths)
    paper = musyawarah_docs.prepare_document(args.meeting, args.doc, officer, args.rw)
    with outputs.staged_output(args.out, paper.pdf, force=args.force, paths=paths) as out:
        musyawarah_docs.issue_document(paper, officer)
    print(f"wrote {out}: {args.doc}, verification {paper.verification}")
    return EXIT_OK


def _plan_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--date", required=required, metavar="YYYY-MM-DD", help="meeting day")
    parser.add_argument("--place", required=required, metavar="TEXT", help="where it is held")
    parser.add_argument("--time", metavar="HH.MM", help="when it starts (WIB)")
    parser.add_argument("--chair", metavar="NAME", help="who chairs it (the Lurah)")
    parser.add_argument("--ba-number", metavar="TEXT", help="berita acara number (default: next)")


def register(commands: Commands) -> None:
    group = add_command(
        commands, "musyawarah", "Plan, decide, lock and print a musyawarah kelurahan."
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = add_command(actions, "create", "Plan a meeting; prints its id.", run_create)
    _plan_options(create, required=True)
    create.add_argument("--rw", type=int, metavar="N", help="a meeting for this RW only")
    create.add_argument("--corrects", metavar="MEETING", help="the locked meeting it corrects")
    update = add_command(actions, "update", "Change an open meeting's plan.", run_update)
    update.add_argument("meeting", metavar="MEETING")
    _plan_options(update, required=False)
    listing = add_command(actions, "list", "List meetings, latest first.", run_list)
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    participant = add_command(
        actions, "participant", "Add an attendee to an open meeting.", run_participant
    )
    participant.add_argument("meeting", metavar="MEETING")
    participant.add_argument("--name", required=True, metavar="NAME")
    participant.add_argument("--role", required=True, choices=list(words.PARTICIPANT_ROLES))
    participant.add_argument("--represents", metavar="TEXT", help='e.g. "RW 05"')
    agenda = add_command(
        actions, "agenda", "The households on a meeting's agenda, by RW and RT.", run_agenda
    )
    agenda.add_argument("meeting", metavar="MEETING")
    agenda.add_argument("--json", action="store_true", help="print JSON")
    decide = add_command(
        actions, "decide", "Record the decision for a household (supervisor).", run_decide
    )
    decide.add_argument("meeting", metavar="MEETING")
    decide.add_argument("household", metavar="HOUSEHOLD_ID")
    decide.add_argument("decision", choices=list(words.DECISIONS))
    decide.add_argument("--reason", metavar="TEXT", help="required for not_poor")
    undecide = add_command(
        actions, "undecide", "Take back a decision of an open meeting.", run_undecide
    )
    undecide.add_argument("meeting", metavar="MEETING")
    undecide.add_argument("household", metavar="HOUSEHOLD_ID")
    lock = add_command(
        actions,
        "lock",
        "Lock the meeting and write its decisions into the households (supervisor; after "
        "the berita acara is printed).",
        run_lock,
    )
    lock.add_argument("meeting", metavar="MEETING")
    printing = add_command(actions, "print", "Write one of the meeting's papers.", run_print)
    printing.add_argument("meeting", metavar="MEETING")
    printing.add_argument("--doc", required=True, choices=list(musyawarah_docs.PAPERS))
    printing.add_argument("--rw", type=int, metavar="N", help="pengumuman: this RW only")
    add_output(printing, "FILE.pdf", "PDF file to write")
