"""*Cek status* at the counter (issue 19; Berkas → Cek status…, Ctrl+K): one input line, with
the cursor in it, for a registration number, a NIK, or the receipt's QR as a USB scanner types
it (its Enter runs the look-up). The answer is one line a resident understands, the timeline
under it for a registration number or QR (a NIK shows the line only), and *Cetak* prints the
slip. Reading what was typed and every look-up are the service's (app/services/status_check.py).
After each answer the input is selected, so the next scan or number replaces it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.services import status_check
from app.services.actions import Officer
from app.ui.errors import show_error
from app.ui.household.timeline_dialog import STATUS_STYLE, TimelineTable, notice_label
from app.ui.runner import Runner
from app.ui.widgets.pdf_preview import print_pdf_bytes

INPUT_MAX = 120  # a QR payload is 47 characters; more is not a look-up
HINT = "Ketik nomor registrasi atau NIK, atau pindai kode QR tanda terima, lalu tekan Enter."
REFUSED_STYLE = "font-size: 13pt; font-weight: bold; color: #a00000;"


class StatusDialog(QDialog):
    def __init__(self, runner: Runner, officer: Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.officer = officer
        self.result: status_check.StatusCheck | None = None
        self.printer: QPrinter | None = None  # None: the system's print dialog
        self.setWindowTitle("Cek status pendaftaran")
        self.resize(900, 520)
        self.input = QLineEdit()
        self.input.setMaxLength(INPUT_MAX)
        self.input.setPlaceholderText("3174011001-399F0205-000001 atau NIK 16 angka")
        self.input.returnPressed.connect(self.look_up)
        prompt = QLabel("&Nomor registrasi / NIK / QR:")
        prompt.setBuddy(self.input)
        self.check_button = QPushButton("&Cek")
        self.check_button.clicked.connect(self.look_up)
        self.check_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(prompt)
        row.addWidget(self.input, 1)
        row.addWidget(self.check_button)
        self.status = QLabel(HINT)
        self.status.setObjectName("statusLine")
        self.status.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.notice = notice_label()
        self.table = TimelineTable()
        self.table.hide()
        self.print_button = QPushButton("Ce&tak")
        self.print_button.setEnabled(False)
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_slip)
        self.close_button = QPushButton("T&utup")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addStretch()
        layout.addLayout(buttons)
        self.input.setFocus()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.input.setFocus()  # typing (or the scanner) starts here

    def look_up(self) -> None:
        text = self.input.text()
        if not text.strip():
            return
        self.check_button.setEnabled(False)
        self.runner.submit(
            status_check.check_status,
            text,
            self.officer,
            on_done=self.show_result,
            on_error=self._refused,
        )

    def show_result(self, result: status_check.StatusCheck) -> None:
        self.result = result
        self.check_button.setEnabled(True)
        self.status.setText(result.line)
        self.status.setStyleSheet(STATUS_STYLE if result.found else REFUSED_STYLE)
        self.note.setText(result.note)
        self.note.setVisible(bool(result.note))
        shown = result.timeline
        self.notice.setText((shown.notice or "") if shown else "")
        self.notice.setVisible(bool(shown and shown.notice))
        self.table.setVisible(shown is not None)
        self.table.show_entries(shown.entries if shown else [])
        self.print_button.setEnabled(result.found)
        self._ready_for_next()

    def _refused(self, exc: Exception) -> None:
        """Not a look-up (one line, nothing echoed); anything else through the error path."""
        self.check_button.setEnabled(True)
        if not isinstance(exc, UserError):
            show_error(self, exc)
            return
        self.result = None
        self.status.setText(str(exc))
        self.status.setStyleSheet(REFUSED_STYLE)
        for widget in (self.note, self.notice, self.table):
            widget.hide()
        self.print_button.setEnabled(False)
        self._ready_for_next()

    def _ready_for_next(self) -> None:
        self.input.setFocus()
        self.input.selectAll()

    def print_slip(self) -> None:
        if self.result is None or not self.result.found:
            return
        self.runner.submit(
            status_check.status_slip,
            self.result,
            self.officer,
            on_done=lambda pdf: print_pdf_bytes(self, pdf, "cek-status", self.printer),
            on_error=lambda exc: show_error(self, exc),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.result = None  # nothing of the last look-up stays behind
        super().closeEvent(event)


def open_status_dialog(parent: QWidget, runner: Runner, officer: Officer | None) -> StatusDialog:
    dialog = StatusDialog(runner, officer, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
