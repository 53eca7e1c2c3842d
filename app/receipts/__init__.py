"""Receipts (tanda terima) and the privacy notice as PDF: reportlab layouts with embedded
fonts. No Qt and no database: the service (app/receipt_service.py) gathers the values."""

from app.receipts.content import ReceiptContent, receipt_content, verification_code
from app.receipts.layout import DEFAULT_PAPER, PAPERS, render_receipt
from app.receipts.notice import render_privacy_notice

__all__ = [
    "DEFAULT_PAPER",
    "PAPERS",
    "ReceiptContent",
    "receipt_content",
    "render_privacy_notice",
    "render_receipt",
    "verification_code",
]
