"""`receipt HOUSEHOLD_ID --out FILE.pdf [--paper a5|a4|thermal80]` and
`privacy-notice --out FILE.pdf`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import EXIT_BAD_INPUT, EXIT_OK, CliError, Commands, add_command, login
from app.paths import AppPaths
from app.receipts import PAPER_LABELS
from app.services import receipts as receipt_service


def output_path(name: str) -> Path:
    """The PDF to write; its folder must exist (checked before the store is opened)."""
    path = Path(name).expanduser()
    if not path.parent.is_dir():
        raise CliError(f"cannot write {name}: folder {path.parent} does not exist", EXIT_BAD_INPUT)
    if path.is_dir():
        raise CliError(f"cannot write {name}: it is a folder", EXIT_BAD_INPUT)
    return path


def write_pdf(path: Path, pdf: bytes) -> None:
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}", EXIT_BAD_INPUT) from None


def run_receipt(args: argparse.Namespace, paths: AppPaths) -> int:
    out = output_path(args.out)
    officer = login(args, paths)
    receipt = receipt_service.prepare_receipt(args.id, officer, args.paper)
    write_pdf(out, receipt.pdf)
    try:
        receipt_service.issue_receipt(receipt, officer)
    except Exception:
        out.unlink(missing_ok=True)  # not recorded, so not handed out
        raise
    kind = f"copy {receipt.copy} (SALINAN)" if receipt.is_reprint else "original"
    print(f"wrote {out}: receipt {receipt.registration_number}, {kind}, {receipt.paper}")
    return EXIT_OK


def run_privacy_notice(args: argparse.Namespace, paths: AppPaths) -> int:
    out = output_path(args.out)
    login(args, paths)
    write_pdf(out, receipt_service.privacy_notice())
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
    receipt.add_argument("--out", metavar="FILE.pdf", required=True, help="PDF file to write")
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
    notice.add_argument("--out", metavar="FILE.pdf", required=True, help="PDF file to write")
