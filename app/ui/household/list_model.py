"""The household list as a Qt table model (STYLE §10, issue 16).

The model holds the ids of every household the list shows, in order (a `Listing` from
app/services/listing.py), so its row count is the real count and Ctrl+End reaches the last
household at once. The rows themselves are read a page at a time, when the view first draws
one of them, through an injected `source` (app.services.listing in the app). A search's
listing names the members who matched when none is the head; the head's cell says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.core import status
from app.rules.nik import mask

PAGE_SIZE = 200
HOUSEHOLD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
WITHDRAWN = "withdrawn"  # a registration cancelled (issue 14): kept, shown greyed
WITHDRAWN_COLOUR = QColor("#8a8a8a")
# The colours of the status column: (text, background) per tone of app/core/status.py.
TONE_COLOURS = {
    status.DRAFT: (QColor("#1f4e8c"), QColor("#e3ecf8")),
    status.EXCLUDED: (QColor("#8c1d1d"), QColor("#fbe3e3")),
    status.NOT_POOR: (QColor("#7a4a00"), QColor("#fdecc8")),
    status.ELIGIBLE: (QColor("#1d6b2f"), QColor("#dcf2e0")),
    status.POSTPONED: (QColor("#5c4a00"), QColor("#fff4cc")),
    status.WITHDRAWN: (WITHDRAWN_COLOUR, None),
}

COLUMNS = (
    ("registration_number", "No. Registrasi"),
    ("head_name", "Kepala keluarga"),
    ("head_nik", "NIK kepala keluarga"),
    ("no_kk", "No. KK"),
    ("member_count", "Anggota"),
    ("rw_rt", "RW/RT"),
    ("address", "Alamat"),
    ("status", "Status"),
    ("updated_at", "Terakhir diubah"),
)
STATUS_COLUMN = 7
_ROLES_ANSWERED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)


class ListSource(Protocol):
    def household_rows(self, household_ids: list[str]) -> list[Any]: ...


def local_time(iso_utc: str) -> str:
    """'2026-11-22T02:31:00.000Z' -> '22-11-2026 09:31' in this computer's time zone."""
    moment = dt.datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone()
    return moment.strftime("%d-%m-%Y %H:%M")


def status_of(row: Any) -> status.StatusLabel:
    return status.household_status(
        row.status,
        getattr(row, "exclusions", ()),
        getattr(row, "changed_after_decision", False),
        getattr(row, "postponed", False),
    )


def matched_text(names: tuple[str, ...]) -> str:
    """'Nur Aini', or 'Nur Aini +2' when more members matched."""
    return names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "")


def cell_text(row: Any, column: str, matched: tuple[str, ...] = ()) -> str:
    if column in ("head_nik", "no_kk"):
        return mask(getattr(row, column))
    if column == "rw_rt":
        return "/".join("-" if v is None else f"{v:03d}" for v in (row.rw, row.rt))
    if column == "status":
        return status_of(row).text
    if column == "updated_at":
        return local_time(row.updated_at)
    if column == "head_name" and matched:
        return f"{row.head_name or '(tanpa nama)'} (anggota: {matched_text(matched)})"
    value = getattr(row, column)
    return "" if value is None else str(value)


class HouseholdListModel(QAbstractTableModel):
    # the officer asked for another order (a header click): column key, descending
    sort_requested = Signal(str, bool)

    def __init__(self, source: ListSource, parent=None):
        super().__init__(parent)
        self._source = source
        self._ids: list[str] = []
        self._matched: dict[str, tuple[str, ...]] = {}
        self._pages: dict[int, list[Any]] = {}  # page number -> its rows, read on demand
        self._searching = False
        self.more = False  # the search found more households than the listing holds

    # --- content ------------------------------------------------------------------------------

    def show_listing(self, listing: Any, searching: bool) -> None:
        """Show these households (a `Listing`: ids in order, members matched, more)."""
        self.beginResetModel()
        self._ids, self._matched = list(listing.ids), dict(listing.matched)
        self._pages, self._searching, self.more = {}, searching, listing.more
        self.endResetModel()

    def reload(self) -> None:
        """Read the rows again when next drawn (a household shown was changed)."""
        self._pages = {}
        if self._ids:
            last = self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    @property
    def searching(self) -> bool:
        return self._searching

    def household_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, household_id: str) -> int:
        try:
            return self._ids.index(household_id)
        except ValueError:
            return -1

    def row_data(self, row: int) -> Any:
        """The list row of household number `row` (read with its page when first asked)."""
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            ids = self._ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
            found = {r.id: r for r in self._source.household_rows(ids)}
            page = self._pages[number] = [found.get(i) for i in ids]
        return page[row % PAGE_SIZE]

    # --- Qt model API -------------------------------------------------------------------------

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return False  # every row is counted from the start; its data is read when drawn

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == HOUSEHOLD_ID_ROLE:
            return self._ids[index.row()]
        if role not in _ROLES_ANSWERED:
            return None
        row = self.row_data(index.row())
        if row is None:  # removed since the list was made
            return "(dihapus)" if role == Qt.ItemDataRole.DisplayRole else None
        column = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column, self._matched.get(row.id, ()))
        label = status_of(row)
        colours = TONE_COLOURS.get(label.tone)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "head_name" and row.id in self._matched:
                return f"Cocok dengan anggota keluarga: {', '.join(self._matched[row.id])}"
            if column == "status" or label.tone == status.WITHDRAWN:
                return label.detail
        if label.tone == status.WITHDRAWN:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(WITHDRAWN_COLOUR)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
        elif column == "status" and colours is not None:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(colours[0])
            if role == Qt.ItemDataRole.BackgroundRole and colours[1] is not None:
                return QBrush(colours[1])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "member_count":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """A header click: the page asks the store for the households in that order."""
        self.sort_requested.emit(COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)
