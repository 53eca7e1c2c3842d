"""Fewer keys for the same answers (issue 16): a list of checkboxes answered by typing, and a
line edit that completes a value already typed elsewhere in the same household.

Both only move the cursor or fill text the officer can see and change; neither decides an
answer the officer did not give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication

from app.ui.widgets.choice_search import MIN_SEARCH_PAUSE_MS, best_match
from app.ui.widgets.fields import TextField


class CheckboxTypeAhead(QObject):
    """Typing letters on one of `boxes` moves the cursor to the box whose label they pick (the
    drop-downs' search, `best_match`: the label's start first, then a word in it); Space
    toggles it as usual. The same single letter again moves on to the next box starting with
    it (S: Sepeda motor, Sepeda, Smartphone). The search starts over after a pause."""

    def __init__(self, boxes: Sequence[QAbstractButton], parent: QObject | None = None):
        super().__init__(parent)
        self.boxes = list(boxes)
        self._search = ""
        self._pause = QTimer(self, singleShot=True)
        self._pause.setInterval(max(QApplication.keyboardInputInterval(), MIN_SEARCH_PAUSE_MS))
        self._pause.timeout.connect(self._restart)
        for box in self.boxes:
            box.installEventFilter(self)

    def _restart(self) -> None:
        self._search = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or watched not in self.boxes:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        text = event.text()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if modifiers != Qt.KeyboardModifier.NoModifier or not text or not text.isalnum():
            return super().eventFilter(watched, event)  # Space, Tab, arrows: as usual
        self._pause.start()
        current = self.boxes.index(watched)  # type: ignore[arg-type]
        labels = [box.text().replace("&", "") for box in self.boxes]
        if self._search.casefold() == text.casefold() * len(self._search):
            self._search = text  # the same letter again: the next box starting with it
            starting = [
                i for i, label in enumerate(labels) if label.casefold().startswith(text.casefold())
            ]
            later = [i for i in starting if i > current] or starting
            target = later[0] if later else None
        else:
            self._search += text
            target = best_match(list(enumerate(labels)), self._search)
        if target is not None:
            self.boxes[target].setFocus(Qt.FocusReason.OtherFocusReason)
        return True


class InlineCompletion(QObject):
    """While the officer types in `edit`, a value that starts with the text typed (one of
    `values()`, e.g. the birth places of the other members) is completed inline: the rest is
    shown selected, Tab keeps it, typing on replaces it, Backspace removes it."""

    def __init__(self, edit: TextField, values: Callable[[], list[str]]):
        super().__init__(edit)
        self.edit = edit
        self.values = values
        self._deleting = False  # the last key removed text: no completion then
        edit.installEventFilter(self)
        edit.textEdited.connect(self._complete)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            self._deleting = event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
        return super().eventFilter(watched, event)

    def _complete(self, text: str) -> None:
        if self._deleting or not text or self.edit.cursorPosition() != len(text):
            return
        folded = text.casefold()
        for value in self.values():
            if value.casefold().startswith(folded) and len(value) > len(text):
                self.edit.setText(text + value[len(text) :])
                self.edit.setSelection(len(text), len(value) - len(text))
                self.edit.edited.emit()  # the completed text is the value now
                return
