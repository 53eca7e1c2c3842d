"""The main window's "Administrasi" menu (issue 4): user management, the audit screen and
restoring a backup, each enabled only for roles that may do it."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from app.paths import AppPaths
from app.ui.admin.audit_view import AuditView
from app.ui.admin.officers_dialog import OfficersDialog
from app.ui.admin.restore_dialog import RestoreDialog
from app.ui.host import MenuHost


class AdminMenu(QObject):
    def __init__(self, window: MenuHost, paths: AppPaths | None):
        super().__init__(window.widget())
        self.main = window
        self.paths = paths
        self.dialog: QDialog | None = None  # the screen opened last
        officer = window.officer
        menu = window.menuBar().addMenu("&Administrasi")
        self.officers_action = QAction(
            "Kelola &petugas…", window.widget(), triggered=self.open_officers
        )
        self.audit_action = QAction("&Log audit…", window.widget(), triggered=self.open_audit)
        self.restore_action = QAction(
            "P&ulihkan cadangan…", window.widget(), triggered=self.open_restore
        )
        for action, needs in (
            (self.officers_action, "officer.manage"),
            (self.audit_action, "audit.view"),
            (self.restore_action, "backup.restore"),
        ):
            action.setEnabled(officer is not None and officer.may(needs))
            menu.addAction(action)
        if paths is None:  # the window was made without its home: no backups to offer
            self.restore_action.setEnabled(False)

    def open_officers(self) -> None:
        self._open(OfficersDialog(self.main.runner, self.main.officer, self.main.widget()))

    def open_audit(self) -> None:
        self._open(AuditView(self.main.runner, self.main.officer, self.main.widget()))

    def open_restore(self) -> None:
        self.main.show_list()  # saves the open form's draft first; the restore replaces it
        dialog = RestoreDialog(self.main.runner, self.paths, self.main.officer, self.main.widget())
        dialog.restored.connect(self._restored)
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _restored(self, message: str) -> None:
        self.main.show_list()  # the list and the unsaved-forms banner, from the restored data
        self.main.statusBar().showMessage(message, 15000)
