"""Abaikan pengecualian: a supervisor sets aside an exclusion that rests on wrong data, with a
written reason and the supporting document (issue 4). The service checks the role and saves."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.services.overrides import MIN_OVERRIDE_REASON
from app.ui.errors import error_label
from app.ui.widgets.focus import start_in_first_field


class OverrideDialog(QDialog):
    def __init__(self, exclusions: list[tuple[str, str]], parent: QWidget | None = None):
        """`exclusions`: [(rule id, what the officer sees)] of the exclusions that apply."""
        super().__init__(parent)
        self.setWindowTitle(f"Abaikan pengecualian — {APP_NAME}")
        self.rule = QComboBox()
        for rule, text in exclusions:
            self.rule.addItem(text, rule)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)  # Tab goes on to the next field
        self.reason.setPlaceholderText("Mis.: mobil sudah dijual pada Maret 2026 (bukti terlampir)")
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("Mis.: Akta jual beli No. 12/2026")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("Pe&ngecualian", self.rule)
        form.addRow(f"&Alasan (min. {MIN_OVERRIDE_REASON} karakter)", self.reason)
        form.addRow("&Dokumen pendukung", self.reference)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Abaikan &pengecualian")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Batal")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Hanya untuk pengecualian yang didasarkan pada data keliru. Pengabaian dicatat\n"
                "di riwayat (audit) dan dicetak pada tanda terima."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        start_in_first_field(self)

    def values(self) -> tuple[str, str, str]:
        return self.rule.currentData(), self.reason.toPlainText().strip(), self.reference.text()

    def _check(self) -> None:
        _rule, reason, reference = self.values()
        if len(reason) < MIN_OVERRIDE_REASON:
            self.error.setText(f"Tuliskan alasan minimal {MIN_OVERRIDE_REASON} karakter.")
        elif not reference.strip():
            self.error.setText("Sebutkan dokumen pendukung (nomor surat, akta jual beli, dll.).")
        else:
            self.accept()
