"""The officer's session in the main window (issue 16): the idle lock, *Ganti petugas* on the
lock and *Keluar akun* in the Berkas menu. Both of the last end the session: `ended` is
emitted, and the application (app/ui/application.py `Counter`) closes this window (its form is
autosaved first) and shows the login dialog for whoever comes next."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.services import auth, installation
from app.ui.login.idle_lock import IdleLock

LOG_OUT_TEXT = "Ke&luar akun"


class Session(QObject):
    ended = Signal()

    def __init__(self, window: QMainWindow, officer: auth.Officer):
        super().__init__(window)
        self.window = window
        self.officer = officer
        self.idle_lock = IdleLock(window, officer, installation.idle_lock_minutes())
        self.idle_lock.switch_requested.connect(self.end)
        self.log_out_action = QAction(LOG_OUT_TEXT, window, triggered=self.end)
        self.log_out_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self._add_to_menu()

    def _add_to_menu(self) -> None:
        """Above *Keluar* in the Berkas menu (app/ui/household/menu.py keeps its actions by
        the name of their slot: the window's `close`); else at the end of the first menu."""
        file_menu = getattr(self.window, "file_menu", None)
        quit_action = getattr(file_menu, "actions", {}).get("close")
        for menu in self.window.menuBar().findChildren(QMenu):
            if quit_action is not None and quit_action in menu.actions():
                menu.insertAction(quit_action, self.log_out_action)
                return
        menus = [a.menu() for a in self.window.menuBar().actions() if a.menu() is not None]
        if menus:
            menus[0].addAction(self.log_out_action)

    def end(self) -> None:
        """*Keluar akun* / *Ganti petugas*: no more locking; the application takes over."""
        self.idle_lock.stop()
        self.ended.emit()
