"""`bundle export|import|inspect|ack|status|decisions|meetings|scope`: sync bundles from a
terminal or a script (issue 6). Dinsos imports hundreds of kelurahan bundles with
`bundle import *.bundle` (one summary table at the end) and returns theirs with
`bundle export --all-kelurahan --out DIR` (issue 19).

Exit codes: 0 when every file was imported (or had been before), 1 when any was refused (the
others are still imported: each bundle is atomic on its own), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.audit import PROBLEMS
from app.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    Commands,
    add_command,
    add_output,
    login,
    write_json,
)
from app.core.errors import EXIT_BAD_INPUT
from app.core.text import printable
from app.paths import AppPaths
from app.services import outputs
from app.services.sync import audit_heads, peer_status, received, returns
from app.services.sync import imports as bundles
from app.services.sync.errors import SyncError
from app.services.sync.export import export_ack, export_bundle


def _fail(exc: SyncError) -> CliError:
    return CliError(exc.detail, EXIT_FAILED)


def bundle_export(args: argparse.Namespace, paths: AppPaths) -> int:
    if args.all_kelurahan:
        return _export_returns(args, paths)
    if not args.to:
        raise CliError("bundle export needs --to PEER or --all-kelurahan", EXIT_BAD_INPUT)
    # the store's files are refused before it opens; an existing file after the peer is known
    outputs.check_output(args.out, force=True, paths=paths)
    officer = login(args, paths)
    try:
        report = export_bundle(
            args.to,
            Path(args.out),
            officer,
            full=args.full,
            force=args.force,
            paths=paths,
            with_attachments=args.with_attachments,
        )
    except SyncError as exc:
        raise _fail(exc) from None
    kind = "full" if report.full else "incremental"
    print(
        f"{report.path}: bundle {report.sequence} to {args.to} ({kind}), {report.records} records"
    )
    return EXIT_OK


def _export_returns(args: argparse.Namespace, paths: AppPaths) -> int:
    """`--all-kelurahan --out DIR` (Dinsos, issue 19): one bundle per kelurahan with news."""
    if args.to:
        raise CliError(
            "--all-kelurahan writes to every kelurahan peer; leave out --to", EXIT_BAD_INPUT
        )
    officer = login(args, paths)
    try:
        found = returns.export_returns(Path(args.out), officer, paths=paths)
    except SyncError as exc:
        raise _fail(exc) from None
    for sent in found.written:
        print(
            f"{sent.report.path}: bundle {sent.report.sequence} to {printable(sent.peer)}"
            f" for {printable(sent.label)}, {sent.households} households"
        )
    for skipped in found.skipped:
        print(
            f"skipped {printable(skipped.label)}: no trusted kelurahan key"
            f" ({skipped.households} households waiting)"
        )
    print(
        f"{len(found.written)} bundles written, {len(found.nothing_new)} kelurahan with nothing"
        f" new, {len(found.skipped)} skipped"
    )
    return EXIT_OK


def _describe(report: bundles.ImportReport) -> str:
    counts = ", ".join(f"{n} {k}" for k, n in report.counts.items())
    if report.already_imported_at:
        return (
            f"{printable(report.file)}: already imported on {report.already_imported_at};"
            " nothing changed"
        )
    verb = "would import" if report.dry_run else "imported"
    what = f"{report.kind} bundle {report.sequence} from {printable(report.sender)}"
    return f"{printable(report.file)}: {verb} {what}: {counts}"


def bundle_import(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    files = [Path(f) for f in args.files]
    results = bundles.import_bundles(paths, files, officer, dry_run=args.dry_run)
    failed = 0
    for file, result in zip(files, results, strict=True):
        if isinstance(result, SyncError):
            failed += 1
            print(
                f"error: {printable(file)}: refused, nothing changed: "
                f"{printable(result.detail, 200)}",
                file=sys.stderr,
            )
            continue
        print(_describe(result))
        for household_id, reason in result.rejected:
            print(f"  rejected {household_id}: {reason}")
        if result.missing:
            numbers = bundles.gap_text(result.missing)
            print(
                f"  missing: bundle(s) {numbers} from {printable(result.sender)}"
                " have not arrived yet"
            )
        if result.duplicate_count:  # issue 14; the list: `household duplicates`
            print(f"  possible duplicates: {result.duplicate_count} (see household duplicates)")
        for warning in result.warnings:
            print(f"  warning: {warning}")
        for rewritten in result.audit_warnings:  # issue 15: kept until a supervisor acknowledges
            print(f"  warning: {rewritten.text} ({rewritten.detail})")
        _describe_carried(result.carried)
    if len(files) > 1:
        _summary_table(returns.summary(files, results))
        print(f"{len(files) - failed} of {len(files)} bundle files taken in, {failed} refused")
    return EXIT_FAILED if failed else EXIT_OK


def _summary_table(rows: list[returns.ImportRow]) -> None:
    """One table over every file of the batch (issue 19), tab-separated for scripts."""
    print("\t".join(("file", "kelurahan/peer", *returns.KINDS, "status")))
    for row in rows:
        if row.refused is not None:
            status = f"refused: {printable(row.refused.detail, 200)}"
        else:
            status = "ok (already imported)" if row.already_imported_at else "ok"
        counts = [str(row.counts[k]) if row.ok else "-" for k in returns.KINDS]
        cells = (printable(row.file), printable(row.sender) or "-", *counts, status)
        print("\t".join(cells))


def bundle_inspect(args: argparse.Namespace, paths: AppPaths) -> int:
    login(args, paths)
    try:
        shown = bundles.inspect(Path(args.file))
    except SyncError as exc:
        raise _fail(exc) from None
    write_json(shown)
    return EXIT_OK if shown["signature"].startswith("valid") else EXIT_FAILED


def bundle_ack(args: argparse.Namespace, paths: AppPaths) -> int:
    # the store's files are refused before it opens; an existing file after the peer is known
    outputs.check_output(args.out, force=True, paths=paths)
    officer = login(args, paths)
    try:
        report = export_ack(args.to, Path(args.out), officer, force=args.force, paths=paths)
    except SyncError as exc:
        raise _fail(exc) from None
    print(
        f"{report.path}: acknowledgement {report.sequence} to {args.to}, {report.records} records"
    )
    return EXIT_OK


def bundle_status(args: argparse.Namespace, paths: AppPaths) -> int:
    login(args, paths)
    for peer in peer_status.status():
        sent = peer.last_sent
        received = peer.last_received
        print(f"{peer.name} ({peer.fingerprint})")
        print(
            "  last sent:     "
            + (f"bundle {sent.sequence} on {sent.logged_at}" if sent else "never")
        )
        print(f"  unacknowledged: {peer.unacknowledged}")
        print(
            "  last received: "
            + (f"bundle {received.sequence} on {received.logged_at}" if received else "never")
        )
        if peer.missing:
            print(f"  missing: {bundles.gap_text(peer.missing)}")
        for w in peer.audit_warnings:
            print(
                f"  audit warning {w.id}: {w.text} (bundle {w.sequence}, {w.found_at};"
                f" `bundle acknowledge-warning {w.id}` once followed up)"
            )
    return EXIT_OK


def bundle_acknowledge_warning(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    audit_heads.acknowledge(args.id, officer)  # refusals: one line through main
    print(f"audit warning {args.id} acknowledged by {officer.username}")
    return EXIT_OK


def _describe_carried(carried: received.Received | None) -> None:
    """Meetings, signed decisions and the officer table a households bundle brought."""
    if carried is None:
        return
    print(
        f"  meetings: {carried.meetings} new, {carried.conflicts} conflict(s);"
        f" signed decisions: {carried.decisions}, {carried.unverified} not verified;"
        f" officer table: {ROSTER_WORDS[carried.roster]}"
    )
    for meeting_id, reason in carried.rejected:
        print(f"  rejected meeting {meeting_id}: {reason}")
    if (carried.attachments or carried.attachment_blobs or carried.attachments_rejected
            or carried.attachments_deleted):  # fmt: skip
        print(
            f"  attachments: {carried.attachments} new, {carried.attachment_blobs} contents"
            f" received, {carried.attachments_deleted} deleted, {carried.attachments_rejected}"
            " rejected (households the sender may not change)"
        )


ROSTER_WORDS = {
    "": "not sent",
    "pinned": "received, its signing key pinned",
    "kept": "received, signed by a key vouched for",
    "other_key": "SIGNED BY ANOTHER KEY (see the warning)",
    "invalid": "NOT VALID (signature does not verify), not kept",
}


def bundle_decisions(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    found = received.peer_decisions(args.peer, officer)
    states = {"none": "no officer table received yet", "valid": "valid", "invalid": "NOT VALID"}
    print(
        f"officer table of {printable(found.peer)}: {states[found.roster]}"
        + (
            f", signed by {printable(found.signer)}, pinned key {found.pinned}"
            if found.pinned
            else ""
        )
    )
    for check in found.checks:
        key = f" key {check.fingerprint}" if check.fingerprint else ""
        print(
            f"{check.signed_at}\t{check.kind}\t{printable(check.subject)}\t"
            f"{printable(check.signer)}{key}\t{PROBLEMS[check.problem]}"
        )
    bad = [c for c in found.checks if not c.valid]
    print(f"{len(found.checks)} decisions received, {len(bad)} not verified")
    failed = bool(bad) or found.roster != "valid"
    return EXIT_FAILED if args.verify and failed else EXIT_OK


def bundle_meetings(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    found = received.meetings_received(officer)
    for sender, m in found.meetings:
        counts = ", ".join(f"{n} {k}" for k, n in (m.record.get("counts") or {}).items())
        print(
            f"{m.id}\t{m.date}\t{printable(m.minutes_number or '-')}\t{m.verification}\t"
            f"{counts}\tfrom {printable(sender)} (read-only copy)"
        )
    for c in found.conflicts:
        print(
            f"conflict {c.id}: meeting {c.meeting_id} and meeting {c.other_meeting_id} both"
            f" decided household {c.household_id}"
        )
    print(f"{len(found.meetings)} meetings received, {len(found.conflicts)} open conflict(s)")
    return EXIT_OK


def bundle_settle_meeting_conflict(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    received.settle_meeting_conflict(args.id, officer)  # refusals: one line through main
    print(f"meeting conflict {args.id} settled by {officer.username}")
    return EXIT_OK


def bundle_scope(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    if args.prefix:
        bundles.set_scope(args.prefix, officer)
    print(f"households taken in: village codes starting {bundles.scope()}")
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(commands, "bundle", "Sync bundles carried between installations.")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = add_command(actions, "export", "Write a bundle for a trusted peer.", bundle_export)
    export.add_argument("--to", metavar="PEER", help="the peer's trusted name")
    export.add_argument(
        "--all-kelurahan",
        action="store_true",
        help="Dinsos: one bundle per kelurahan with something new, into the folder --out",
    )
    add_output(export, "FILE|DIR", "bundle file to write (a folder with --all-kelurahan)")
    export.add_argument("--full", action="store_true", help="everything, not only changes")
    export.add_argument(
        "--with-attachments",
        action="store_true",
        help="also the attachments' bytes (scans, photos); their references always travel",
    )
    take = add_command(actions, "import", "Import bundle files (each atomically).", bundle_import)
    take.add_argument("files", nargs="+", metavar="FILE")
    take.add_argument("--dry-run", action="store_true", help="report the changes, keep none")
    inspect = add_command(
        actions,
        "inspect",
        "Show a bundle's manifest and signature without decrypting it.",
        bundle_inspect,
    )
    inspect.add_argument("file", metavar="FILE")
    ack = add_command(
        actions, "ack", "Write the acknowledgement of the bundles imported from a peer.", bundle_ack
    )
    ack.add_argument("--to", required=True, metavar="PEER")
    add_output(ack, "FILE", "acknowledgement file to write")
    add_command(
        actions, "status", "Last bundles sent and received per peer, and gaps.", bundle_status
    )
    seen = add_command(
        actions,
        "acknowledge-warning",
        "Mark a peer's audit-log warning as followed up (supervisor).",
        bundle_acknowledge_warning,
    )
    seen.add_argument("id", type=int, metavar="ID", help="the number `bundle status` shows")
    decisions = add_command(
        actions,
        "decisions",
        "List the signed decisions received from a peer, verified against its officer table.",
        bundle_decisions,
    )
    decisions.add_argument("peer", metavar="PEER", help="the peer's trusted name")
    decisions.add_argument(
        "--verify", action="store_true", help="exit with an error when any does not verify"
    )
    add_command(
        actions,
        "meetings",
        "List the musyawarah meetings received (read-only) and conflicts between meetings.",
        bundle_meetings,
    )
    settle = add_command(
        actions,
        "settle-meeting-conflict",
        "Mark a conflict between two meetings' decisions as settled (supervisor).",
        bundle_settle_meeting_conflict,
    )
    settle.add_argument("id", type=int, metavar="ID", help="the number `bundle meetings` shows")
    scope = add_command(
        actions,
        "scope",
        "Show or set the village-code prefix of households taken in (Dinsos: 31).",
        bundle_scope,
    )
    scope.add_argument("prefix", nargs="?", metavar="PREFIX")
