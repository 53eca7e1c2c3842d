"""The main window's "Sinkronisasi" menu (issue 6): take bundles in, send them, acknowledge,
resolve conflicts, see the sync state and manage keys; each enabled for the roles that may."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from app.paths import AppPaths
from app.ui.host import MenuHost
from app.ui.sync.conflict_dialog import ConflictDialog
from app.ui.sync.dialogs import ExportDialog, SyncStatusDialog
from app.ui.sync.import_dialog import ImportDialog
from app.ui.sync.keys_dialog import KeysDialog


class SyncMenu(QObject):
    def __init__(self, window: MenuHost, paths: AppPaths | None):
        super().__init__(window.widget())
        self.main = window
        self.paths = paths
        self.dialog: QDialog | None = None  # the screen opened last
        officer = window.officer
        menu = window.menuBar().addMenu("S&inkronisasi")
        self.import_action = QAction("&Terima paket…", window.widget(), triggered=self.open_import)
        self.export_action = QAction("&Kirim paket…", window.widget(), triggered=self.open_export)
        self.ack_action = QAction(
            "Kirim k&onfirmasi penerimaan…", window.widget(), triggered=self.open_ack
        )
        self.conflict_action = QAction(
            "Konflik &data…", window.widget(), triggered=self.open_conflicts
        )
        self.status_action = QAction(
            "&Status sinkronisasi…", window.widget(), triggered=self.open_status
        )
        self.keys_action = QAction("K&unci dan mitra…", window.widget(), triggered=self.open_keys)
        for action, needs in (
            (self.import_action, "bundle.import"),
            (self.export_action, "bundle.export"),
            (self.ack_action, "bundle.import"),
            (self.conflict_action, "conflict.resolve"),
            (self.status_action, None),
            (self.keys_action, None),
        ):
            action.setEnabled(officer is not None and (needs is None or officer.may(needs)))
            menu.addAction(action)
        if paths is None:  # the window was made without its home: imports need its backups
            self.import_action.setEnabled(False)

    def open_import(self) -> None:
        self.main.show_list()  # saves the open form's draft first
        dialog = ImportDialog(self.main.runner, self.paths, self.main.officer, self.main.widget())
        dialog.imported.connect(self._changed)
        self._open(dialog)

    def open_export(self) -> None:
        dialog = ExportDialog(self.main.runner, self.main.officer, parent=self.main.widget())
        dialog.exported.connect(self._message)
        self._open(dialog)

    def open_ack(self) -> None:
        dialog = ExportDialog(
            self.main.runner, self.main.officer, ack=True, parent=self.main.widget()
        )
        dialog.exported.connect(self._message)
        self._open(dialog)

    def open_conflicts(self) -> None:
        self.main.show_list()
        dialog = ConflictDialog(self.main.runner, self.main.officer, self.main.widget())
        dialog.resolved.connect(self._changed)
        self._open(dialog)

    def open_status(self) -> None:
        self._open(
            SyncStatusDialog(self.main.runner, self.main.widget(), officer=self.main.officer)
        )

    def open_keys(self) -> None:
        self._open(KeysDialog(self.main.runner, self.main.officer, self.main.widget()))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _changed(self, message: str) -> None:
        self.main.refresh_list()
        self._message(message)

    def _message(self, message: str) -> None:
        self.main.statusBar().showMessage(message, 15000)
