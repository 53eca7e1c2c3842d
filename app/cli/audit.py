"""`audit verify`: is the hash-chained audit log intact?"""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_FAILED, EXIT_OK, Commands, add_command, login
from app.paths import AppPaths
from app.services import audit as audit_service


def audit_verify(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    count, problem = audit_service.verify(officer)
    if problem:
        print(f"error: audit log NOT intact: {problem}")
        return EXIT_FAILED
    print(f"audit log intact: {count} entries")
    return EXIT_OK


def register(commands: Commands) -> None:
    parser = add_command(commands, "audit", "The audit log of every change.")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    add_command(actions, "verify", "Check that no audit entry was edited or deleted.", audit_verify)
