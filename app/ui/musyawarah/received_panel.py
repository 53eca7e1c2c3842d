"""Below the meetings list (app/ui/musyawarah/meetings_dialog.py, issue 17): the locked meetings
received from other devices, read-only and attributed to their sender, and, for an officer who
may resolve conflicts (a supervisor), the open conflicts between meetings with *Selesaikan*
(app/services/sync/received.py `settle_meeting_conflict`, as `bundle settle-meeting-conflict`).
Names no one: meetings by date and BA number, households by a short id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import musyawarah as words
from app.services.actions import Officer
from app.services.sync import received
from app.ui.errors import show_error
from app.ui.household.attachments import AttachmentsDialog
from app.ui.runner import Runner

RECEIVED_COLUMNS = ("Pengirim", "Tanggal", "Tempat", "Nomor BA", "Layak", "Tidak miskin", "Tunda")
CONFLICT_COLUMNS = ("No.", "Musyawarah diterima", "Musyawarah di sini", "Keluarga", "Pengirim")


def _date(iso: str) -> str:
    return f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}" if len(iso) >= 10 else iso


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    if rows:
        table.selectRow(0)


class ReceivedPanel(QWidget):
    def __init__(self, runner: Runner, officer: Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner, self.officer = runner, officer
        self.may_see = officer is not None and officer.may("bundle.import")
        self.may_settle = officer is not None and officer.may("conflict.resolve")
        self.conflicts: list[Any] = []  # received.MeetingsReceived.conflicts
        self.received: list[Any] = []  # the meetings shown (ReceivedMeeting)
        self.scan_button = QPushButton("Lihat &pindaian BA…")  # issue 18: it travels with them
        self.scan_button.setAutoDefault(False)
        self.scan_button.setEnabled(False)
        self.scan_button.setVisible(officer is not None and officer.may("attachment.view"))
        self.scan_button.clicked.connect(self.open_scan)
        self.meetings_table = _table(RECEIVED_COLUMNS)
        self.conflicts_table = _table(CONFLICT_COLUMNS)
        self.settle_button = QPushButton("&Selesaikan konflik")
        self.settle_button.setAutoDefault(False)
        self.settle_button.setToolTip(
            "Tandai konflik terpilih selesai, setelah kedua keputusan ditimbang; data keluarganya "
            "diselesaikan seperti konflik data lain"
        )
        self.settle_button.clicked.connect(self.settle_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Musyawarah diterima dari perangkat lain (hanya dibaca):"))
        layout.addWidget(self.meetings_table, 1)
        layout.addWidget(self.scan_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.conflicts_label = QLabel("Konflik musyawarah (keluarga diputuskan dua musyawarah):")
        layout.addWidget(self.conflicts_label)
        row = QHBoxLayout()
        row.addWidget(self.conflicts_table, 1)
        row.addWidget(self.settle_button)
        layout.addLayout(row)
        layout.addWidget(self.message)
        for widget in (self.conflicts_label, self.conflicts_table, self.settle_button):
            widget.setVisible(self.may_settle)
        self.setVisible(self.may_see)

    def reload(self) -> None:
        if self.may_see:
            self.runner.submit(
                received.meetings_received, self.officer, on_done=self._show, on_error=self._failed
            )

    def _show(self, found: received.MeetingsReceived) -> None:
        rows = []
        for sender, meeting in found.meetings:
            counts = meeting.record.get("counts") or {}
            rows.append(
                (
                    sender,
                    _date(meeting.date),
                    str(meeting.record.get("place") or ""),
                    meeting.minutes_number or "",
                    *(
                        str(counts.get(k, 0))
                        for k in (words.ELIGIBLE, words.NOT_POOR, words.POSTPONE)
                    ),
                )
            )
        _fill(self.meetings_table, rows)
        self.received = [meeting for _sender, meeting in found.meetings]
        self.scan_button.setEnabled(bool(self.received))
        self.conflicts = found.conflicts if self.may_settle else []
        senders = {m.peer: sender for sender, m in found.meetings}
        _fill(
            self.conflicts_table,
            [
                (
                    str(c.id),
                    c.meeting_id[:8],
                    c.other_meeting_id[:8],
                    c.household_id[:8],
                    senders.get(c.peer, c.peer[:16]),
                )
                for c in self.conflicts
            ],
        )
        self.settle_button.setEnabled(bool(self.conflicts))
        if self.may_settle and not self.conflicts:
            self.conflicts_label.setText("Konflik musyawarah: tidak ada.")
        elif self.may_settle:
            self.conflicts_label.setText(
                f"Konflik musyawarah ({len(self.conflicts)}; keluarga diputuskan dua musyawarah):"
            )

    def open_scan(self) -> AttachmentsDialog | None:
        """The signed BA scan of the selected received meeting, read-only."""
        row = self.meetings_table.currentRow()
        if not 0 <= row < len(self.received):
            return None
        dialog = AttachmentsDialog(
            self.runner, self.officer, self.received[row].id, self, meeting=True
        )
        dialog.open()
        return dialog

    def settle_selected(self) -> None:
        row = self.conflicts_table.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        number = self.conflicts[row].id
        self.message.clear()
        self.runner.submit(
            received.settle_meeting_conflict,
            number,
            self.officer,
            on_done=lambda _r: self._settled(number),
            on_error=self._failed,
        )

    def _settled(self, number: int) -> None:
        self.message.setText(f"Konflik musyawarah nomor {number} diselesaikan.")
        self.reload()

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc, label=self.message)
