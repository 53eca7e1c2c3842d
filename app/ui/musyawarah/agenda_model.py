"""The agenda of a meeting as a table (app/ui/musyawarah/meeting_screen.py): one row per household,
by RW then RT, with what the rules and Dinsos' matching say and the decision recorded so far.
The projection view shows fewer, larger columns (no address details, no notes): never a NIK
(the agenda carries none)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.core import musyawarah as words
from app.core.status import criteria_text
from app.services.musyawarah import AgendaRow, Meeting

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("No.", "RW/RT", "Kepala keluarga", "Alamat", "Anggota", "Catatan", "Keputusan", "Alasan")
DECISION_COLUMN = COLUMNS.index("Keputusan")
PROJECTED = ("No.", "RW/RT", "Kepala keluarga", "Anggota", "Keputusan")
COLOURS = {
    words.ELIGIBLE: "#d9f2d9",
    words.NOT_POOR: "#f8d7d7",
    words.POSTPONE: "#fff0c2",
}
RW_SHADE = "#f2f5fa"  # every other RW is shaded, so the groups stand apart


def rw_rt(row: AgendaRow) -> str:
    return f"{row.rw or 0:03d}/{row.rt or 0:03d}"


def notes_text(row: AgendaRow) -> str:
    """What the rules and matching say, with each criterion in words ("mobil", not "car")."""
    named = [criteria_text([rule]) for rule in row.exclusions]
    overridden = [criteria_text([rule]) for rule in row.overridden]
    return "; ".join(words.notes(named, overridden, row.matching))


def decision_text(row: AgendaRow) -> str:
    if row.decision:
        return words.DECISIONS[row.decision]
    return "(lain: musyawarah terbuka lain)" if row.elsewhere else ""


class AgendaModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[AgendaRow] = []
        self._shaded: set[int | None] = set()

    def set_rows(self, rows: list[AgendaRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        order = list(dict.fromkeys(r.rw for r in self.rows))
        self._shaded = set(order[1::2])
        self.endResetModel()

    def set_decision(self, household_id: str, decision: str | None, reason: str | None) -> int:
        """Show a decision recorded (or taken back); returns the row, or -1."""
        for number, row in enumerate(self.rows):
            if row.household_id == household_id:
                self.rows[number] = replace(row, decision=decision, reason=reason)
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
                return number
        return -1

    def counts(self) -> dict[str, int]:
        return words.counts([r.decision for r in self.rows if r.decision], len(self.rows))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), index.column(), row)
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = COLOURS.get(row.decision or "")
            if colour is None and row.rw in self._shaded:
                colour = RW_SHADE
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (3, 5, 7):
            return self._text(index.row(), index.column(), row) or None
        return None

    @staticmethod
    def _text(number: int, column: int, row: AgendaRow) -> str:
        values = (
            str(number + 1),
            rw_rt(row),
            row.head_name or "-",
            row.address or "",
            str(row.member_count),
            notes_text(row),
            decision_text(row),
            row.reason or "",
        )
        return values[column]


def describe(meeting: Meeting) -> str:
    """One line about the meeting, for the screen's heading and the list of meetings."""
    when = f"{meeting.date[8:10]}-{meeting.date[5:7]}-{meeting.date[:4]}"
    if meeting.time:
        when += f" pukul {meeting.time}"
    where = f" — RW {meeting.rw}" if meeting.rw else " — seluruh kelurahan"
    state = words.MEETING_STATUSES.get(meeting.status, meeting.status)
    return f"{when}, {meeting.place}{where} — BA {meeting.minutes_number or '-'} — {state}"
