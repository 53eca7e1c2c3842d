"""Data ganda dari paket (issue 14): households taken in from bundles whose No. KK or NIK a
different household already held. They were stored (a bundle is taken whole); here a
supervisor merges the two (one is withdrawn, "digabung ke <nomor registrasi>") or keeps both
with a reason. Both are ordinary edits of a household, so they sync; the services decide."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.services import duplicates, marks
from app.services.actions import Officer
from app.ui.errors import show_error
from app.ui.household.list_model import local_time
from app.ui.household.withdraw_dialog import ReasonDialog
from app.ui.runner import Runner
from app.ui.widgets.tables import choice_table

COLUMNS = ["Datang dari paket", "Sudah ada sebelumnya", "Data yang sama", "Ditemukan"]


class PossibleDuplicatesDialog(QDialog):
    changed = Signal(str)  # a decision was saved: a message for the status bar
    open_requested = Signal(str)  # household_id to open on the form

    def __init__(self, runner: Runner, officer: Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner, self.officer = runner, officer
        self.pairs: list[duplicates.PossibleDuplicate] = []
        self.setWindowTitle(f"Data ganda dari paket — {APP_NAME}")
        self.resize(980, 460)
        intro = QLabel(
            "Keluarga berikut datang dari paket sinkronisasi dengan No. KK atau NIK yang sudah "
            "dimiliki keluarga lain. Keduanya tetap tersimpan sampai supervisor memutuskan: "
            "<b>gabungkan</b> (satu keluarga ditarik, \u201cdigabung ke\u201d yang lain) atau "
            "<b>tetap keduanya</b> dengan alasan."
        )
        intro.setWordWrap(True)
        self.table = choice_table(COLUMNS)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.summary = QLabel()
        self.open_button = QPushButton("&Buka keluarga dari paket")
        self.merge_button = QPushButton("&Gabungkan…")
        self.keep_button = QPushButton("&Tetap keduanya…")
        close = QPushButton("T&utup")
        self.open_button.clicked.connect(self._open)
        self.merge_button.clicked.connect(self._merge)
        self.keep_button.clicked.connect(self._keep_both)
        close.clicked.connect(self.reject)
        may_decide = officer is not None and officer.may("duplicate.accept")
        for button in (self.merge_button, self.keep_button):
            button.setEnabled(False)
            button.setVisible(may_decide)
            button.setAutoDefault(False)
        self.open_button.setDefault(True)
        self.may_decide = may_decide
        buttons = QHBoxLayout()
        for button in (self.open_button, self.merge_button, self.keep_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.runner.submit(
            duplicates.possible_duplicates, self.officer, on_done=self._fill, on_error=self._failed
        )

    def _fill(self, pairs: list[duplicates.PossibleDuplicate]) -> None:
        self.pairs = pairs
        self.table.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            cells = (
                pair.household.describe(),
                pair.other.describe(),
                "\n".join(pair.matched),
                local_time(pair.found_at),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        if pairs:
            self.table.selectRow(0)
            self.summary.setText(f"{len(pairs)} pasangan menunggu keputusan supervisor.")
        else:
            self.summary.setText("Tidak ada data ganda dari paket yang menunggu keputusan.")
        for button in (self.open_button, self.merge_button, self.keep_button):
            button.setEnabled(bool(pairs))
        self.table.setFocus()

    def _current(self) -> duplicates.PossibleDuplicate | None:
        row = self.table.currentRow()
        return self.pairs[row] if 0 <= row < len(self.pairs) else None

    def _open(self) -> None:
        pair = self._current()
        if pair is not None:
            self.accept()
            self.open_requested.emit(pair.household.household_id)

    def _merge(self) -> None:
        pair = self._current()
        if pair is None:
            return
        box = QMessageBox(self)
        box.setWindowTitle(f"Gabungkan — {APP_NAME}")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(
            "Keluarga mana yang <b>dipertahankan</b>? Yang lain ditarik dengan alasan "
            "\u201cdigabung ke\u201d nomor registrasi yang dipertahankan; datanya tetap tersimpan."
        )
        keep_other = box.addButton(
            f"Pertahankan yang &sudah ada ({pair.other.number})", QMessageBox.ButtonRole.YesRole
        )
        keep_arrived = box.addButton(
            f"Pertahankan yang &dari paket ({pair.household.number})",
            QMessageBox.ButtonRole.NoRole,
        )
        cancel = box.addButton("&Batal", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is keep_other:
            loser, winner = pair.household, pair.other
        elif box.clickedButton() is keep_arrived:
            loser, winner = pair.other, pair.household
        else:
            return
        self.runner.submit(
            marks.merge_duplicate,
            loser.household_id,
            winner.household_id,
            self.officer,
            on_done=lambda _doc: self._decided(f"{loser.number} digabung ke {winner.number}"),
            on_error=self._failed,
        )

    def _keep_both(self) -> None:
        pair = self._current()
        if pair is None:
            return
        dialog = ReasonDialog(
            "Tetap keduanya",
            f"Tetap daftarkan <b>{pair.household.describe()}</b> di samping "
            f"<b>{pair.other.describe()}</b> (dan setiap keluarga lain dengan No. KK/NIK yang "
            "sama)? Alasan disimpan pada keluarga dan dicatat di log audit.",
            "&Tetap keduanya",
            self,
            placeholder="Mis.: pecah KK sedang diproses di Dukcapil",
            minimum=duplicates.MIN_DUPLICATE_REASON,
        )
        self.reason_dialog = dialog
        dialog.accepted.connect(
            lambda: self.runner.submit(
                marks.keep_both,
                pair.household.household_id,
                dialog.reason_text(),
                self.officer,
                on_done=lambda _doc: self._decided(
                    f"{pair.household.number} tetap didaftarkan di samping {pair.other.number}"
                ),
                on_error=self._failed,
            )
        )
        dialog.open()

    def _decided(self, message: str) -> None:
        self.changed.emit(message)
        self.reload()

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc)
