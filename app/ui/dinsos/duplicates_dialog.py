"""Cross-kelurahan duplicates (issue 19), for Dinas Sosial: one row per household holding a NIK
or No. KK that a household of another kelurahan holds too (the value masked), sortable by any
column, filtered by the text typed; *Kirim pemberitahuan* records a notice on each household
concerned (and clears notices that no longer hold), after a confirmation, to travel in each
kelurahan's next bundle. The list and the sending are app/services/cross_duplicates.py, run in
the background; the Dinsos menu opens it as `CrossDuplicatesDialog(parent, officer)`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import cross_duplicates
from app.ui.errors import show_error
from app.ui.runner import Runner
from app.ui.widgets.ask import ask
from app.ui.widgets.focus import start_in_first_field

HEADERS = (
    "Grup", "Jenis", "NIK / No. KK", "Kelurahan", "Nomor pendaftaran", "Status",
    "Juga terdaftar di",
)  # fmt: skip


def table_rows(groups: list[cross_duplicates.Group]) -> list[list[str | int]]:
    """One row per household of each group; the group's number keeps them together."""
    rows: list[list[str | int]] = []
    for number, group in enumerate(groups, start=1):
        for h in group.households:
            others = sorted({o.kelurahan for o in group.households if o.kelurahan != h.kelurahan})
            rows.append([
                number, group.kind, group.masked, h.kelurahan, h.registration_number or "-",
                h.status_label, ", ".join(others),
            ])  # fmt: skip
    return rows


class CrossDuplicatesDialog(QDialog):
    """`CrossDuplicatesDialog(parent, officer)`: loads the list at once. The work runs on the
    parent window's background runner (`parent.runner`, the one database thread) unless one is
    given; without either, synchronously."""

    def __init__(
        self, parent: QWidget | None, officer: Any, *, runner: Runner | None = None
    ) -> None:
        super().__init__(parent)
        self.officer = officer
        found = runner or getattr(parent, "runner", None)
        self.runner = found if isinstance(found, Runner) else Runner(synchronous=True, parent=self)
        self.groups: list[cross_duplicates.Group] = []
        self.setWindowTitle("Data ganda antar kelurahan")
        intro = QLabel(
            "NIK atau No. KK yang terdaftar di lebih dari satu kelurahan (tidak termasuk "
            "pendaftaran yang ditarik atau dihapus). <i>Kirim pemberitahuan</i> mencatat "
            "pemberitahuan pada setiap keluarga; pemberitahuan ikut paket berikutnya ke "
            "kelurahan masing-masing."
        )
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Ketik kelurahan, nomor pendaftaran, jenis atau status")
        label = QLabel("&Saring:")
        label.setBuddy(self.search)
        self.reload_button = QPushButton("&Muat ulang")
        self.notify_button = QPushButton("&Kirim pemberitahuan…")
        self.notify_button.setEnabled(officer is not None and officer.may("dinsos.status"))
        close_button = QPushButton("&Tutup")
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.reload_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notify_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self._filter)
        self.reload_button.clicked.connect(self.reload)
        self.notify_button.clicked.connect(self.ask_notify)
        close_button.clicked.connect(self.reject)
        for first, then in (
            (self.search, self.reload_button),
            (self.reload_button, self.table),
            (self.table, self.notify_button),
            (self.notify_button, close_button),
        ):
            self.setTabOrder(first, then)  # fmt: skip
        self.resize(1100, 600)  # within 1366×768 with the taskbar
        start_in_first_field(self)  # the filter
        self.reload()

    def reload(self) -> None:
        self.summary.setText("Memuat…")
        self.runner.submit(
            cross_duplicates.find, self.officer, on_done=self.show_groups,
            on_error=lambda exc: show_error(self, exc, label=self.summary),  # the screen's line
        )  # fmt: skip

    def show_groups(self, groups: list[cross_duplicates.Group]) -> None:
        self.groups = groups
        self.table.setSortingEnabled(False)
        self.model.setRowCount(0)
        for row in table_rows(groups):
            items = []
            for value in row:
                item = QStandardItem()
                item.setData(value, Qt.ItemDataRole.DisplayRole)  # the group sorts as a number
                items.append(item)
            self.model.appendRow(items)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.resizeColumnsToContents()
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.summary.setText(
            f"{len(self.groups)} NIK/No. KK ganda; {self.proxy.rowCount()} dari "
            f"{self.model.rowCount()} keluarga ditampilkan."
            if self.groups
            else "Tidak ada NIK atau No. KK yang terdaftar di lebih dari satu kelurahan."
        )

    def ask_notify(self) -> None:
        ask(
            self, "Kirim pemberitahuan",
            "Catat pemberitahuan data ganda pada setiap keluarga di daftar ini (dan cabut "
            "pemberitahuan yang tidak berlaku lagi)? Pemberitahuan ikut paket berikutnya ke "
            "kelurahan masing-masing; yang sudah dikirim tidak dikirim lagi.",
            "&Kirim", self.notify,
        )  # fmt: skip

    def notify(self) -> None:
        self.summary.setText("Mengirim pemberitahuan…")
        self.runner.submit(
            cross_duplicates.notify, self.officer, on_done=self._sent, on_error=self._failed
        )

    def _sent(self, sent: cross_duplicates.Sent) -> None:
        self.summary.setText(
            f"Pemberitahuan dicatat pada {sent.notices} keluarga; dicabut pada "
            f"{sent.cleared} keluarga. Ikut paket berikutnya ke kelurahan."
            if sent.notices or sent.cleared
            else "Tidak ada pemberitahuan baru: semua sudah dicatat."
        )

    def _failed(self, exc: Exception) -> None:
        self.summary.setText("")
        show_error(self, exc)
