"""The household list page: search box, the lazy table, and the unsaved-forms banner."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.household.list_model import HouseholdListModel

SEARCH_DELAY_MS = 150


class DraftsBanner(QWidget):
    """'Ada formulir yang belum disimpan': offers autosaved forms back after a crash."""

    resume_requested = Signal(str)
    discard_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("draftsBanner")
        self.setStyleSheet("#draftsBanner { background: #fff4c2; border: 1px solid #e0c050; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._layout = QVBoxLayout(self)
        self.setVisible(False)

    def show_drafts(self, drafts: list[tuple[str, str]]) -> None:
        """drafts: [(household_id, description)]"""
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if drafts:
            title = QLabel(
                f"<b>Ada {len(drafts)} formulir yang belum disimpan.</b> "
                "Data yang sudah diketik tersimpan otomatis dan dapat dilanjutkan."
            )
            self._layout.addWidget(title)
        for household_id, description in drafts:
            row = QHBoxLayout()
            row.addWidget(QLabel(description), 1)
            resume = QPushButton("Lanjutkan")
            discard = QPushButton("Buang")
            resume.clicked.connect(lambda _=False, h=household_id: self.resume_requested.emit(h))
            discard.clicked.connect(lambda _=False, h=household_id: self.discard_requested.emit(h))
            row.addWidget(resume)
            row.addWidget(discard)
            self._layout.addLayout(row)
        self.setVisible(bool(drafts))


class HouseholdListPage(QWidget):
    open_requested = Signal(str)  # household_id
    new_requested = Signal()
    search_changed = Signal(str)  # debounced search text

    def __init__(self, model: HouseholdListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            "Cari NIK, No. KK, nomor registrasi, atau nama anggota (Ctrl+F)"
        )
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._open_first)

        self.new_button = QPushButton("Keluarga &baru (Ctrl+N)")
        self.new_button.clicked.connect(self.new_requested.emit)
        self.summary = QLabel()

        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((230, 200, 140, 140, 70, 70, 240, 150)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._open_index)  # Enter or double-click

        self.banner = DraftsBanner()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.household_id(index.row()))

    def selected_household_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.household_id(index.row()) if index.isValid() else None

    def _open_first(self) -> None:
        if self.model.rowCount() > 0:
            self._open_index(self.model.index(0, 0))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
