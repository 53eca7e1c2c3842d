"""Questions to the user (issue 16): one place for a yes/no box.

The button that does something that cannot be undone (discard a form, close an account, quit)
is never the default: Enter and Esc answer the safe way. PySide6 ships no Indonesian
translation of Qt (no qtbase_id.qm), so the standard buttons' texts are set here, each with
its Alt key.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

Std = QMessageBox.StandardButton
STANDARD_TEXTS = {
    Std.Ok: "&OK",
    Std.Yes: "&Ya",
    Std.No: "&Tidak",
    Std.Cancel: "&Batal",
    Std.Save: "&Simpan",
    Std.Close: "&Tutup",
    Std.Open: "&Buka",
    Std.Discard: "B&uang",
    Std.Apply: "&Terapkan",
    Std.Retry: "&Coba lagi",
    Std.Ignore: "&Abaikan",
    Std.Abort: "&Hentikan",
    Std.Help: "B&antuan",
}
# the standard texts Qt shows untranslated: none may be visible (tests/test_gui_focus.py)
ENGLISH = frozenset(
    {"Yes", "No", "Cancel", "Save", "Close", "Open", "Discard", "Apply", "Retry", "Ignore"}
    | {"Abort", "Help", "&Yes", "&No", "&Cancel", "&Save", "&Close", "&Open", "&Discard"}
)


def indonesian(box: QMessageBox | QDialogButtonBox) -> None:
    """Give every standard button of `box` its Indonesian text."""
    for code, text in STANDARD_TEXTS.items():
        button = box.button(code)  # type: ignore[arg-type]
        if button is not None:
            button.setText(text)


def question(
    parent: QWidget | None,
    title: str,
    text: str,
    action: str,
    *,
    back: str = "&Batal",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> QMessageBox:
    """A question whose Yes button (labelled `action`) does what cannot be undone: the No
    button (labelled `back`) is the default and Esc."""
    box = QMessageBox(icon, title, text, Std.Yes | Std.No, parent)
    indonesian(box)
    box.button(Std.Yes).setText(action)
    box.button(Std.No).setText(back)
    box.setDefaultButton(Std.No)
    box.setEscapeButton(Std.No)
    return box


def ask(
    parent: QWidget,
    title: str,
    text: str,
    action: str,
    then: Callable[[], None],
    *,
    back: str = "&Batal",
) -> QMessageBox:
    """Open `question` window-modal (no nested event loop); `then()` runs only when the user
    chose `action`. Returns the open box."""
    box = question(parent, title, text, action, back=back)

    def answered(button: object) -> None:
        if button is box.button(Std.Yes):
            then()

    box.buttonClicked.connect(answered)
    box.open()
    return box


def confirm(parent: QWidget | None, title: str, text: str, action: str, back: str) -> bool:
    """`question`, waiting for the answer (before any window is open): True for `action`."""
    return question(parent, title, text, action, back=back).exec() == Std.Yes
