"""The main window's "Berkas" and "Pengaturan" menus: a new household, search, the receipt
(Ctrl+P; app/services/receipts.py) and the privacy notice, the record actions of records.py
(each enabled for the roles that may), and the receipt paper. The window is named through
`FileHost` (no import of it)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMessageBox

from app import APP_NAME
from app.services import receipts as receipt_service
from app.ui.errors import show_error
from app.ui.household.records import RecordActions, RecordHost
from app.ui.household.status_dialog import StatusDialog, open_status_dialog
from app.ui.widgets.pdf_preview import PdfPreview
from app.ui.widgets.receipt_preview import ReceiptPreview


class FileHost(RecordHost, Protocol):
    """What the Berkas menu needs of the main window, beyond the record actions' needs."""

    def new_household(self) -> None: ...

    def focus_search(self) -> None: ...

    def close(self) -> bool: ...


class FileMenu(QObject):
    def __init__(self, window: FileHost, records: RecordActions):
        super().__init__(window.widget())
        self.main = window
        self.receipt_preview: PdfPreview | None = None  # the preview opened last
        self.status_dialog: StatusDialog | None = None  # Cek status, opened last
        self.actions: dict[str, QAction] = {}
        menu = window.menuBar().addMenu("&Berkas")
        for text, keys, slot in (
            ("Keluarga &baru", QKeySequence.StandardKey.New, window.new_household),
            ("&Cari keluarga", QKeySequence.StandardKey.Find, window.focus_search),
            ("Cek &status…", QKeySequence("Ctrl+K"), self.check_status),  # issue 19
            ("Cetak &tanda terima", QKeySequence.StandardKey.Print, self.print_receipt),
            ("Cetak pemberitahuan &privasi", None, self.print_privacy_notice),
            ("B&atalkan pendaftaran…", None, records.withdraw_household),
            ("P&ulihkan pendaftaran…", None, records.reinstate_household),
            ("Data &ganda dari paket…", None, records.show_possible_duplicates),
            ("&Keluar", QKeySequence.StandardKey.Quit, window.close),
        ):
            action = QAction(text, window.widget(), triggered=slot)
            if keys is not None:
                action.setShortcut(keys)
            menu.addAction(action)
            self.actions[slot.__name__] = action
        officer = window.officer
        for name, needs in (
            ("withdraw_household", "household.withdraw"),
            ("reinstate_household", "household.reinstate"),
            ("show_possible_duplicates", "household.view"),
            ("check_status", "household.view"),
        ):
            self.actions[name].setEnabled(officer is not None and officer.may(needs))
        settings_menu = window.menuBar().addMenu("&Pengaturan")
        settings_menu.addAction(
            QAction(
                "Ukuran &kertas tanda terima…",
                window.widget(),
                triggered=self.choose_receipt_paper,
            )
        )

    def _failed(self, exc: Exception) -> None:
        show_error(self.main.widget(), exc)

    def check_status(self) -> None:
        """Ctrl+K: *Cek status* at the counter (app/ui/household/status_dialog.py)."""
        self.status_dialog = open_status_dialog(
            self.main.widget(), self.main.runner, self.main.officer
        )

    # --- receipts (app/services/receipts.py) ----------------------------------------------------

    def print_receipt(self) -> None:
        """Ctrl+P: the receipt of the household on the form (after Simpan final) or selected
        in the list; the first is the original, later ones are SALINAN."""
        main = self.main
        on_form = main.pages.currentWidget() is main.form
        household_id = main.form.household_id() if on_form else None
        household_id = household_id or main.list_page.selected_household_id()
        if household_id is None:
            QMessageBox.information(
                main.widget(), APP_NAME, "Pilih keluarga di daftar terlebih dahulu."
            )
            return
        main.runner.submit(
            receipt_service.prepare_receipt,
            household_id,
            main.officer,
            on_done=self._show_receipt,
            on_error=self._failed,
        )

    def _show_receipt(self, receipt: receipt_service.Receipt) -> None:
        # saved and printed from one preview: one receipt (app/ui/widgets/receipt_preview.py)
        main = self.main
        preview = ReceiptPreview(receipt, main.runner, main.officer, self._failed, main.widget())
        self.receipt_preview = preview
        preview.open()

    def print_privacy_notice(self) -> None:
        def show(pdf: bytes) -> None:
            self.receipt_preview = PdfPreview(
                pdf, "Pemberitahuan privasi", "pemberitahuan-privasi.pdf", "", self.main.widget()
            )
            self.receipt_preview.open()

        self.main.runner.submit(receipt_service.privacy_notice, on_done=show, on_error=self._failed)

    def choose_receipt_paper(self) -> None:
        keys = list(receipt_service.PAPER_LABELS)
        current = receipt_service.receipt_paper()
        labels = list(receipt_service.PAPER_LABELS.values())
        dialog = QInputDialog(self.main.widget())
        dialog.setWindowTitle("Ukuran kertas tanda terima")
        dialog.setLabelText("Tanda terima dicetak pada:")
        dialog.setComboBoxItems(labels)
        dialog.setTextValue(labels[keys.index(current)])
        dialog.setOkButtonText("Simpan")
        dialog.setCancelButtonText("Batal")
        if dialog.exec() == QInputDialog.DialogCode.Accepted:
            key = keys[labels.index(dialog.textValue())]
            self.main.runner.submit(receipt_service.set_receipt_paper, key, on_error=self._failed)
