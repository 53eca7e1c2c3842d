"""GUI entry point: QApplication, first-start kelurahan choice, main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog

from app import APP_NAME, __version__, auth, backups, services
from app.paths import AppPaths
from app.ui.login_dialogs import FirstAdminDialog, LoginDialog
from app.ui.main_window import MainWindow
from app.ui.runner import Runner
from app.ui.village_picker import VillagePicker


def ensure_village() -> bool:
    """Ask which kelurahan this installation serves, once. False when the user cancels."""
    if services.village_code() is not None:
        return True
    picker = VillagePicker(services.villages())
    if picker.exec() != QDialog.DialogCode.Accepted or not picker.selected_code():
        return False
    services.set_village(picker.selected_code())
    return True


def log_in() -> auth.Officer | None:
    """First start: create the admin account; afterwards: the login dialog."""
    if not auth.has_officers():
        first = FirstAdminDialog()
        return first.officer if first.exec() == QDialog.DialogCode.Accepted else None
    village = services.current_village()
    dialog = LoginDialog(village.name if village else "")
    return dialog.officer if dialog.exec() == QDialog.DialogCode.Accepted else None


def create_main_window(
    runner: Runner | None = None, officer: auth.Officer | None = None
) -> MainWindow:
    return MainWindow(runner or Runner(), officer)


def run_gui(paths: AppPaths) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    services.open_store(paths)
    backups.daily_backup(paths)
    if not ensure_village():
        return 1
    officer = log_in()
    if officer is None:
        return 1
    window = create_main_window(officer=officer)
    window.show()
    return app.exec()
