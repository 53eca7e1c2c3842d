"""The decision keys of the agenda table (app/ui/musyawarah/meeting_screen.py): L = layak,
T = tidak miskin (asks the reason), D = tunda, Backspace takes the decision back, Enter moves
to the next row. Keys with Alt, Ctrl or Shift are left to the window."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from app.core import musyawarah as words

KEYS = {Qt.Key.Key_L: words.ELIGIBLE, Qt.Key.Key_D: words.POSTPONE}


class Deciding(Protocol):
    def decide_current(self, decision: str, reason: str | None = None) -> None: ...

    def ask_not_poor(self) -> None: ...

    def undecide_current(self) -> None: ...

    def next_row(self) -> None: ...


class DecisionKeys(QObject):
    def __init__(self, screen: QObject):
        super().__init__(screen)
        self.screen: Deciding = screen  # type: ignore[assignment]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Alt, Ctrl, Shift+Tab: the window's
        key = Qt.Key(event.key())
        if key in KEYS:
            self.screen.decide_current(KEYS[key])
        elif key == Qt.Key.Key_T:
            self.screen.ask_not_poor()
        elif key == Qt.Key.Key_Backspace:
            self.screen.undecide_current()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.screen.next_row()
        else:
            return False
        return True
