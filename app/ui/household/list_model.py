"""The household list as a lazy Qt table model (STYLE §10).

Rows arrive a page at a time through `fetchMore` (keyset pages from the store), so a list of
50,000 households opens at once and scrolls smoothly. A search replaces the rows with its
results. The model reads through an injected `source` (app.services.households in the app).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.core import codes
from app.rules.nik import mask

PAGE_SIZE = 200
HOUSEHOLD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
WITHDRAWN = "withdrawn"  # a registration cancelled (issue 14): kept, shown greyed
WITHDRAWN_COLOUR = QColor("#8a8a8a")

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


class ListSource(Protocol):
    def household_page(self, after: tuple[str, str] | None, limit: int) -> list: ...


def local_time(iso_utc: str) -> str:
    """'2026-11-22T02:31:00.000Z' -> '22-11-2026 09:31' in this computer's time zone."""
    moment = dt.datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone()
    return moment.strftime("%d-%m-%Y %H:%M")


def cell_text(row: Any, column: str) -> str:
    if column in ("head_nik", "no_kk"):
        return mask(getattr(row, column))
    if column == "rw_rt":
        return "/".join("-" if v is None else f"{v:03d}" for v in (row.rw, row.rt))
    if column == "status":
        return codes.label("household", "status", row.status)
    if column == "updated_at":
        return local_time(row.updated_at)
    value = getattr(row, column)
    return "" if value is None else str(value)


class HouseholdListModel(QAbstractTableModel):
    def __init__(self, source: ListSource, parent=None):
        super().__init__(parent)
        self._source = source
        self._rows: list[Any] = []
        self._exhausted = False
        self._searching = False

    # --- content ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Back to the full list, newest first (first page loaded on demand)."""
        self.beginResetModel()
        self._rows, self._exhausted, self._searching = [], False, False
        self.endResetModel()

    def show_results(self, rows: list[Any]) -> None:
        """Show search results in place of the full list."""
        self.beginResetModel()
        self._rows, self._exhausted, self._searching = list(rows), True, True
        self.endResetModel()

    @property
    def searching(self) -> bool:
        return self._searching

    def household_id(self, row: int) -> str:
        return self._rows[row].id

    def row_of(self, household_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == household_id), -1)

    # --- lazy loading -------------------------------------------------------------------------

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        after = self._rows[-1].key if self._rows else None
        page = self._source.household_page(after, PAGE_SIZE)
        if len(page) < PAGE_SIZE:
            self._exhausted = True
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    # --- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, COLUMNS[index.column()][0])
        if role == HOUSEHOLD_ID_ROLE:
            return row.id
        if row.status == WITHDRAWN:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(WITHDRAWN_COLOUR)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    "Pendaftaran dibatalkan (ditarik); tidak dihitung pada pemeriksaan data ganda"
                )
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and COLUMNS[index.column()][0] == "member_count"
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None
