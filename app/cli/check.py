"""`check FILE.json` (contract, DESIGN §10): the rule set's verdict on a household document.

Prints {"rule_set", "proposable", "findings": [...]} and exits 0 when proposable without
errors, 1 when an exclusion applies (even with errors too), 3 when there are errors but no
exclusion (an answer the final save needs is missing, a NIK is wrong...), 2 when the file is
not a readable household document. "proposable" is true exactly when the exit code is 0.

The file may come from another tool: fields the store manages and answers not given may be
left out (app/core/document.py `normalise`); a missing answer is then an error finding. It
reads no stored data unless asked to look for duplicates with --duplicates.
"""

from __future__ import annotations

import argparse

from app import rules
from app.cli.common import (
    EXIT_OK,
    CliError,
    Commands,
    add_command,
    login,
    read_document,
    write_json,
)
from app.paths import AppPaths
from app.services import checks

EXIT_EXCLUDED, EXIT_ERRORS = 1, 3


def run_check(args: argparse.Namespace, paths: AppPaths) -> int:
    doc = read_document(args.file)
    if args.rule_set not in rules.RULE_SETS:
        known = ", ".join(rules.RULE_SETS)
        raise CliError(f"unknown rule set {args.rule_set!r} (known: {known})")
    evaluation = rules.evaluate(doc, args.rule_set, regions=checks.region_codes())
    if args.duplicates:
        login(args, paths)  # duplicates are looked up in the (encrypted) database
        evaluation = evaluation.with_findings(checks.duplicates(doc))
    if not evaluation.proposable:
        code = EXIT_EXCLUDED
    else:
        code = EXIT_ERRORS if evaluation.has_errors else EXIT_OK
    write_json(
        {
            "rule_set": evaluation.rule_set,
            "proposable": code == EXIT_OK,
            "findings": [f.to_dict() for f in evaluation.findings],
        }
    )
    return code


def register(commands: Commands) -> None:
    parser = add_command(
        commands,
        "check",
        "Check a household document against the rule set; exit 0 proposable, 1 excluded, "
        "3 errors, 2 unreadable.",
        run_check,
    )
    parser.add_argument("file", metavar="FILE.json", help="household document (- for stdin)")
    parser.add_argument("--rule-set", default=rules.DEFAULT_RULE_SET, help="rule set id")
    parser.add_argument(
        "--duplicates",
        action="store_true",
        help="also look for the NIKs and No. KK in the database's other households",
    )
