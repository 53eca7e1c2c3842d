"""The main window's *Laporan & ekspor* menu (issue 18). Each item is one `add` line with the
role action it needs (disabled for roles that may not; the services decide anyway):

- *Ekspor daftar…* (`export.personal`): app/ui/reports/export_dialog.py;
- recaps and working lists (*Ringkasan*, *Rekap…*, *Daftar kerja…*): added in `__init__`
  below the marked line, each opening its dialog through `open`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

from app.ui.host import MenuHost
from app.ui.reports.export_dialog import ExportListDialog
from app.ui.reports.summary import SummaryDialog


class ReportsMenu(QObject):
    def __init__(self, window: MenuHost):
        super().__init__(window.widget())
        self.main = window
        self.dialog: QDialog | None = None  # the screen opened last
        self.menu: QMenu = window.menuBar().addMenu("&Laporan && ekspor")
        self.export_action = self.add("&Ekspor daftar…", self.open_export, "export.personal")
        # --- recaps and working lists (issue 18): add their items here, e.g.
        # self.recap_action = self.add("&Ringkasan…", self.open_recap, "report.recap")
        self.recap_action = self.add(
            "&Ringkasan, rekap dan daftar kerja…", self.open_recap, "report.recap"
        )

    def add(self, text: str, slot: Callable[[], None], needs: str | None) -> QAction:
        """A menu item, enabled for the officers whose role may do `needs`."""
        action = QAction(text, self.main.widget(), triggered=slot)
        officer = self.main.officer
        action.setEnabled(officer is not None and (needs is None or officer.may(needs)))
        self.menu.addAction(action)
        return action

    def open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def message(self, text: str) -> None:
        self.main.statusBar().showMessage(text, 15000)

    def open_export(self) -> None:
        dialog = ExportListDialog(self.main.runner, self.main.officer, self.main.widget())
        dialog.exported.connect(self.message)
        self.open(dialog)

    def open_recap(self) -> None:
        self.open(SummaryDialog(self.main.runner, self.main.officer, self.main.widget()))
