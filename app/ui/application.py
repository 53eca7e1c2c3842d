"""GUI entry point: QApplication, login (or first-start set-up), kelurahan choice, main window."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app import APP_NAME, __version__
from app.core.errors import UserError
from app.paths import AppPaths
from app.services import auth, backups, installation
from app.ui.dinsos.area_dialog import DinsosAreaDialog
from app.ui.errors import excepthook, show_error
from app.ui.login.dialogs import (
    EncryptLegacyDialog,
    FirstAdminDialog,
    LoginDialog,
    NextOfficerLoginDialog,
    RecoveryKeyDialog,
)
from app.ui.main_window import MainWindow
from app.ui.runner import Runner
from app.ui.widgets.village_picker import VillagePicker


def ensure_village(officer: auth.Officer) -> bool:
    """Ask which kelurahan this installation serves, once. False when the user cancels."""
    if installation.village_code() is not None:
        return True
    if installation.is_dinsos():
        return True
    while True:
        picker = VillagePicker(installation.villages())
        if picker.exec() != QDialog.DialogCode.Accepted:
            return False
        if picker.wants_dinsos:  # issue 19: a Dinas Sosial serves an area (app/ui/dinsos)
            area = DinsosAreaDialog(installation.kota_codes())
            if area.exec() == QDialog.DialogCode.Accepted:
                installation.set_dinsos(area.kota_code(), officer)
                return True
            continue
        if not picker.selected_code():
            return False
        installation.set_village(picker.selected_code(), officer)
        return True


RECOVERY_LOST = (
    "Penyiapan atau enkripsi basis data terhenti (listrik padam?) sebelum kunci pemulihan "
    "ditampilkan, jadi basis data ini belum punya kunci pemulihan di kertas.\n\n"
    "Buat sekarang: Administrasi › Kelola petugas… › Ganti kunci basis data."
)


def log_in(paths: AppPaths) -> auth.Officer | None:
    """Open the encrypted database: the login dialog; on first start the admin account (and
    the recovery key to keep); for an old plain database, the admin's login encrypts it."""
    if auth.is_set_up(paths):
        dialog = LoginDialog(paths)
    elif auth.needs_encryption(paths):
        dialog = EncryptLegacyDialog(paths)
    else:
        dialog = FirstAdminDialog(paths)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if dialog.recovery_key:  # a new database key: the supervisor must keep it
        RecoveryKeyDialog(dialog.recovery_key).exec()
    elif dialog.officer is not None and auth.recovery_key_lost(paths, dialog.officer):
        QMessageBox.warning(None, f"Kunci pemulihan — {APP_NAME}", RECOVERY_LOST)
    return dialog.officer


def create_main_window(
    officer: auth.Officer,
    runner: Runner | None = None,
    paths: AppPaths | None = None,
) -> MainWindow:
    return MainWindow(runner or Runner(), officer, paths=paths)


class Counter:
    """The main window of the officer logged in at this counter. *Keluar akun* and *Ganti
    petugas* (app/ui/login/session.py) end the session: the login dialog opens, then this
    window closes (its form autosaved, its jobs finished); whoever logs in gets a new window
    with their own role. Cancelling that login asks "Keluar dari aplikasi?": *Ya* quits the
    app (`quit`), *Tidak* stays on the login."""

    def __init__(
        self,
        paths: AppPaths,
        runner: Callable[[], Runner] = Runner,
        quit: Callable[[], None] = QApplication.quit,  # noqa: A002 (what it does)
    ):
        self.paths = paths
        self._runner = runner
        self._quit = quit
        self.window: MainWindow | None = None
        self.login: NextOfficerLoginDialog | None = None

    def open(self, officer: auth.Officer) -> MainWindow:
        window = create_main_window(officer, self._runner(), self.paths)
        if window.session is not None:
            window.session.ended.connect(self.end_session)
        self.window = window
        # maximised: on a 1366×768 counter screen the status bar (autosave, officer) shows;
        # where the window manager does not maximise, its own size stays under 1366×700
        window.showMaximized()
        return window

    def end_session(self) -> None:
        old, self.window = self.window, None
        login = NextOfficerLoginDialog(self.paths)
        login.accepted.connect(lambda: self._logged_in(login))
        login.quit_requested.connect(self._quit)
        self.login = login
        login.show()  # first: the app goes on when the old window closes
        if old is not None:
            old.close()
            old.deleteLater()

    def _logged_in(self, login: NextOfficerLoginDialog) -> None:
        self.login = None
        if login.officer is not None:
            self.open(login.officer)
        login.deleteLater()


def show_main_window(officer: auth.Officer, paths: AppPaths) -> MainWindow:
    """Open the real main window, its jobs run inline, and paint it once (the self-test's proof
    that Qt and its plugins work in this build). The caller closes it."""
    app = QApplication.instance() or QApplication(sys.argv)
    window = create_main_window(officer, Runner(synchronous=True), paths)
    window.show()
    app.processEvents()
    return window


def run_gui(paths: AppPaths) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    paths.ensure()
    with excepthook(paths.home):  # an error escaping a slot is logged and shown, not lost
        officer = log_in(paths)
        if officer is None:
            return 1
        try:
            backups.daily_backup(paths)
        except UserError as exc:  # e.g. a full disk: say so, and the counter still opens
            show_error(None, exc, home=paths.home)
        if not ensure_village(officer):
            return 1
        counter = Counter(paths)  # holds the window while the app runs
        counter.open(officer)
        return app.exec()
