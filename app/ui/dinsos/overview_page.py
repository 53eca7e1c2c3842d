"""The overview of kelurahan (issue 19), the first screen of a Dinas Sosial installation: one
row per kelurahan of its area, sortable by any column (numbers as numbers), filtered by the
text typed (kota, kecamatan, kelurahan or code), exported as XLSX. The counts come from
app/services/overview.py, in the background. Enter or a double-click on a kelurahan opens the
household list filtered to it (Enter in the filter box: the row selected, else the first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import installation, overview
from app.ui.errors import show_error
from app.ui.runner import Runner

TEXT_COLUMNS = 4  # code, kota, kecamatan, kelurahan: what the filter searches
OPEN_HINT = "Enter atau klik dua kali: daftar keluarga kelurahan itu."


class OverviewPage(QWidget):
    open_requested = Signal(str)  # a kelurahan code: show its households

    def __init__(self, runner: Runner, officer: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner, self.officer = runner, officer
        self.rows: list[overview.Row] = []
        area = installation.dinsos_area() or installation.PROVINCE_CODE
        title = QLabel(f"<b>Ikhtisar kelurahan — {installation.area_label(area)}</b>")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Ketik nama kota, kecamatan, kelurahan atau kode")
        label = QLabel("&Saring:")
        label.setBuddy(self.search)
        self.reload_button = QPushButton("Muat &ulang")  # Alt+M: Musyawarah kelurahan
        self.export_button = QPushButton("&Ekspor XLSX…")
        self.model = QStandardItemModel(0, len(overview.HEADERS), self)
        self.model.setHorizontalHeaderLabels([h for h, _t in overview.HEADERS])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by code: kota, kecamatan
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.reload_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.search.textChanged.connect(self._filter)
        self.reload_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.export)
        self.table.activated.connect(self._open_index)  # Enter or double-click
        self.search.returnPressed.connect(self._open_current)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            row = self.proxy.mapToSource(index).row()
            self.open_requested.emit(self.rows[row].village_code)

    def _open_current(self) -> None:
        """Enter in the filter box: the kelurahan selected, else the first shown."""
        index = self.table.currentIndex()
        self._open_index(index if index.isValid() else self.proxy.index(0, 0))

    def reload(self) -> None:
        self.summary.setText("Memuat…")
        self.runner.submit(
            overview.overview, self.officer, on_done=self.show_rows, on_error=self._failed
        )

    def show_rows(self, rows: list[overview.Row]) -> None:
        self.rows = rows
        self.table.setSortingEnabled(False)
        self.model.setRowCount(0)
        for row in rows:
            items = []
            for value in overview.table_row(row):
                item = QStandardItem()
                item.setData("" if value is None else value, Qt.ItemDataRole.DisplayRole)
                if isinstance(value, int):  # numbers sort as numbers and sit on the right
                    item.setData(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                        Qt.ItemDataRole.TextAlignmentRole,
                    )
                items.append(item)
            self.model.appendRow(items)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        sent = sum(1 for r in self.rows if r.bundles)
        self.summary.setText(
            f"{self.proxy.rowCount()} dari {len(self.rows)} kelurahan ditampilkan; "
            f"{sent} kelurahan sudah mengirim paket. {OPEN_HINT}"
        )

    def export(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Simpan ikhtisar", str(Path.home() / "ikhtisar-kelurahan.xlsx"),
            "Excel (*.xlsx)",
        )  # fmt: skip
        if not chosen:
            return
        target = chosen if chosen.endswith(".xlsx") else f"{chosen}.xlsx"
        self.runner.submit(
            overview.write_xlsx, self.rows, target,
            on_done=lambda path: self.summary.setText(f"Disimpan: {path}"),
            on_error=self._failed,
        )  # fmt: skip

    def _failed(self, exc: Exception) -> None:
        self.summary.setText("")
        show_error(self, exc)


def install(window: Any) -> OverviewPage | None:
    """The overview as the window's first page, on a Dinsos installation for an officer who
    may see it (app/ui/main_window.py calls this once); None elsewhere."""
    officer = window.officer
    if not installation.is_dinsos() or officer is None or not officer.may("dinsos.overview"):
        return None
    page = OverviewPage(window.runner, officer)
    window.pages.addWidget(page)
    window.pages.setCurrentWidget(page)
    area = installation.dinsos_area() or installation.PROVINCE_CODE
    window.setWindowTitle(f"{window.windowTitle()} — {installation.area_label(area)}")
    window.place_label.setText(installation.area_label(area))
    page.open_requested.connect(lambda code: _open_village(window, code))
    page.reload()
    page.search.setFocus()
    return page


def _open_village(window: Any, code: str) -> None:
    """The household list of one kelurahan (the window's list, its kelurahan filter set)."""
    window.list_page.show_village(code)
    window.show_list()
