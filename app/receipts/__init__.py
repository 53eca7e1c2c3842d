"""Receipts (tanda terima) and the privacy notice as PDF: reportlab layouts with embedded
fonts. No Qt and no database: the service (app/services/receipts.py) gathers the values.

The PDF parts (`PAPERS`, `render_receipt`, `render_privacy_notice`) load reportlab, which takes
a quarter of a second: they are imported when first used, not when the app starts."""

from importlib import import_module
from typing import Any

from app.receipts.content import ReceiptContent, receipt_content, verification_code
from app.receipts.papers import DEFAULT_PAPER, PAPER_LABELS

_LAZY = {
    "PAPERS": "app.receipts.pdf",
    "render_receipt": "app.receipts.layout",
    "render_privacy_notice": "app.receipts.notice",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_PAPER",
    "PAPERS",
    "PAPER_LABELS",
    "ReceiptContent",
    "receipt_content",
    "render_privacy_notice",
    "render_receipt",
    "verification_code",
]
