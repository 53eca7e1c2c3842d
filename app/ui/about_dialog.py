"""Tentang Loket DTKS: version, purpose, and the licences of the bundled components; the
main window's "Bantuan" menu that opens it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import about
from app.paths import resource
from app.ui.host import MenuHost
from app.ui.shortcuts_dialog import ShortcutsDialog
from app.ui.widgets.focus import start_in_first_field


def app_icon() -> QIcon:
    return QIcon(str(resource("icons", "loket-dtks.png")))


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Tentang {about.title()}")
        self.setWindowIcon(app_icon())
        self.resize(820, 520)  # the licence column readable without scrolling sideways
        heading = QLabel(
            f"<h2>{about.title()}</h2><p>Pendaftaran keluarga fakir miskin dan orang tidak mampu "
            "(DTKS) di loket kelurahan, tanpa koneksi internet.</p>"
            "<p>Komponen yang disertakan dan lisensinya:</p>"
        )
        heading.setWordWrap(True)
        rows = about.components()
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Komponen", "Versi", "Lisensi"])
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Tutup")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        start_in_first_field(self)  # the licence table: arrows scroll it, Esc closes


class HelpMenu(QObject):
    """The "Bantuan" menu: Tentang Loket DTKS."""

    def __init__(self, window: MenuHost):
        super().__init__(window.widget())
        self.main = window
        self.dialog: QDialog | None = None  # the dialog opened last
        menu = window.menuBar().addMenu("Ba&ntuan")
        menu.addAction(QAction("&Tentang Loket DTKS", window.widget(), triggered=self.show_about))
        keys = QAction("&Pintasan keyboard", window.widget(), triggered=self.show_shortcuts)
        keys.setShortcut(QKeySequence(Qt.Key.Key_F1))
        menu.addAction(keys)  # app/ui/shortcuts_dialog.py (issue 16)

    def show_shortcuts(self) -> None:
        self.dialog = ShortcutsDialog(self.main.widget())
        self.dialog.open()

    def show_about(self) -> None:
        self.dialog = AboutDialog(self.main.widget())
        self.dialog.open()
