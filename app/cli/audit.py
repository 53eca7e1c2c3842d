"""`audit verify`: is the hash-chained audit log intact? `audit decisions`: who decided what,
and does each decision's signature verify (issue 15)?"""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_FAILED, EXIT_OK, Commands, add_command, login
from app.paths import AppPaths
from app.services import audit as audit_service
from app.services import roster

ROSTER_STATES = {
    "signed": "officer table signed by {signer} (key {fingerprint}){edited}",
    "unsigned": "officer table not signed yet (signed at the next login of an admin/supervisor)",
    "broken": "officer table NOT valid: its signature is missing or does not verify",
}
PROBLEMS = {
    "": "valid",
    "unsigned": "UNSIGNED",
    "tampered": "INVALID: content or signature changed",
    "not_signers_key": "INVALID: not a key the signed officer table gives the signer",
}


def audit_verify(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    count, problem = audit_service.verify(officer)
    if problem:
        print(f"error: audit log NOT intact: {problem}")
        return EXIT_FAILED
    print(f"audit log intact: {count} entries")
    return EXIT_OK


def audit_decisions(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    state, checks = roster.verify_decisions(officer, args.subject)
    edited = f"; rows edited outside the app: {', '.join(state.edited)}" if state.edited else ""
    line = ROSTER_STATES[state.status]
    print(line.format(signer=state.signer, fingerprint=state.fingerprint, edited=edited))
    for check in checks:
        key = f" key {check.fingerprint}" if check.fingerprint else ""
        print(f"{check.id}\t{check.signed_at}\t{check.kind}\t{check.subject}\t{check.signer}"
              f"{key}\t{PROBLEMS[check.problem]}")  # fmt: skip
    bad = [c for c in checks if not c.valid]
    print(f"{len(checks)} decisions, {len(bad)} not verified")
    failed = bool(bad) or state.status == "broken" or bool(state.edited)
    return EXIT_FAILED if args.verify and failed else EXIT_OK


def register(commands: Commands) -> None:
    parser = add_command(commands, "audit", "The audit log of every change.")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    add_command(actions, "verify", "Check that no audit entry was edited or deleted.", audit_verify)
    decisions = add_command(
        actions,
        "decisions",
        "List decisions that need a role (musyawarah, overrides, officer changes) with who"
        " signed each.",
        audit_decisions,
    )
    decisions.add_argument(
        "--verify",
        action="store_true",
        help="exit with an error when a signature or the officer table does not verify",
    )
    decisions.add_argument(
        "--subject", help="only the decisions about this household id or officer user name"
    )
