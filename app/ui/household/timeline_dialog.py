"""*Riwayat* of a household (issue 19): the current status in one line, Dinsos' notice when the
household is registered in another kelurahan too, and the timeline (registered, matched, the
musyawarah, Dinsos' events) with dates and who did or sent it (app/services/timeline.py); a step
a bundle brought names the trusted peer and the day it arrived ("dari …, diterima DD-MM-YYYY").

The household form holds `FormHistory`: its *Riwayat… (Ctrl+H)* button and the notice, shown
above the form while `open_duplicate_notice(doc)` holds one. `TimelineTable` is shared with
*Cek status* (status_dialog.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.document import Document
from app.core.timeline import duplicate_notice_text
from app.receipts.formatting import date_or_dash
from app.services import timeline
from app.services.actions import Officer
from app.ui.errors import show_error
from app.ui.runner import Runner

NOTICE_STYLE = "background: #fff0a8; border: 1px solid #d6b600; padding: 6px; font-weight: bold;"
STATUS_STYLE = "font-size: 13pt; font-weight: bold;"
COLUMNS = ("Tanggal", "Tahap", "Keterangan", "Oleh")


def notice_label() -> QLabel:
    """The yellow one-line notice (registered in another kelurahan too), hidden until set."""
    label = QLabel()
    label.setObjectName("duplicateNotice")
    label.setWordWrap(True)
    label.setStyleSheet(NOTICE_STYLE)
    label.hide()
    return label


class TimelineTable(QTableWidget):
    """The timeline's entries, oldest first, read-only; Tab leaves it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        for column, mode in enumerate(
            (QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents,
             QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)
        ):  # fmt: skip
            header.setSectionResizeMode(column, mode)
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())  # wrapped detail

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.resizeRowsToContents()  # the detail wraps to the width it has now

    def show_entries(self, entries: list[timeline.Entry]) -> None:
        self.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            who = entry.who(date_or_dash) or "-"  # a bundle's step: its peer and arrival day
            values = (date_or_dash(entry.day), entry.what, entry.detail or "-", who)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.setItem(row, column, item)
        self.resizeRowsToContents()
        QTimer.singleShot(0, self, self.resizeRowsToContents)  # once the columns are wide


class TimelineDialog(QDialog):
    def __init__(self, shown: timeline.Timeline, parent: QWidget | None = None):
        super().__init__(parent)
        number = shown.registration_number or "draf"
        self.setWindowTitle(f"Riwayat keluarga {number}")
        self.resize(900, 460)
        self.status = QLabel(shown.status)
        self.status.setWordWrap(True)
        self.status.setStyleSheet(STATUS_STYLE)
        self.notice = notice_label()
        if shown.notice:
            self.notice.setText(shown.notice)
            self.notice.show()
        self.table = TimelineTable()
        self.table.show_entries(shown.entries)
        self.close_button = QPushButton("&Tutup")
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.close_button.setDefault(True)
        self.table.setFocus()


def open_timeline(
    parent: QWidget, runner: Runner, officer: Officer | None, household_id: str
) -> None:
    """Load the timeline off the UI thread (audited as a view), then show it."""

    def show(shown: timeline.Timeline) -> None:
        dialog = TimelineDialog(shown, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    runner.submit(
        timeline.timeline,
        household_id,
        officer,
        on_done=show,
        on_error=lambda exc: show_error(parent, exc),
    )


class FormHistory:
    """What the household form shows of the timeline: *Riwayat… (Ctrl+H)* in its header (for
    a stored household) and Dinsos' duplicate notice above the form."""

    def __init__(self, form: QWidget, header: QHBoxLayout, layout: QVBoxLayout):
        self.form = form
        self.household_id: str | None = None
        self.button = QPushButton("Riwa&yat… (Ctrl+H)")
        self.button.setToolTip("Riwayat keluarga: pendaftaran, pemadanan, musyawarah, Dinsos")
        self.button.clicked.connect(self.open)
        header.insertWidget(max(header.count() - 1, 0), self.button)  # before *Kembali*
        self.notice = notice_label()
        layout.insertWidget(1, self.notice)  # under the title line
        shortcut = QShortcut(
            QKeySequence("Ctrl+H"),
            form,
            self.open,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        shortcut.setWhatsThis("Riwayat keluarga (pendaftaran, pemadanan, musyawarah, Dinsos)")

    def show_document(self, doc: Document) -> None:
        """The household the form now shows: its notice, and the button for a stored one."""
        stored = bool(doc.get("rev"))
        self.household_id = doc["household_id"] if stored else None
        self.button.setEnabled(stored)
        text = duplicate_notice_text(doc)
        self.notice.setText(text or "")
        self.notice.setVisible(text is not None)

    def open(self) -> None:
        window = self.form.window()
        runner = getattr(window, "runner", None)
        if self.household_id is None or not isinstance(runner, Runner):
            return
        open_timeline(window, runner, getattr(window, "officer", None), self.household_id)
