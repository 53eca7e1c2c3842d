"""*Laporan & ekspor → Ekspor daftar…* (issue 18): a profile, a format, which households and a
file; the export runs on the window's runner (50,000 households take seconds) and the service
(app/services/exports.py) checks the role, writes the file safely and audits it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core import codes
from app.services import auth, exports
from app.services.exports import ExportResult
from app.ui.errors import error_label, show_error
from app.ui.runner import Runner
from app.ui.widgets.files import default_folder, save_path
from app.ui.widgets.focus import start_in_first_field

FORMATS = {"xlsx": "Excel (XLSX)", "csv": "CSV (UTF-8)"}
DELIMITERS = {",": "Koma ( , )", ";": "Titik koma ( ; ) — Excel berbahasa Indonesia"}
ALL_RW = -1
MAIN_PROFILE = "siks-ng-usulan-v1"  # chosen first: the daftar usulan for Dinsos
FILTERS = {"usulan": "Daftar usulan: layak dalam musyawarah yang sudah dikunci",
           "all": "Semua keluarga (kecuali yang ditarik)"}  # fmt: skip


class ExportListDialog(QDialog):
    exported = Signal(str)  # a message for the status bar

    def __init__(self, runner: Runner, officer: auth.Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        auth.require(officer, exports.ACTION)
        self.runner, self.officer = runner, officer
        self.setWindowTitle(f"Ekspor daftar — {APP_NAME}")
        self.setMinimumWidth(620)
        self.profiles = exports.profiles()
        self.profile = QComboBox()
        for profile in self.profiles:
            self.profile.addItem(f"{profile.title} ({profile.name})", profile.name)
        self.format = QComboBox()
        for code, text in FORMATS.items():
            self.format.addItem(text, code)
        self.delimiter = QComboBox()
        for code, text in DELIMITERS.items():
            self.delimiter.addItem(text, code)
        self.status = QComboBox()
        self.rw = QSpinBox()
        self.rw.setRange(ALL_RW, 999)
        self.rw.setSpecialValueText("Semua RW")
        self.rw.setValue(ALL_RW)
        self.target = QLabel()
        self.target.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton("&Pilih tempat simpan…")
        choose.clicked.connect(self.choose_file)
        self.path: Path | None = None
        self.chosen = False  # chosen in the save dialog, which asked before replacing a file
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.error = error_label()
        self.send = QPushButton("&Ekspor")
        self.send.setDefault(True)
        self.send.clicked.connect(self.export)
        close = QPushButton("&Tutup")
        close.clicked.connect(self.reject)

        form = QFormLayout()
        for text, widget in (("P&rofil:", self.profile), ("&Format:", self.format),
                             ("Pe&misah CSV:", self.delimiter), ("&Keluarga:", self.status),
                             ("R&W:", self.rw)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(choose)
        form.addRow("Simpan sebagai:", where)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send)
        buttons.addWidget(close)
        intro = QLabel(
            "Berkas ekspor berisi NIK, nama dan alamat keluarga tanpa enkripsi: simpan dan kirim "
            "hanya kepada yang berhak. Setiap ekspor dicatat di log audit."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.profile.currentIndexChanged.connect(self._profile_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        main = self.profile.findData(MAIN_PROFILE)
        self.profile.setCurrentIndex(max(main, 0))
        self._profile_changed()
        start_in_first_field(self)

    # --- choices ----------------------------------------------------------------------------

    def _fill_statuses(self) -> None:
        profile = self.profiles[self.profile.currentIndex()] if self.profiles else None
        self.status.clear()
        first = "usulan" if profile is not None and profile.selection == "usulan" else "all"
        self.status.addItem(FILTERS[first], None)
        for code, label in codes.choices("household", "status"):
            self.status.addItem(f"Status: {label}", code)

    def _profile_changed(self) -> None:
        self._fill_statuses()
        self._format_changed()

    def _format_changed(self) -> None:
        self.delimiter.setEnabled(self.format.currentData() == "csv")
        if not self.chosen and self.profiles:
            profile = self.profiles[self.profile.currentIndex()]
            name = exports.default_file_name(profile, self.format.currentData())
            self.set_path(default_folder() / name)
        elif self.path is not None:
            self.set_path(self.path.with_suffix("." + self.format.currentData()))

    def set_path(self, path: Path) -> None:
        self.path = path
        metrics = self.target.fontMetrics()
        self.target.setText(metrics.elidedText(str(path), Qt.TextElideMode.ElideMiddle, 380))
        self.target.setToolTip(str(path))

    def choose_file(self) -> None:
        fmt = self.format.currentData()
        pattern = "Excel (*.xlsx)" if fmt == "xlsx" else "CSV (*.csv)"
        start = self.path or default_folder()
        chosen = save_path(self, "Simpan ekspor", start, pattern, f".{fmt}")
        if chosen:
            self.chosen = True
            self.set_path(chosen)

    # --- the export ---------------------------------------------------------------------------

    def export(self) -> None:
        if self.path is None or not self.profiles:
            return
        self.send.setEnabled(False)
        self.error.clear()
        self.result.setText("Mengekspor…")
        status = self.status.currentData()
        self.runner.submit(
            self._export,
            [status] if status else [],
            None if self.rw.value() == ALL_RW else self.rw.value(),
            on_done=self._done,
            on_error=self._failed,
        )

    def _export(self, statuses: list[str], rw: int | None) -> ExportResult:
        assert self.path is not None
        return exports.export(
            self.profile.currentData(),
            self.format.currentData(),
            self.path,
            self.officer,
            statuses=statuses,
            rw=rw,
            delimiter=self.delimiter.currentData(),
            force=self.chosen,  # the save dialog asked before replacing a file
        )

    def _done(self, result: ExportResult) -> None:
        self.send.setEnabled(True)
        message = (f"{result.households} keluarga ({result.rows} baris) tersimpan di "
                   f"{result.path}.")  # fmt: skip
        self.result.setText(message)
        self.exported.emit(message)

    def _failed(self, exc: BaseException) -> None:
        self.send.setEnabled(True)
        self.result.clear()
        show_error(self, exc, label=self.error)
