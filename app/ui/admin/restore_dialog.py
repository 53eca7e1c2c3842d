"""Restore a backup (issue 4). Choosing a backup shows which households the restore would lose
or set back (changed after the backup, or not in it); the restore button works only after the
officer ticks that they understand. The current database is kept as a backup first. Reading and
restoring go through the window's runner; `restored` tells the window to reload."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.paths import AppPaths
from app.services import auth, backups
from app.services import restore as restore_service
from app.services.restore import LostHousehold
from app.ui.errors import error_label, show_error
from app.ui.household.list_model import local_time
from app.ui.runner import Runner
from app.ui.widgets.focus import start_in_first_field
from app.ui.widgets.tables import choice_table

COLUMNS = ("Waktu cadangan", "Jenis", "Jumlah keluarga")
SHOWN_LOSSES = 200


class RestoreDialog(QDialog):
    restored = Signal(str)  # a message for the status bar

    def __init__(
        self,
        runner: Runner,
        paths: AppPaths,
        officer: auth.Officer | None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        auth.require(officer, "backup.restore")
        self.runner = runner
        self.paths = paths
        self.officer = officer
        self.backups: list[backups.Backup] = []
        self.lost: list[LostHousehold] | None = None  # for the chosen backup, once read
        self.setWindowTitle(f"Pulihkan cadangan — {APP_NAME}")
        self.resize(760, 560)

        self.table = choice_table(COLUMNS)
        self.table.itemSelectionChanged.connect(self._chosen)

        self.loss_summary = QLabel("Pilih cadangan yang akan dipulihkan.")
        self.loss_summary.setWordWrap(True)
        self.loss_list = QListWidget()
        self.understood = QCheckBox()
        self.understood.setVisible(False)
        self.understood.toggled.connect(self._update_button)
        self.error = error_label()
        self.restore_button = QPushButton("&Pulihkan")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        cancel = QPushButton("&Batal")
        cancel.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Cadangan yang tersedia (terbaru di atas):"))
        layout.addWidget(self.table, 2)
        layout.addWidget(self.loss_summary)
        layout.addWidget(self.loss_list, 1)
        layout.addWidget(self.understood)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        start_in_first_field(self)  # the list of backups
        self.runner.submit(
            restore_service.available_backups,
            paths,
            officer,
            on_done=self._show_backups,
            on_error=self._failed,
        )

    # --- choosing -----------------------------------------------------------------------------

    def _show_backups(self, found: list[backups.Backup]) -> None:
        self.backups = found
        self.table.setRowCount(len(found))
        for row, backup in enumerate(found):
            values = (
                f"{backup.taken_at:%d-%m-%Y %H:%M:%S}",
                restore_service.reason_label(backup.reason),
                f"{backup.households:,}".replace(",", "."),
            )
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if not found:
            self.loss_summary.setText("Belum ada cadangan.")

    def chosen(self) -> backups.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def choose(self, row: int) -> None:
        self.table.selectRow(row)

    def _chosen(self) -> None:
        self.lost = None
        self.loss_list.clear()
        self.understood.setChecked(False)
        self.understood.setVisible(False)
        self.error.clear()
        self._update_button()
        backup = self.chosen()
        if backup is None:
            return
        self.loss_summary.setText("Memeriksa apa yang akan hilang…")
        self.runner.submit(
            restore_service.what_would_be_lost,
            backup.path,
            self.officer,
            on_done=lambda lost, path=backup.path: self._show_loss(path, lost),
            on_error=self._failed,
        )

    def _show_loss(self, path: Path, lost: list[LostHousehold]) -> None:
        backup = self.chosen()
        if backup is None or backup.path != path:  # another backup was chosen meanwhile
            return
        self.lost = lost
        when = f"{backup.taken_at:%d-%m-%Y %H:%M}"
        if lost:
            self.loss_summary.setText(
                f"Memulihkan cadangan {when} akan menghilangkan atau mengembalikan ke versi "
                f"lama {len(lost)} keluarga yang diubah atau ditambahkan sesudahnya:"
            )
            for item in lost[:SHOWN_LOSSES]:
                number = item.registration_number or "(draf, belum bernomor)"
                self.loss_list.addItem(f"{number} — diubah {local_time(item.updated_at)}")
            if len(lost) > SHOWN_LOSSES:
                self.loss_list.addItem(f"… dan {len(lost) - SHOWN_LOSSES} keluarga lainnya")
            self.understood.setText(
                f"&Saya mengerti: {len(lost)} keluarga di atas hilang dari basis data "
                "(basis data sekarang tetap disimpan sebagai cadangan 'Sebelum pemulihan')."
            )
        else:
            self.loss_summary.setText(
                f"Tidak ada keluarga yang diubah sesudah cadangan {when}; tidak ada data "
                "keluarga yang hilang."
            )
            self.understood.setText("&Ganti basis data dengan cadangan ini.")
        self.understood.setVisible(True)
        self._update_button()

    def _update_button(self) -> None:
        self.restore_button.setEnabled(self.lost is not None and self.understood.isChecked())

    # --- restoring ----------------------------------------------------------------------------

    def restore(self) -> None:
        backup = self.chosen()
        if backup is None or self.lost is None or not self.understood.isChecked():
            return
        self.restore_button.setEnabled(False)
        self.table.setEnabled(False)
        self.loss_summary.setText("Memulihkan…")
        self.runner.submit(
            restore_service.restore_backup,
            self.paths,
            backup.path,
            self.officer,
            on_done=lambda safety: self._restored(backup, safety),
            on_error=self._failed,
        )

    def _restored(self, backup: backups.Backup, safety: backups.Backup) -> None:
        self.restored.emit(
            f"Cadangan {backup.taken_at:%d-%m-%Y %H:%M} dipulihkan; basis data sebelumnya "
            f"disimpan sebagai {safety.path.name}."
        )
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.table.setEnabled(True)
        self._update_button()
        show_error(self, exc, label=self.error)
