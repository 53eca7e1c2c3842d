"""The About dialog names the version and the licence of every bundled component."""

from __future__ import annotations

from app import __version__
from app.core import about


def test_about_lists_the_version_and_the_licences(qtbot, window):
    about_action = next(
        a for menu in window.menuBar().actions() for a in menu.menu().actions()
        if a.text() == "&Tentang Loket DTKS"
    )  # fmt: skip
    about_action.trigger()
    dialog = window.help_menu.dialog
    assert dialog.isVisible() and __version__ in dialog.windowTitle()
    shown = {dialog.table.item(r, 0).text(): dialog.table.item(r, 2).text()
             for r in range(dialog.table.rowCount())}  # fmt: skip
    assert shown["ReportLab"] == "BSD-3-Clause"
    assert "LGPL-3.0" in shown["Qt for Python (PySide6-Essentials, PySide6-Pdf)"]
    assert dialog.table.item(0, 1).text() == about.version_of("PySide6-Essentials") != ""
    assert not window.windowIcon().isNull()
