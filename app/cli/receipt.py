"""`receipt HOUSEHOLD_ID --out FILE.pdf [--paper a5|a4|thermal80]` and
`privacy-notice --out FILE.pdf`; an existing file is replaced only with `--force`, and never the
database, its key file or a backup (app/services/outputs.py)."""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, Commands, add_command, add_output, login
from app.paths import AppPaths
from app.receipts import PAPER_LABELS
from app.services import outputs
from app.services import receipts as receipt_service


def run_receipt(args: argparse.Namespace, paths: AppPaths) -> int:
    outputs.check_output(args.out, force=args.force, paths=paths)  # before the store opens
    officer = login(args, paths)
    receipt = receipt_service.prepare_receipt(args.id, officer, args.paper)
    # Written beside the target first; put in place only once the receipt is recorded (not
    # recorded, so not handed out), and an old file of that name is kept when anything fails.
    with outputs.staged_output(args.out, receipt.pdf, force=args.force, paths=paths) as out:
        receipt_service.issue_receipt(receipt, officer)
    kind = f"copy {receipt.copy} (SALINAN)" if receipt.is_reprint else "original"
    print(f"wrote {out}: receipt {receipt.registration_number}, {kind}, {receipt.paper}")
    return EXIT_OK


def run_privacy_notice(args: argparse.Namespace, paths: AppPaths) -> int:
    outputs.check_output(args.out, force=args.force, paths=paths)
    login(args, paths)
    out = outputs.write_output(
        args.out, receipt_service.privacy_notice(), force=args.force, paths=paths
    )
    print(f"wrote {out}")
    return EXIT_OK


def register(commands: Commands) -> None:
    receipt = add_command(
        commands,
        "receipt",
        "Write the receipt (tanda terima) of a household saved as final as PDF; "
        "later receipts of the same household are marked SALINAN.",
        run_receipt,
    )
    receipt.add_argument("id", metavar="HOUSEHOLD_ID", help="household_id")
    add_output(receipt, "FILE.pdf", "PDF file to write")
    receipt.add_argument(
        "--paper",
        choices=list(PAPER_LABELS),
        help="paper size (default: the setting chosen in the application, else a5)",
    )
    notice = add_command(
        commands,
        "privacy-notice",
        "Write the one-page A4 privacy notice (UU PDP 27/2022) for the counter as PDF.",
        run_privacy_notice,
    )
    add_output(notice, "FILE.pdf", "PDF file to write")
