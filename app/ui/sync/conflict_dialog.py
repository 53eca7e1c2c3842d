"""The conflict screen (issue 6): households edited in two places, the versions side by side,
field by field. The supervisor ticks the fields to take from the other version and saves the
resolution, which syncs onward like any edit. Nothing is decided here; the service resolves."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core import codes, merge
from app.services import auth
from app.services.sync import conflicts as conflict_service
from app.ui.errors import show_error
from app.ui.household.list_model import local_time
from app.ui.runner import Runner
from app.ui.widgets.tables import choice_table

SECTIONS = {"housing", "assets", "musyawarah"}
EXTRA_TITLES = {
    "members": "Anggota keluarga",
    "deleted": "Dihapus",
    "exclusion_overrides": "Pengecualian yang diabaikan",
}


def field_title(path: str) -> str:
    key, _, sub = path.partition(".")
    if key in EXTRA_TITLES:
        return EXTRA_TITLES[key]
    try:
        return codes.title(key, sub) if sub else codes.title("household", key)
    except KeyError:
        return path


def shown_value(path: str, value: Any) -> str:
    """A value as the officer reads it: labels for codes, Ya/Tidak, members by name."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    key, _, sub = path.partition(".")
    if key == "members":
        return "\n".join(
            f"{m.get('name') or '(tanpa nama)'} — NIK {m.get('nik') or '—'}" for m in value
        )
    if key == "exclusion_overrides":
        return "\n".join(f"{o['rule']}: {o['reason']}" for o in value)
    section, field = (key, sub) if sub else ("household", key)
    try:
        if codes.choices(section, field):
            if isinstance(value, list):
                return ", ".join(codes.label(section, field, v) for v in value)
            return codes.label(section, field, value)
    except KeyError:
        pass
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


LIST_COLUMNS = ["Nomor registrasi", "Kepala keluarga", "Jumlah versi"]
FIELD_COLUMNS = ["Data", "Versi yang ditampilkan", "Versi lain", "Pakai versi lain"]


class ConflictDialog(QDialog):
    resolved = Signal(str)  # a message for the status bar

    def __init__(self, runner: Runner, officer: auth.Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        auth.require(officer, "conflict.resolve")
        self.runner, self.officer = runner, officer
        self.rows: list[conflict_service.ConflictRow] = []
        self.winner: dict | None = None
        self.kept: list[dict] = []
        self.paths: list[str] = []
        self.setWindowTitle(f"Konflik data — {APP_NAME}")
        self.resize(1200, 640)

        self.list = choice_table(LIST_COLUMNS)
        self.list.itemSelectionChanged.connect(self._chosen)
        self.other = QComboBox()
        self.other.currentIndexChanged.connect(lambda _i: self._compare())
        self.heading = QLabel("Pilih keluarga di sebelah kiri.")
        self.heading.setWordWrap(True)
        self.fields = QTableWidget(0, len(FIELD_COLUMNS))
        self.fields.setHorizontalHeaderLabels(FIELD_COLUMNS)
        self.fields.verticalHeader().hide()
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.fields.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save = QPushButton("&Simpan penyelesaian")
        self.save.setEnabled(False)
        self.save.clicked.connect(self.resolve)
        close = QPushButton("&Tutup")
        close.clicked.connect(self.accept)

        right = QWidget()
        side = QVBoxLayout(right)
        side.addWidget(self.heading)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Bandingkan dengan:"))
        pick.addWidget(self.other, 1)
        side.addLayout(pick)
        side.addWidget(self.fields, 1)
        side.addWidget(self.message)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(right)
        split.setSizes([380, 820])
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.runner.submit(
            conflict_service.households_in_conflict, on_done=self._show_list, on_error=self._failed
        )

    def _show_list(self, rows: list[conflict_service.ConflictRow]) -> None:
        self.rows = rows
        self.list.setRowCount(len(rows))
        for row, item in enumerate(rows):
            values = (
                item.registration_number or "(draf)",
                item.head_name or "—",
                str(item.versions),
            )
            for column, text in enumerate(values):
                self.list.setItem(row, column, QTableWidgetItem(text))
        if not rows:
            self.heading.setText("Tidak ada keluarga yang berkonflik.")
            self.fields.setRowCount(0)
            self.other.clear()
            self.save.setEnabled(False)

    def choose(self, row: int) -> None:
        self.list.selectRow(row)

    def _chosen(self) -> None:
        selected = self.list.selectionModel().selectedRows()
        if not selected:
            return
        household_id = self.rows[selected[0].row()].household_id
        self.runner.submit(
            conflict_service.versions,
            household_id,
            on_done=self._show_versions,
            on_error=self._failed,
        )

    def _show_versions(self, found) -> None:
        self.winner, self.kept = found
        self.other.blockSignals(True)
        self.other.clear()
        for number, version in enumerate(self.kept, start=1):
            self.other.addItem(f"Versi lain {number}: diubah {local_time(version['updated_at'])}")
        self.other.blockSignals(False)
        self.heading.setText(
            f"Versi yang ditampilkan: diubah {local_time(self.winner['updated_at'])}. "
            "Centang data yang harus diambil dari versi lain, lalu simpan. Semua versi lain "
            "dianggap selesai setelah disimpan."
        )
        self._compare()

    def _compare(self) -> None:
        if self.winner is None or not self.kept:
            return
        other = self.kept[max(self.other.currentIndex(), 0)]
        self.paths = merge.differing_fields(self.winner, other)
        self.fields.setRowCount(len(self.paths))
        for row, path in enumerate(self.paths):
            texts = (
                field_title(path),
                shown_value(path, merge.value_at(self.winner, path)),
                shown_value(path, merge.value_at(other, path)),
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.fields.setItem(row, column, item)
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Unchecked)
            self.fields.setItem(row, 3, tick)
        self.fields.resizeRowsToContents()
        if not self.paths:
            self.message.setText("Kedua versi berisi data yang sama; simpan untuk menutup konflik.")
        else:
            self.message.clear()
        self.save.setEnabled(True)

    def take_other(self, path: str, take: bool = True) -> None:
        row = self.paths.index(path)
        state = Qt.CheckState.Checked if take else Qt.CheckState.Unchecked
        self.fields.item(row, 3).setCheckState(state)

    def chosen_document(self) -> dict:
        other = self.kept[max(self.other.currentIndex(), 0)]
        taken = [
            path
            for row, path in enumerate(self.paths)
            if self.fields.item(row, 3).checkState() == Qt.CheckState.Checked
        ]
        return merge.take_fields(self.winner, other, taken)

    def resolve(self) -> None:
        if self.winner is None:
            return
        self.save.setEnabled(False)
        chosen = self.chosen_document()
        self.runner.submit(
            conflict_service.resolve,
            chosen["household_id"],
            chosen,
            self.officer,
            on_done=self._resolved,
            on_error=self._failed,
        )

    def _resolved(self, doc: dict) -> None:
        message = f"Konflik keluarga {doc.get('registration_number') or '(draf)'} diselesaikan."
        self.message.setText(message)
        self.resolved.emit(message)
        self.winner, self.kept = None, []
        self.reload()

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc, label=self.message)
        self.save.setEnabled(self.winner is not None)
