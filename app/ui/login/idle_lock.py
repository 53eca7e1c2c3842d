"""Locks the window after minutes without keyboard or mouse input (issue 4). The form under
the lock is untouched; only the logged-in officer's password opens it again."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from app.services import auth
from app.ui.login.dialogs import UnlockDialog

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    }
)
CHECK_EVERY_MS = 10_000


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    def __init__(
        self, window: QWidget, officer: auth.Officer, minutes: float, clock=time.monotonic
    ):
        super().__init__(window)
        self._window, self._officer, self._clock = window, officer, clock
        self.idle_seconds = minutes * 60
        self.last_input = clock()
        self.dialog: UnlockDialog | None = None
        QApplication.instance().installEventFilter(self)
        self._timer = QTimer(self, interval=CHECK_EVERY_MS, timeout=self.check)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in INPUT_EVENTS and self.dialog is None:
            self.last_input = self._clock()
        return False

    def check(self) -> None:
        if self.dialog is None and self._clock() - self.last_input >= self.idle_seconds:
            self.lock()

    def lock(self) -> None:
        self.dialog = UnlockDialog(self._officer, self._window)
        self.dialog.setModal(True)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.open()
        self.locked.emit()

    def _unlocked(self) -> None:
        self.dialog.deleteLater()
        self.dialog = None
        self.last_input = self._clock()
        self.unlocked.emit()
