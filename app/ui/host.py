"""What a menu needs of the window that holds it (issue 13): the menus are built by the main
window, so they name this protocol instead of importing the window (no import circle)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenuBar, QStatusBar, QWidget

from app.services.actions import Officer
from app.ui.runner import Runner


class MenuHost(Protocol):
    runner: Runner
    officer: Officer

    def show_list(self) -> None: ...

    def refresh_list(self) -> None: ...

    def menuBar(self) -> QMenuBar: ...  # noqa: N802 (Qt API)

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt API)

    def widget(self) -> QWidget:
        """The window, as the parent of the dialogs a menu opens."""
        ...
