"""The meetings of this kelurahan (menu *Musyawarah kelurahan → Daftar musyawarah*): the latest
first; Enter opens the selected one's meeting screen, *Rencana* its plan, *Baru* plans one.
Below, the meetings received from other devices and, for a supervisor, the conflicts between
meetings (app/ui/musyawarah/received_panel.py)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core import musyawarah as words
from app.services import musyawarah
from app.services.actions import Officer
from app.ui.errors import show_error
from app.ui.musyawarah.received_panel import ReceivedPanel
from app.ui.runner import Runner
from app.ui.widgets.focus import start_in_first_field

COLUMNS = ("Tanggal", "Jam", "Tempat", "RW", "Nomor BA", "Status")


class MeetingsDialog(QDialog):
    open_requested = Signal(str)  # a meeting's id: its meeting screen
    plan_requested = Signal(object)  # a meeting's id, or None for a new one

    def __init__(self, runner: Runner, officer: Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner, self.officer = runner, officer
        self.meetings: list[musyawarah.Meeting] = []
        self.setWindowTitle(f"Daftar musyawarah kelurahan — {APP_NAME}")
        self.resize(900, 640)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.open_selected())
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.open_button = QPushButton("&Buka musyawarah")
        self.plan_button = QPushButton("&Rencana…")
        self.new_button = QPushButton("Musyawarah b&aru…")
        self.close_button = buttons.addButton("&Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.open_button, self.plan_button, self.new_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in buttons.buttons():
            button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_selected)
        self.plan_button.clicked.connect(self.plan_selected)
        self.new_button.clicked.connect(lambda: self.plan_requested.emit(None))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Musyawarah kelurahan (terbaru di atas); Enter membuka:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.received = ReceivedPanel(runner, officer, self)
        layout.addWidget(self.received, 1)
        layout.addWidget(buttons)
        start_in_first_field(self)
        self.reload()

    def reload(self) -> None:
        self.runner.submit(
            musyawarah.list_meetings, self.officer, on_done=self._show, on_error=self._failed
        )
        self.received.reload()

    def _show(self, meetings: list[musyawarah.Meeting]) -> None:
        self.meetings = meetings
        self.table.setRowCount(len(meetings))
        for row, meeting in enumerate(meetings):
            values = (
                f"{meeting.date[8:10]}-{meeting.date[5:7]}-{meeting.date[:4]}",
                meeting.time or "",
                meeting.place,
                str(meeting.rw) if meeting.rw else "Semua",
                meeting.minutes_number or "",
                words.MEETING_STATUSES.get(meeting.status, meeting.status),
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if meetings:
            self.table.selectRow(0)
        else:
            self.message.setText("Belum ada musyawarah. Pilih Musyawarah baru untuk merencanakan.")

    def selected(self) -> str | None:
        row = self.table.currentRow()
        return self.meetings[row].id if 0 <= row < len(self.meetings) else None

    def open_selected(self) -> None:
        meeting = self.selected()
        if meeting is not None:
            self.open_requested.emit(meeting)

    def plan_selected(self) -> None:
        meeting = self.selected()
        if meeting is not None:
            self.plan_requested.emit(meeting)

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc, label=self.message)
