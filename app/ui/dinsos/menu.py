"""The main window's *Dinsos* menu (issue 19), on a Dinas Sosial installation only. Each item
is one `add` line with the role action it needs (disabled for roles that may not; the services
decide anyway):

- *Ikhtisar kelurahan* / *Daftar keluarga*: between the overview (app/ui/dinsos/overview_page.py,
  the first screen) and the household list;
- *Permintaan pemadanan…*: the request file for Dukcapil or Bapenda (request_dialog.py);
- *Impor hasil pemadanan…* and *Impor hasil SIKS-NG…*: the one result-import dialog
  (result_import_dialog.py) given each source's service (app/services/pemadanan.py,
  app/services/outcomes.py);
- *Daftar sasaran tetap…*: target_list_dialog.py over app/services/target_lists.py;
- *Data ganda antar kelurahan…*: duplicates_dialog.py over app/services/cross_duplicates.py;
- *Kirim paket ke semua kelurahan…*: return_dialog.py over app/services/sync/returns.py (as
  `bundle export --all-kelurahan`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

from app.services import installation, outcomes, pemadanan
from app.ui.dinsos.duplicates_dialog import CrossDuplicatesDialog
from app.ui.dinsos.request_dialog import RequestDialog
from app.ui.dinsos.result_import_dialog import ResultImportDialog
from app.ui.dinsos.return_dialog import ReturnDialog
from app.ui.dinsos.target_list_dialog import TargetListDialog
from app.ui.host import MenuHost

NOT_YET = "Belum tersedia di versi ini."


class DinsosMenu(QObject):
    def __init__(self, window: MenuHost):
        super().__init__(window.widget())
        self.main = window
        self.dialog: QDialog | None = None  # the screen opened last
        self.menu: QMenu = window.menuBar().addMenu("&Dinsos")
        self.overview_action = self.add("&Ikhtisar kelurahan", self.show_overview,
                                        "dinsos.overview")  # fmt: skip
        self.list_action = self.add("Daftar &keluarga", self.show_list, None)
        self.menu.addSeparator()
        self.request_action = self.add(
            "Permintaan pe&madanan…", self.open_request, "export.personal"
        )
        self.pemadanan_action = self.add(
            "Impor hasil &pemadanan…", self.open_pemadanan, "pemadanan.import"
        )
        self.outcomes_action = self.add(
            "Impor hasil &SIKS-NG…", self.open_outcomes, "dinsos.status"
        )
        self.menu.addSeparator()
        self.target_list_action = self.add(
            "Daftar sasaran &tetap…", self.open_target_list, "target_list.manage"
        )
        self.duplicates_action = self.add(
            "Data &ganda antar kelurahan…", self.open_duplicates, "duplicates.cross"
        )
        self.menu.addSeparator()
        self.return_action = self.add(
            "Ki&rim paket ke semua kelurahan…", self.open_returns, "bundle.export"
        )

    def add(self, text: str, slot: Callable[[], None] | None, needs: str | None) -> QAction:
        """A menu item, enabled for the officers whose role may do `needs`; without a slot, a
        disabled item that says it is not there yet (for a screen still to come)."""
        action = QAction(text, self.main.widget())
        officer = self.main.officer
        if slot is None:
            action.setEnabled(False)
            action.setToolTip(NOT_YET)
            action.setStatusTip(NOT_YET)
        else:
            action.triggered.connect(slot)
            action.setEnabled(officer is not None and (needs is None or officer.may(needs)))
        self.menu.addAction(action)
        return action

    # --- pages --------------------------------------------------------------------------------

    def overview_page(self) -> Any:
        return getattr(self.main, "dinsos_overview", None)

    def show_overview(self) -> None:
        page = self.overview_page()
        if page is None:
            return
        self.main.show_list()  # saves the open form's draft first
        pages = getattr(self.main, "pages", None)
        if pages is not None:
            pages.setCurrentWidget(page)
        page.reload()
        page.search.setFocus()

    def show_list(self) -> None:
        self.main.show_list()

    def _changed(self, message: str) -> None:
        """Something was applied: the list and the overview show it."""
        self.main.refresh_list()
        page = self.overview_page()
        if page is not None and page.isVisible():
            page.reload()
        self.main.statusBar().showMessage(message, 15000)

    # --- dialogs ------------------------------------------------------------------------------

    def open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def open_request(self) -> None:
        dialog = RequestDialog(self.main.runner, self.main.officer,
                               getattr(self.main, "paths", None), self.main.widget())  # fmt: skip
        dialog.saved.connect(lambda text: self.main.statusBar().showMessage(text, 15000))
        self.open(dialog)

    def open_pemadanan(self) -> None:
        self.open_results("Impor hasil pemadanan", pemadanan, pemadanan.names)

    def open_outcomes(self) -> None:
        self.open_results("Impor hasil SIKS-NG", outcomes, outcomes.names)

    def open_results(self, title: str, service: Any, names: Callable[[], list[str]]) -> None:
        """The result-import dialog over a service with `preview`, `apply` and `COUNTS`."""
        dialog = ResultImportDialog(
            self.main.runner,
            self.main.officer,
            title=title,
            preview=service.preview,
            apply=service.apply,
            profile_names=names,
            counts=service.COUNTS,
            remember=service.remember_profile,
            parent=self.main.widget(),
        )
        dialog.applied.connect(self._changed)
        self.open(dialog)

    def open_target_list(self) -> None:
        self.open(TargetListDialog(self.main.runner, self.main.officer, self.main.widget()))

    def open_duplicates(self) -> None:
        self.open(
            CrossDuplicatesDialog(self.main.widget(), self.main.officer, runner=self.main.runner)
        )

    def open_returns(self) -> None:
        dialog = ReturnDialog(self.main.runner, self.main.officer,
                              getattr(self.main, "paths", None), self.main.widget())  # fmt: skip
        dialog.written.connect(lambda text: self.main.statusBar().showMessage(text, 15000))
        self.open(dialog)


def install(window: MenuHost) -> DinsosMenu | None:
    """The *Dinsos* menu on a Dinas Sosial installation (app/ui/main_window.py calls this once
    while it builds its menus); None on a kelurahan installation."""
    return DinsosMenu(window) if installation.is_dinsos() else None
