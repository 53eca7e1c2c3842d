"""Where the keyboard starts in a dialog (issue 16): in its first field, never on a button.

`start_in_first_field(dialog)` puts the buttons of the dialog's button boxes last in the Tab
order (a button box built before the fields would otherwise come first) and, each time the
dialog is shown, gives the focus to the first field: a typed user name lands in *Nama pengguna*,
and a space typed after a Tab cannot press *Batal*.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialogButtonBox,
    QLayout,
    QPushButton,
    QToolButton,
    QWidget,
)


def focus_chain(window: QWidget) -> list[QWidget]:
    """The widgets of `window` that Tab reaches, in Tab order (hidden or disabled ones too).
    A chain cut short (None: a widget of it being deleted, as a test's teardown closes
    windows) ends there."""
    chain: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window and widget not in chain:
        if window.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def first_field(window: QWidget) -> QWidget | None:
    """The first widget Tab reaches that takes input (not a push button), enabled and shown;
    else the first one Tab reaches at all."""
    reachable = [
        w
        for w in focus_chain(window)
        if w.isEnabled() and not w.isHidden() and w.isVisibleTo(window)
    ]
    fields = [w for w in reachable if not isinstance(w, QPushButton | QToolButton)]
    return (fields or reachable or [None])[0]


def _place(layout: QLayout | None, widget: QWidget) -> tuple[QBoxLayout, int] | None:
    """The box layout (nested anywhere in `layout`) holding `widget`, and its index there."""
    if layout is None:
        return None
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is widget and isinstance(layout, QBoxLayout):
            return layout, index
        found = _place(item.layout(), widget)
        if found is not None:
            return found
    return None


def buttons_last(window: QWidget) -> None:
    """Tab order: the fields, then the buttons of the window's button boxes. A widget joins
    the end of the focus chain when it gets its parent (Qt's setTabOrder will not move a button
    out of its box), so each box is taken out of its layout and put back at the same place."""
    for box in window.findChildren(QDialogButtonBox):
        place = _place(window.layout(), box)
        if place is None or focus_chain(window)[-len(box.buttons()) :] == box.buttons():
            continue
        layout, index = place
        hidden = box.isHidden()
        box.setParent(None)  # type: ignore[call-overload]
        layout.insertWidget(index, box)
        box.setHidden(hidden)


class _StartInFirstField(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            event.type() == QEvent.Type.Show
            and not event.spontaneous()  # not when the window comes back from the taskbar
            and isinstance(watched, QWidget)
        ):
            buttons_last(watched)
            field = first_field(watched)
            if field is not None:
                field.setFocus(Qt.FocusReason.TabFocusReason)
        return False


def start_in_first_field(dialog: QWidget) -> None:
    """From now on, each time `dialog` is shown the keyboard starts in its first field (fields
    added after this call count too: the order is settled when it is shown)."""
    dialog.installEventFilter(_StartInFirstField(dialog))
