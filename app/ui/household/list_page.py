"""The household list page: search box, filters, the lazy table, and the unsaved-forms banner."""

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

from app.services import listing
from app.services.listing import SEARCH_LIMIT, Listing, ListQuery
from app.ui.household.list_filters import ListFilters
from app.ui.household.list_model import COLUMNS, HouseholdListModel

SEARCH_DELAY_MS = 150
# the columns but the last (it stretches): in a 1280-pixel window the last, *Terakhir diubah*,
# still shows its date and time
WIDTHS = (205, 170, 133, 128, 62, 64, 160, 180)
HEAD_COLUMN, ADDRESS_COLUMN = 1, 6
MAX_HEAD_WIDTH, MIN_ADDRESS_WIDTH = 320, 140
START_HINT = "Tekan Ctrl+N untuk mendaftarkan keluarga baru."  # no household at all (issue 16)
NO_MATCH_HINT = "Tidak ada keluarga yang cocok dengan pencarian atau saringan ini."


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
        for number, (household_id, description) in enumerate(drafts):
            row = QHBoxLayout()
            row.addWidget(QLabel(description), 1)
            # Alt keys on the first draft's buttons only (unique in the window); Lanjutkan
            # comes first and Buang is never a default button (issue 16)
            first = number == 0
            resume = QPushButton("&Lanjutkan" if first else "Lanjutkan")
            discard = QPushButton("B&uang" if first else "Buang")
            for button in (resume, discard):
                button.setAutoDefault(False)
                button.setDefault(False)
            resume.clicked.connect(lambda _=False, h=household_id: self.resume_requested.emit(h))
            discard.clicked.connect(lambda _=False, h=household_id: self.discard_requested.emit(h))
            row.addWidget(resume)
            row.addWidget(discard)
            self._layout.addLayout(row)
        self.setVisible(bool(drafts))


class HouseholdTable(QTableView):
    """The list's table: Ctrl+End goes to the last household even before a row is current
    (Qt's table would go to the first)."""

    def moveCursor(self, cursorAction, modifiers):  # noqa: N802, N803 (Qt's names)
        rows = self.model().rowCount()
        if not self.currentIndex().isValid() and rows and cursorAction == self.CursorAction.MoveEnd:
            return self.model().index(rows - 1, 0)
        return super().moveCursor(cursorAction, modifiers)


class HouseholdListPage(QWidget):
    open_requested = Signal(str)  # household_id
    new_requested = Signal()
    search_changed = Signal(str)  # the query changed: debounced search text, or a filter

    def __init__(self, model: HouseholdListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self._shown: ListQuery | None = None  # the query of the listing shown
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            "Cari NIK, No. KK, nomor registrasi (atau nomor urutnya), atau nama anggota (Ctrl+F)"
        )
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._query_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._open_first)

        self.new_button = QPushButton("Keluar&ga baru (Ctrl+N)")
        self.new_button.clicked.connect(self.new_requested.emit)
        self.filters = ListFilters(listing.places, listing.villages(),  # kelurahan: Dinsos
                                   listing.WHOLE_AREA_SORTS)  # fmt: skip
        self.filters.changed.connect(self._query_changed)
        self.filters.sort_refused.connect(self._sort_refused)
        self.summary = QLabel()
        self.summary.setObjectName("listSummary")

        self.table = HouseholdTable()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # "Budi Santoso (anggo…: Nur Aini)": the member a search matched stays readable
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(False)  # one line per cell, elided once
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        # a header click sorts (the store sorts: the model holds every household)
        header.setSortIndicator(len(COLUMNS) - 1, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        model.sort_requested.connect(self.filters.set_sort)
        self.table.activated.connect(self._open_index)  # Enter or double-click

        self.banner = DraftsBanner()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        # an empty list says how to start; a search or filter that finds nothing says so
        self.empty_hint = QLabel(START_HINT)
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("#emptyHint { color: #555; font-size: 13pt; padding: 8px; }")
        layout.insertWidget(layout.indexOf(self.table), self.empty_hint)  # above the list
        self.empty_hint.setVisible(False)  # until a listing is shown

    # --- the query ----------------------------------------------------------------------------

    def query(self, text: str | None = None) -> ListQuery:
        """What the list is asked for: the search text (this one, or the box's) and filters."""
        text = self.search.text() if text is None else text
        return ListQuery(text=text.strip(), **self.filters.values())

    def _query_changed(self) -> None:
        self._search_timer.stop()
        self._sync_sort_indicator()
        self.search_changed.emit(self.search.text())

    def _sort_refused(self, why: str) -> None:
        """A header click asked for an order the list does not give here: said above the list,
        the header back on the order shown."""
        self._sync_sort_indicator()
        self.summary.setText(why)

    def _sync_sort_indicator(self) -> None:
        values = self.filters.values()
        column = next(i for i, (key, _) in enumerate(COLUMNS) if key == values["sort"])
        order = (
            Qt.SortOrder.DescendingOrder if values["descending"] else Qt.SortOrder.AscendingOrder
        )
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # the order is already asked for: no second query
        header.setSortIndicator(column, order)
        header.blockSignals(False)
        header.viewport().update()

    def show_listing(self, found: Listing, query: ListQuery) -> None:
        """Show what `query` found. A new query starts at the top; the same one again (the list
        refreshed after a save) keeps the household that was selected."""
        selected = self.selected_household_id() if query == self._shown else None
        self.model.show_listing(found, searching=bool(query.text))
        self._shown = query
        self.filters.places_changed()
        self.summary.setText(summary_text(len(found.ids), found.more, query))
        asked = bool(query.text) or query.filtered  # else the store holds no household at all
        self.empty_hint.setText(NO_MATCH_HINT if asked else START_HINT)
        self.empty_hint.setVisible(not found.ids)
        self._fit_head_column(bool(found.matched))
        row = self.model.row_of(selected) if selected else -1
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.table.scrollToTop()

    def _fit_head_column(self, matched: bool) -> None:
        """A search that matched members: the head's column widens to show "(anggota: …)",
        taken from the address; otherwise both are back to their widths."""
        head, address = WIDTHS[HEAD_COLUMN], WIDTHS[ADDRESS_COLUMN]
        if matched:
            wanted = min(MAX_HEAD_WIDTH, max(head, self.table.sizeHintForColumn(HEAD_COLUMN)))
            head, address = wanted, max(MIN_ADDRESS_WIDTH, address - (wanted - head))
        self.table.setColumnWidth(HEAD_COLUMN, head)
        self.table.setColumnWidth(ADDRESS_COLUMN, address)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.household_id(index.row()))

    def selected_household_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.household_id(index.row()) if index.isValid() else None

    def _open_first(self) -> None:
        if self.model.rowCount() > 0:
            self._open_index(self.model.index(0, 0))

    def show_village(self, code: str) -> None:
        """The households of one kelurahan (the Dinsos overview opened it), the search box
        emptied; the caller asks for the listing (app/ui/main_window.py show_list)."""
        self.filters.set_village(code)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()


def _number(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def summary_text(count: int, more: bool, query: ListQuery) -> str:
    """The line above the list: the real number of households shown, or that there are more."""
    where = " sesuai saringan" if query.filtered else ""
    if not query.text:
        return f"{_number(count)} keluarga" + (where or " terdaftar")
    if more:
        return (
            f"Lebih dari {_number(SEARCH_LIMIT)} keluarga cocok dengan “{query.text}”{where}; "
            f"{_number(count)} di antaranya ditampilkan. Perjelas pencarian atau pakai saringan."
        )
    return f"{_number(count)} keluarga cocok dengan “{query.text}”{where}"
