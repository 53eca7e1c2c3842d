"""The audit screen for supervisors (issue 4): who did what, when, to which household.

Filters by officer, local dates and household (registration number or id); pages of entries,
newest first, come from app/services/audit.py. "Periksa keutuhan" runs the hash-chain check
through the runner (it reads the whole log) and says in words whether the log is intact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.errors import UserError
from app.services import audit as audit_service
from app.services import auth
from app.services.audit import AuditFilter, AuditLine
from app.ui.errors import show_error
from app.ui.household.list_model import local_time
from app.ui.runner import Runner

COLUMNS = ("Waktu", "Petugas", "Tindakan", "Keluarga", "Keterangan")
NO_DATE = QDate(2000, 1, 1)  # the date edits' minimum, shown as "—": no limit


class AuditTableModel(QAbstractTableModel):
    def __init__(self, names: dict[str, str], parent=None):
        super().__init__(parent)
        self._names = names  # username -> full name
        self.lines: list[AuditLine] = []

    def set_lines(self, lines: list[AuditLine], append: bool = False) -> None:
        self.beginResetModel()
        self.lines = [*self.lines, *lines] if append else list(lines)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(line, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(line, index.column())
        return None

    def cell(self, line: AuditLine, column: int) -> str:
        if column == 0:
            return local_time(line.at)
        if column == 1:
            if not line.officer:
                return "—"
            name = self._names.get(line.officer)
            return f"{name} ({line.officer})" if name else line.officer
        if column == 2:
            return line.action_label
        if column == 3:
            if line.registration_number:
                return line.registration_number
            return f"{line.household_id[:8]}… (belum bernomor)" if line.household_id else ""
        return line.summary

    def tooltip(self, line: AuditLine, column: int) -> Any:
        if column == 3 and line.household_id:
            return f"ID keluarga {line.household_id}"
        if column == 4 and line.detail:
            changes = audit_service.describe_changes(line.detail)
            return changes or orjson.dumps(line.detail, option=orjson.OPT_INDENT_2).decode()
        return None


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd-MM-yyyy")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("—")  # shown at the minimum date: no limit
    edit.setDate(NO_DATE)
    return edit


class AuditView(QDialog):
    def __init__(self, runner: Runner, officer: auth.Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        auth.require(officer, "audit.view")
        self.runner = runner
        self.officer = officer
        self.setWindowTitle(f"Log audit — {APP_NAME}")
        self.resize(1100, 600)
        accounts = auth.officer_accounts()

        self.officer_filter = QComboBox()
        self.officer_filter.addItem("Semua petugas", None)
        for account, _active in accounts:
            label = f"{account.full_name} ({account.username})"
            self.officer_filter.addItem(label, account.username)
        self.date_from = _date_edit()
        self.date_to = _date_edit()
        self.household_filter = QLineEdit()
        self.household_filter.setPlaceholderText("No. registrasi atau ID keluarga")
        self.household_filter.returnPressed.connect(self.apply_filters)
        apply = QPushButton("T&ampilkan")
        apply.clicked.connect(self.apply_filters)
        filters = QHBoxLayout()
        for label, widget in (
            ("Petugas", self.officer_filter),
            ("Dari", self.date_from),
            ("Sampai", self.date_to),
            ("Keluarga", self.household_filter),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget, 2 if widget is self.household_filter else 0)
        filters.addWidget(apply)

        self.model = AuditTableModel({a.username: a.full_name for a, _ in accounts}, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.summary = QLabel()
        self.more_button = QPushButton("&Muat lebih banyak")
        self.more_button.clicked.connect(self.load_more)
        self.verify_button = QPushButton("&Periksa keutuhan")
        self.verify_button.clicked.connect(self.verify)
        self.verify_result = QLabel()
        self.verify_result.setObjectName("verifyResult")
        self.verify_result.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.more_button)
        bottom.addWidget(self.verify_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verify_result)
        layout.addLayout(bottom)
        self.apply_filters()

    # --- filtering ----------------------------------------------------------------------------

    def filters(self) -> AuditFilter:
        def day(edit: QDateEdit) -> dt.date | None:
            return None if edit.date() == NO_DATE else edit.date().toPython()

        return AuditFilter(
            officer=self.officer_filter.currentData(),
            date_from=day(self.date_from),
            date_to=day(self.date_to),
            household=self.household_filter.text().strip() or None,
        )

    def apply_filters(self) -> None:
        self._load(append=False)

    def load_more(self) -> None:
        self._load(append=True)

    def _load(self, append: bool) -> None:
        before = self.model.lines[-1].seq if append and self.model.lines else None
        try:
            lines = audit_service.audit_page(self.officer, self.filters(), before)
        except UserError as exc:  # e.g. a role that may not: said where the count goes
            self.model.set_lines([])  # no rows that do not match what the filters say
            self.more_button.setEnabled(False)
            show_error(self, exc, label=self.summary)
            return
        self.model.set_lines(lines, append)
        self.more_button.setEnabled(len(lines) == audit_service.PAGE)
        shown = len(self.model.lines)
        more = " (masih ada yang lebih lama)" if len(lines) == audit_service.PAGE else ""
        self.summary.setText(f"{shown} entri ditampilkan, terbaru di atas{more}.")

    # --- the hash-chain check -----------------------------------------------------------------

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.verify_result.setText("Memeriksa log audit…")
        self.runner.submit(
            audit_service.verify, self.officer, on_done=self._verified, on_error=self._failed
        )

    def _verified(self, result: tuple[int, str | None]) -> None:
        self.verify_button.setEnabled(True)
        checked, problem = result
        self.verify_result.setStyleSheet(
            "color: #1b5e20;" if problem is None else "color: #b3261e; font-weight: bold;"
        )
        self.verify_result.setText(audit_service.verify_message(checked, problem))

    def _failed(self, exc: Exception) -> None:
        self.verify_button.setEnabled(True)
        show_error(self, exc, label=self.verify_result)
