"""When the household form colours a required answer that is still empty (issue 16): not on a
new, empty form before the officer has typed anything. A field is coloured once the officer
has left it (Tab, a click elsewhere), or for every field after *Simpan final* was asked for;
the check panel lists the missing answers all along, and every other finding (an invalid NIK,
an exclusion) is coloured at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, SignalInstance
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QWidget

from app.rules.completeness import RULE as ANSWER_MISSING

# the officer leaves a field by Tab, a click or a key that jumps (Ctrl+PgDn); a drop-down's
# own list, another window or the program moving the cursor (a new form) are not leaving it
LEFT_BY = (
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.MouseFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)


class MembersFields(Protocol):
    fields: dict[str, QWidget]

    def current_index(self) -> int: ...


class MissingAnswers(QObject):
    def __init__(
        self,
        fields: dict[str, QWidget],
        members: MembersFields,
        save_requested: SignalInstance,
        refresh: Callable[[], None],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._members = members
        self._member_widgets = set(members.fields.values())
        self._refresh = refresh
        self._left: set[tuple[QWidget, int]] = set()  # (field, member shown) left so far
        self._all = False  # a final save was asked for
        for widget in (*fields.values(), *members.fields.values()):
            widget.installEventFilter(self)
        save_requested.connect(self._save_requested)

    def reset(self) -> None:
        """Another household is shown: nothing has been left on it yet."""
        self._left.clear()
        self._all = False

    def shows(self, rule: str, widget: QWidget) -> bool:
        """Whether a finding of `rule` is coloured on `widget` now."""
        return rule != ANSWER_MISSING or self._all or self._key(widget) in self._left

    def _key(self, widget: QWidget) -> tuple[QWidget, int]:
        return widget, self._members.current_index() if widget in self._member_widgets else -1

    def _save_requested(self, final: bool) -> None:
        if final and not self._all:
            self._all = True
            self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason() in LEFT_BY
            and isinstance(watched, QWidget)
        ):
            key = self._key(watched)
            if key not in self._left:
                self._left.add(key)
                self._refresh()
        return False
