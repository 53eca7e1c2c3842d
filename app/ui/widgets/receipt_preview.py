"""The receipt's preview: one shown receipt is one receipt handed out (issue 16).

The receipt is issued (recorded, app/services/receipts.py `issue_receipt`) the first time it is
saved or printed, once: saving the PDF and printing it from the same preview, in either order,
are the same original. Saving again saves the same receipt. Only *Cetak* after the receipt was
printed makes a new one: the next copy, a SALINAN, is prepared and shown first, then printed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.services import auth
from app.services import receipts as receipt_service
from app.ui.runner import Runner
from app.ui.widgets.pdf_preview import PdfPreview


def receipt_note(receipt: receipt_service.Receipt, printed: bool = False) -> str:
    if printed:
        return (
            "Tanda terima ini sudah dicetak. Simpan PDF menyimpan tanda terima yang sama; "
            "Cetak lagi membuat SALINAN."
        )
    if receipt.is_reprint:
        return f"Tanda terima ini sudah pernah dicetak: ini SALINAN ke-{receipt.copy}."
    return "Tanda terima asli. Cetak dan/atau simpan, lalu serahkan kepada warga."


class ReceiptPreview(PdfPreview):
    def __init__(
        self,
        receipt: receipt_service.Receipt,
        runner: Runner,
        officer: auth.Officer | None,
        on_error: Callable[[Exception], None],
        parent: QWidget | None = None,
    ):
        super().__init__(
            receipt.pdf,
            f"Tanda terima {receipt.registration_number}",
            f"tanda-terima-{receipt.registration_number}.pdf",
            receipt_note(receipt),
            parent,
        )
        self.runner, self.officer, self._on_error = runner, officer, on_error
        self.receipt = receipt
        self.recorded = False  # this receipt was issued (saved or printed)
        self.was_printed = False  # this receipt was printed: Cetak again makes a SALINAN
        self.issued.connect(self._issue)
        self.printed.connect(self._mark_printed)

    def _issue(self) -> None:
        if self.recorded:
            return  # the same receipt saved again, or printed after it was saved
        self.recorded = True
        self.runner.submit(
            receipt_service.issue_receipt,
            self.receipt,
            self.officer,
            on_error=self._failed,
        )

    def _failed(self, exc: Exception) -> None:
        self.recorded = False
        self._on_error(exc)

    def _mark_printed(self) -> None:
        self.was_printed = True
        self.note.setText(receipt_note(self.receipt, printed=True))

    def print_clicked(self) -> None:
        if not self.was_printed:
            self.print_with_dialog()
            return
        self.runner.submit(
            receipt_service.prepare_receipt,
            self.receipt.household_id,
            self.officer,
            on_done=self._print_copy,
            on_error=self._on_error,
        )

    def _print_copy(self, copy: receipt_service.Receipt) -> None:
        """The next copy (a SALINAN) shown, then the print dialog for it."""
        self.show_receipt(copy)
        self.print_with_dialog()

    def show_receipt(self, receipt: receipt_service.Receipt) -> None:
        self.receipt = receipt
        self.recorded = self.was_printed = False
        self.show_pdf(receipt.pdf, receipt_note(receipt))
