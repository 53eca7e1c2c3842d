"""Locks the window after minutes without keyboard or mouse input (issues 4 and 16). While
locked, a blank page covers every window of the app (no name, NIK or No. KK stays readable at
an open counter) and the lock dialog blocks them all; the form under the cover is untouched.
Only the logged-in officer's password opens it again; *Ganti petugas* hands the counter to
another officer (`switch_requested`, app/ui/login/session.py).

A window that opens while locked (a message box at the end of a background job, say) is
covered too, and the lock dialog comes back on top of it: what it says is read after the
password, and it waits there unanswered (issue 16)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

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


class Cover(QWidget):
    """A blank page over all of `window` (menus, form, status bar), kept at its size."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background: #dfe3e8; }")
        text = QLabel("Layar terkunci")
        text.setStyleSheet("color: #5f6b7a; font-size: 18pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(text, alignment=Qt.AlignmentFlag.AlignCenter)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False


def coverable(widget: QWidget) -> bool:
    """A window of the app that shows data: not a menu, a tooltip or the lock dialog."""
    return (
        widget.isWindow()
        and widget.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
        and not isinstance(widget, UnlockDialog)
    )


def open_windows() -> list[QWidget]:
    """The app's visible windows (the main window and the dialogs open over it)."""
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and coverable(w)]


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()
    switch_requested = Signal()  # *Ganti petugas* on the lock dialog

    def __init__(
        self, window: QWidget, officer: auth.Officer, minutes: float, clock=time.monotonic
    ):
        super().__init__(window)
        self._window, self._officer, self._clock = window, officer, clock
        self.idle_seconds = minutes * 60
        self.last_input = clock()
        self.dialog: UnlockDialog | None = None
        self.covers: list[Cover] = []
        QApplication.instance().installEventFilter(self)
        self._timer = QTimer(self, interval=CHECK_EVERY_MS, timeout=self.check)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in INPUT_EVENTS and self.dialog is None:
            self.last_input = self._clock()
        elif (
            event.type() == QEvent.Type.Show
            and self.dialog is not None
            and isinstance(watched, QWidget)
            and coverable(watched)
            and not any(c.parentWidget() is watched for c in self.covers)
        ):  # a window opened while locked: covered before it is drawn
            self.covers.append(Cover(watched))
            QTimer.singleShot(0, self._dialog_to_front)  # once it is shown (and modal)
        return False

    def _dialog_to_front(self) -> None:
        """Show the lock dialog again: the newest modal window, it takes the keys and blocks
        the window that just opened under its cover."""
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.show()
            self.dialog.raise_()
            self.dialog.activateWindow()
            self.dialog.password.setFocus()

    def check(self) -> None:
        if self.dialog is None and self._clock() - self.last_input >= self.idle_seconds:
            self.lock()

    def lock(self) -> None:
        popup = QApplication.activePopupWidget()  # an open menu would stay over the cover
        if popup is not None:
            popup.close()
        self.covers = [Cover(w) for w in open_windows()]
        self.dialog = UnlockDialog(self._officer, self._window)
        # application-modal: the dialogs open beside it cannot be used or read either
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.switch_requested.connect(self.switch_requested)
        self.dialog.show()  # not open(): that would make it window-modal
        self.locked.emit()

    def _unlocked(self) -> None:
        self._drop_dialog()
        self.last_input = self._clock()
        self.unlocked.emit()

    def _drop_dialog(self) -> None:
        for cover in self.covers:
            cover.deleteLater()
        self.covers = []
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def stop(self) -> None:
        """The officer's session ends (the window closes): no more locking, no dialog left."""
        self._timer.stop()
        QApplication.instance().removeEventFilter(self)
        if self.dialog is not None:
            self.dialog.hide()  # the covers go with the windows they cover
            self.dialog.deleteLater()
            self.dialog = None
