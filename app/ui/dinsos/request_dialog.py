"""*Dinas Sosial → Permintaan pemadanan…* (issue 19): the file Dinsos sends Dukcapil or Bapenda
(NIK, No. KK, name and birth date of every member of the households not yet matched). A
source, a format and where to save it; app/services/pemadanan.request checks the role, writes
the file safely and audits it, on the window's runner."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.paths import AppPaths
from app.services import pemadanan
from app.services.actions import Officer
from app.services.exports import ExportResult
from app.ui.errors import error_label, show_error
from app.ui.reports.export_dialog import FORMATS
from app.ui.runner import Runner
from app.ui.widgets.files import default_folder, save_path
from app.ui.widgets.focus import start_in_first_field

SOURCES = {"dukcapil": "Dukcapil (kependudukan: NIK dan No. KK)",
           "bapenda": "Bapenda (pajak: mobil dan NJOP)"}  # fmt: skip


def file_name(source: str, fmt: str, today: dt.date | None = None) -> str:
    return f"permintaan-pemadanan-{source}_{(today or dt.date.today()).isoformat()}.{fmt}"


class RequestDialog(QDialog):
    saved = Signal(str)  # a message for the status bar

    def __init__(
        self,
        runner: Runner,
        officer: Officer | None,
        paths: AppPaths | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.runner, self.officer, self.paths = runner, officer, paths
        self.setWindowTitle(f"Permintaan pemadanan — {APP_NAME}")
        self.setMinimumWidth(620)
        self.source = QComboBox()
        for code, text in SOURCES.items():
            self.source.addItem(text, code)
        self.format = QComboBox()
        for code, text in FORMATS.items():
            self.format.addItem(text, code)
        self.target = QLabel()
        self.target.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("&Pilih tempat simpan…")
        self.choose_button.clicked.connect(self.choose_file)
        self.path: Path | None = None
        self.chosen = False  # chosen in the save dialog, which asked before replacing a file
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.error = error_label()
        self.save_button = QPushButton("&Simpan")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("&Tutup")
        close.clicked.connect(self.reject)

        form = QFormLayout()
        for text, widget in (("S&umber:", self.source), ("&Format:", self.format)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(self.choose_button)
        form.addRow("Simpan sebagai:", where)
        intro = QLabel(
            "Berkas permintaan berisi NIK, No. KK, nama dan tanggal lahir anggota keluarga yang "
            "belum dipadankan, tanpa enkripsi: kirim hanya kepada Dukcapil atau Bapenda. "
            "Setiap berkas dicatat di log audit."
        )
        intro.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.report)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.source.currentIndexChanged.connect(self._choice_changed)
        self.format.currentIndexChanged.connect(self._choice_changed)
        self._choice_changed()
        start_in_first_field(self)

    def _choice_changed(self) -> None:
        fmt = self.format.currentData()
        if not self.chosen:
            self.set_path(default_folder() / file_name(self.source.currentData(), fmt))
        elif self.path is not None:
            self.set_path(self.path.with_suffix("." + fmt))

    def set_path(self, path: Path) -> None:
        self.path = path
        metrics = self.target.fontMetrics()
        self.target.setText(metrics.elidedText(str(path), Qt.TextElideMode.ElideMiddle, 380))
        self.target.setToolTip(str(path))

    def choose_file(self) -> None:
        fmt = self.format.currentData()
        pattern = "Excel (*.xlsx)" if fmt == "xlsx" else "CSV (*.csv)"
        start = self.path or default_folder()
        chosen = save_path(self, "Simpan permintaan", start, pattern, f".{fmt}")
        if chosen:
            self.chosen = True
            self.set_path(chosen)
            self.save_button.setFocus()

    def save(self) -> None:
        if self.path is None:
            return
        self.save_button.setEnabled(False)  # force: the save dialog asked before replacing
        self.error.clear()
        self.report.setText("Menyimpan…")
        self.runner.submit(
            partial(pemadanan.request, force=self.chosen, paths=self.paths),
            self.source.currentData(),
            self.format.currentData(),
            self.path,
            self.officer,
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, result: ExportResult) -> None:
        self.save_button.setEnabled(True)
        message = (f"Permintaan {self.source.currentData()}: {result.rows} anggota dari "
                   f"{result.households} keluarga tersimpan di {result.path}.")  # fmt: skip
        self.report.setText(message)
        self.saved.emit(message)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.report.clear()
        show_error(self, exc, label=self.error)
