"""Data ganda (issue 14): *Simpan final* found the household's No. KK or a member's NIK in
another household. The dialog names those households (registration number, head of family,
RW/RT, what matched) and offers: open the other household (the default), save this one as a
draft, go back to the form — and, for a supervisor only, register it anyway with a written
reason. The choice is emitted as `chosen`; the main window does the work through the services,
which decide the role again."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.services.duplicates import MIN_DUPLICATE_REASON, DuplicateMatch

OPEN, DRAFT, ACCEPT = "open", "draft", "accept"
COLUMNS = ("No. registrasi", "Kepala keluarga", "RW/RT", "Data yang sama")


class DuplicateDialog(QDialog):
    chosen = Signal(str)  # OPEN, DRAFT or ACCEPT; Kembali / Esc emits nothing

    def __init__(
        self, matches: list[DuplicateMatch], may_accept: bool, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.matches = matches
        self.setWindowTitle(f"Data ganda — {APP_NAME}")
        self.setMinimumWidth(720)
        count = "keluarga lain" if len(matches) == 1 else f"{len(matches)} keluarga lain"
        intro = QLabel(
            f"<b>No. KK atau NIK keluarga ini sudah terdaftar pada {count}.</b><br>"
            "Simpan final dihentikan: tidak ada nomor registrasi baru yang diberikan.<br>"
            "Data yang sudah diketik tetap tersimpan otomatis."
        )
        intro.setWordWrap(True)

        self.table = QTableWidget(len(matches), len(COLUMNS))
        self.table.setObjectName("duplicates")
        self.table.setAccessibleName("Keluarga dengan No. KK atau NIK yang sama")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        for row, match in enumerate(matches):
            other = match.other
            cells = (other.number, other.head_name or "-", other.place, "\n".join(match.matched))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.resizeRowsToContents()
        # as tall as its rows (a scroll bar beyond five or so), no empty space below them
        rows_height = sum(self.table.rowHeight(r) for r in range(len(matches)))
        self.table.setFixedHeight(min(rows_height + header.sizeHint().height() + 4, 260))
        self.table.doubleClicked.connect(lambda _index: self._choose(OPEN))

        self.open_button = QPushButton("&Buka keluarga itu")
        self.open_button.setToolTip("Buka keluarga yang dipilih di daftar di atas")
        self.draft_button = QPushButton("Simpan sebagai &draf")
        self.back_button = QPushButton("&Kembali ke formulir")
        self.open_button.clicked.connect(lambda: self._choose(OPEN))
        self.draft_button.clicked.connect(lambda: self._choose(DRAFT))
        self.back_button.clicked.connect(self.reject)
        for button in (self.draft_button, self.back_button):
            button.setAutoDefault(False)
        self.open_button.setDefault(True)  # Enter opens the other family: nothing is forced

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)

        self.reason: QPlainTextEdit | None = None
        self.accept_button: QPushButton | None = None
        if may_accept:
            layout.addWidget(self._accept_box())

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.draft_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout.addLayout(buttons)

        if matches:
            self.table.selectRow(0)
        self.table.setFocus()

    def _accept_box(self) -> QGroupBox:
        """Supervisor only: register anyway, with the reason written down."""
        box = QGroupBox("Tetap daftarkan (supervisor)")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("acceptReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Mis.: pecah KK sedang diproses di Dukcapil")
        self.reason.setFixedHeight(56)
        label = QLabel(f"&Alasan (wajib, minimal {MIN_DUPLICATE_REASON} karakter):")
        label.setBuddy(self.reason)
        self.accept_button = QPushButton("&Tetap daftarkan")
        self.accept_button.setAutoDefault(False)
        self.accept_button.setEnabled(False)
        self.accept_button.setToolTip(
            "Didaftarkan walau data sama; alasan disimpan pada keluarga dan dicatat di log audit"
        )
        self.reason.textChanged.connect(self._reason_changed)
        self.accept_button.clicked.connect(lambda: self._choose(ACCEPT))
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignBottom)
        column = QVBoxLayout(box)
        column.addWidget(label)
        column.addLayout(row)
        return box

    def _reason_changed(self) -> None:
        if self.accept_button is not None:
            self.accept_button.setEnabled(len(self.reason_text()) >= MIN_DUPLICATE_REASON)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip() if self.reason is not None else ""

    def selected_household_id(self) -> str | None:
        row = self.table.currentRow()
        if not self.matches:
            return None
        return self.matches[max(row, 0)].other.household_id

    def _choose(self, choice: str) -> None:
        if choice == ACCEPT and len(self.reason_text()) < MIN_DUPLICATE_REASON:
            return
        self.accept()
        self.chosen.emit(choice)
