"""Bantuan → Pintasan keyboard (issue 16): every shortcut of the main window, read from its
actual QActions and QShortcuts when the dialog opens, so the list cannot drift from the app;
plus the keys that widgets handle themselves (Tab, Space, typing in a drop-down), which have no
QShortcut to read.

A QShortcut says what it does in its `whatsThis` (the household form sets one on each);
`DESCRIBED_ELSEWHERE` names the few the main window creates without one.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

NO_DESCRIPTION = "(tanpa keterangan)"
# keys of QShortcuts that carry no whatsThis (app/ui/main_window.py `_create_shortcuts`)
DESCRIBED_ELSEWHERE = {
    "Ctrl+S": "Simpan final keluarga di formulir",
    "Esc": "Kembali ke daftar keluarga (dari formulir)",
}
# keys the widgets handle themselves: no QAction or QShortcut holds them
WIDGET_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "Isian berikutnya / sebelumnya (dari tabel ke tombol di bawahnya)"),
    ("Enter (di daftar)", "Buka keluarga yang dipilih; di kotak cari: buka hasil pertama"),
    ("Panah atas/bawah", "Pindah baris di daftar; ganti pilihan di isian pilihan"),
    ("Ketik huruf (isian pilihan)", "Cari pilihan: sebagian kata atau nomor kodenya"),
    ("Alt+Bawah / F4", "Buka daftar pilihan"),
    ("Ketik huruf (Aset)", "Pindah ke aset yang namanya diawali huruf itu (ulangi: berikutnya)"),
    ("Spasi", "Centang / hapus centang kotak pilihan"),
    ("Ketik huruf (Tempat lahir)", "Melengkapi dari tempat lahir anggota lain; Tab menerima"),
    ("Ctrl+Home / Ctrl+End (di daftar)", "Keluarga pertama / terakhir di daftar, sekali tekan"),
    ("Alt+S / Alt+W / Alt+R (di daftar)", "Saring menurut status / RW / RT"),
    ("Alt+K (di daftar)", "Urutkan menurut kolom; Tab lalu Spasi: menaik atau menurun"),
    ("Alt+L / Alt+U (di daftar)", "Lanjutkan / buang formulir yang belum disimpan (spanduk)"),
    ("L / T / D, F11 (musyawarah)", "Layak / tidak miskin / tunda; F11: tampilan proyektor"),
)


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def collect_shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) for every shortcut of `window`: its menu actions, its QShortcuts,
    then the keys its widgets handle."""
    rows: list[tuple[str, str]] = []
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            if not sequence.isEmpty():
                rows.append((_keys(sequence), action.text().replace("&", "").rstrip("…")))
    for shortcut in window.findChildren(QShortcut):
        keys = _keys(shortcut.key())
        if keys:
            what = shortcut.whatsThis() or DESCRIBED_ELSEWHERE.get(keys, NO_DESCRIPTION)
            rows.append((keys, what))
    return [*dict.fromkeys(rows), *WIDGET_KEYS]


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setWindowTitle("Pintasan keyboard")
        self.resize(720, 660)  # every row without scrolling; fits a 768-pixel screen
        self.rows = collect_shortcuts(window)
        self.table = QTableWidget(len(self.rows), 2)
        self.table.setHorizontalHeaderLabels(["Tombol", "Fungsi"])
        for row, values in enumerate(self.rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setMinimumSectionSize(20)
        self.table.verticalHeader().setDefaultSectionSize(21)  # ~28 rows in 660 px
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Tutup")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Semua pintasan keyboard Loket DTKS:"))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.table.setFocus()
