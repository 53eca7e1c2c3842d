"""The filter bar above the household list (issue 16): status, RW, RT and the sort order, all
by keyboard (Tab, the arrow keys, the mnemonics) as well as by mouse. A Dinsos installation
(issue 19) has a kelurahan filter first; its RW and RT are chosen within a kelurahan."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from app.core import status
from app.services.listing import WHOLE_AREA_REFUSAL
from app.ui.household.list_model import COLUMNS

Places = list[tuple[int, int | None]]
VILLAGE_WIDTH = 30  # characters of a kelurahan shown in the closed box (the list shows all)
DEFAULT_SORT = ("updated_at", True)  # newest change first
ASCENDING_TEXT, DESCENDING_TEXT = "↑ Menaik", "↓ Menurun"


class ListFilters(QWidget):
    changed = Signal()  # a filter or the order changed
    sort_refused = Signal(str)  # a header click asked for an order refused here: why

    def __init__(
        self,
        places: Callable[[str | None], Places],
        villages: Sequence[tuple[str, str]] = (),  # (code, label), in the order shown
        whole_area_sorts: Collection[str] = (),  # the orders without a kelurahan (Dinsos)
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._places_source = places
        self._places: Places | None = None  # read when a place filter is first used

        self.village = QComboBox(self)  # shown on a Dinsos installation only (villages given)
        self.village.setObjectName("villageFilter")
        self.village.addItem("Semua kelurahan", None)
        for code, label in villages:
            self.village.addItem(label, code)
        self.village.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.village.setMinimumContentsLength(VILLAGE_WIDTH)
        self.village.view().setMinimumWidth(self.village.view().sizeHintForColumn(0) + 24)
        self.per_village = bool(villages)  # RW and RT only within a chosen kelurahan
        self._whole_area_sorts = set(whole_area_sorts)

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
        fields = [("&Status:", self.status), ("R&W:", self.rw), ("&RT:", self.rt),
                  ("Urut&kan:", self.sort)]  # fmt: skip
        if self.per_village:
            fields.insert(0, ("K&elurahan:", self.village))
        else:
            self.village.hide()
        for text, widget in fields:
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
        self.village.currentIndexChanged.connect(self._village_changed)
        self.rw.setEnabled(not self.per_village)
        self.direction.toggled.connect(self._direction_toggled)
        self._limit_sorts()

    # --- values -------------------------------------------------------------------------------

    def values(self) -> dict:
        """The filters and order as ListQuery fields (village, status, rw, rt, sort,
        descending)."""
        return {
            "village": self.village.currentData(),
            "status": self.status.currentData(),
            "rw": self.rw.currentData(),
            "rt": self.rt.currentData() if self.rw.currentData() is not None else None,
            "sort": self.sort.currentData(),
            "descending": self.direction.isChecked(),
        }

    def set_sort(self, key: str, descending: bool) -> None:
        """Another order (a header click): shown here, and `changed` when it differs; an order
        the whole area of a Dinsos installation is not listed in: `sort_refused`."""
        if (self.sort.currentData(), self.direction.isChecked()) == (key, descending):
            return
        if not self._sort_allowed(key):
            self.sort_refused.emit(WHOLE_AREA_REFUSAL)
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

    # --- kelurahan, RW and RT -----------------------------------------------------------------

    def set_village(self, code: str | None) -> None:
        """Show this kelurahan's households (the Dinsos overview opened it), every RW and RT;
        no `changed`: the caller shows the list."""
        self.village.blockSignals(True)
        self.village.setCurrentIndex(max(0, self.village.findData(code)))
        self.village.blockSignals(False)
        self._places_reset()

    def _village_changed(self, _index: int) -> None:
        self._places_reset()
        self._limit_sorts()
        self.changed.emit()

    def _sort_allowed(self, key: str) -> bool:
        """Every order within a kelurahan; the whole area of a Dinsos installation only in
        the orders the service lists it in (app/services/listing.py WHOLE_AREA_SORTS)."""
        whole_area = self.per_village and self.village.currentData() is None
        return not whole_area or key in self._whole_area_sorts

    def _limit_sorts(self) -> None:
        """Orders not offered for the whole area are greyed out, with the reason as their
        tooltip; one chosen before goes back to the default order (shown in the box and the
        list's header)."""
        if not self.per_village:
            return
        items = self.sort.model()
        assert isinstance(items, QStandardItemModel)
        for row in range(self.sort.count()):
            allowed = self._sort_allowed(self.sort.itemData(row))
            items.item(row).setEnabled(allowed)
            self.sort.setItemData(row, None if allowed else WHOLE_AREA_REFUSAL,
                                  Qt.ItemDataRole.ToolTipRole)  # fmt: skip
        if not self._sort_allowed(self.sort.currentData()):
            self._set_sort_widgets(*DEFAULT_SORT)

    def _places_reset(self) -> None:
        """Another kelurahan: its RWs are read when next needed, every RW and RT shown."""
        self._places = None
        for combo, text in ((self.rw, "Semua RW"), (self.rt, "Semua RT")):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(text, None)
            combo.blockSignals(False)
        self.rw.setEnabled(not self.per_village or self.village.currentData() is not None)
        self.rt.setEnabled(False)

    def places_changed(self) -> None:
        """Households were saved: read the RWs and RTs again when next needed."""
        self._places = None

    def load_places(self) -> None:
        """Fill the RW list with the RWs households have (keeping the one chosen)."""
        if self._places is not None:
            return
        self._places = self._places_source(self.village.currentData())
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
