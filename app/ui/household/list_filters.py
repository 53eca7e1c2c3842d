"""The filter bar above the household list (issue 16): status, RW, RT and the sort order, all
by keyboard (Tab, the arrow keys, the mnemonics) as well as by mouse."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from app.core import status
from app.ui.household.list_model import COLUMNS

Places = list[tuple[int, int | None]]
DEFAULT_SORT = ("updated_at", True)  # newest change first
ASCENDING_TEXT, DESCENDING_TEXT = "↑ Menaik", "↓ Menurun"


class ListFilters(QWidget):
    changed = Signal()  # a filter or the order changed

    def __init__(self, places: Callable[[], Places], parent: QWidget | None = None):
        super().__init__(parent)
        self._places_source = places
        self._places: Places | None = None  # read when a place filter is first used

        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem("Semua status", None)
        for code, text in status.status_choices():
            self.status.addItem(text, code)
        self.rw = QComboBox()
        self.rw.setObjectName("rwFilter")
        self.rw.addItem("Semua RW", None)
        self.rt = QComboBox()
        self.rt.setObjectName("rtFilter")
        self.rt.addItem("Semua RT", None)
        self.rt.setEnabled(False)  # an RT is chosen within its RW
        self.sort = QComboBox()
        self.sort.setObjectName("sortOrder")
        for key, title in COLUMNS:
            self.sort.addItem(title, key)
        self.direction = QToolButton()
        self.direction.setObjectName("sortDirection")
        self.direction.setCheckable(True)  # checked: descending
        self.direction.setToolTip("Urutan menaik atau menurun (Spasi)")
        self._set_sort_widgets(*DEFAULT_SORT)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, widget in (("&Status:", self.status), ("R&W:", self.rw), ("&RT:", self.rt),
                             ("Urut&kan:", self.sort)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget)
        layout.addWidget(self.direction)
        layout.addStretch(1)

        for combo in (self.rw, self.rt):
            combo.installEventFilter(self)  # the places are read when first needed
        for combo in (self.status, self.rt, self.sort):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.rw.currentIndexChanged.connect(self._rw_changed)
        self.direction.toggled.connect(self._direction_toggled)

    # --- values -------------------------------------------------------------------------------

    def values(self) -> dict:
        """The filters and order as ListQuery fields (status, rw, rt, sort, descending)."""
        return {
            "status": self.status.currentData(),
            "rw": self.rw.currentData(),
            "rt": self.rt.currentData() if self.rw.currentData() is not None else None,
            "sort": self.sort.currentData(),
            "descending": self.direction.isChecked(),
        }

    def set_sort(self, key: str, descending: bool) -> None:
        """Another order (a header click): shown here, and `changed` when it differs."""
        if (self.sort.currentData(), self.direction.isChecked()) == (key, descending):
            return
        self._set_sort_widgets(key, descending)
        self.changed.emit()

    def _set_sort_widgets(self, key: str, descending: bool) -> None:
        for widget in (self.sort, self.direction):
            widget.blockSignals(True)
        self.sort.setCurrentIndex(max(0, self.sort.findData(key)))
        self.direction.setChecked(descending)
        self.direction.setText(DESCENDING_TEXT if descending else ASCENDING_TEXT)
        for widget in (self.sort, self.direction):
            widget.blockSignals(False)

    def _direction_toggled(self, descending: bool) -> None:
        self.direction.setText(DESCENDING_TEXT if descending else ASCENDING_TEXT)
        self.changed.emit()

    # --- RW and RT ----------------------------------------------------------------------------

    def places_changed(self) -> None:
        """Households were saved: read the RWs and RTs again when next needed."""
        self._places = None

    def load_places(self) -> None:
        """Fill the RW list with the RWs households have (keeping the one chosen)."""
        if self._places is not None:
            return
        self._places = self._places_source()
        chosen = self.rw.currentData()
        self.rw.blockSignals(True)
        self.rw.clear()
        self.rw.addItem("Semua RW", None)
        for rw in sorted({rw for rw, _ in self._places}):
            self.rw.addItem(f"RW {rw:03d}", rw)
        self.rw.setCurrentIndex(max(0, self.rw.findData(chosen)))
        self.rw.blockSignals(False)
        self._fill_rt()

    def _fill_rt(self, keep: bool = True) -> None:
        rw, chosen = self.rw.currentData(), self.rt.currentData() if keep else None
        self.rt.blockSignals(True)
        self.rt.clear()
        self.rt.addItem("Semua RT", None)
        for place_rw, rt in self._places or []:
            if place_rw == rw and rt is not None:
                self.rt.addItem(f"RT {rt:03d}", rt)
        self.rt.setCurrentIndex(max(0, self.rt.findData(chosen)))
        self.rt.setEnabled(rw is not None)
        self.rt.blockSignals(False)

    def _rw_changed(self, _index: int) -> None:
        self._fill_rt(keep=False)
        self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            self.load_places()
        return super().eventFilter(watched, event)
