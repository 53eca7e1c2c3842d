"""*Dinsos → Kirim paket ke semua kelurahan…* (issue 19): the return bundles in one go, as
`bundle export --all-kelurahan --out DIR` writes them (app/services/sync/returns.py decides
which kelurahan get one, checks the role and audits each bundle). A folder, one button; the
work runs on the window's runner with a progress bar, then a table lists the files written and
the kelurahan skipped (no trusted kelurahan key). No household data is shown: kelurahan names,
file names and counts only."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.text import printable
from app.paths import AppPaths
from app.services.actions import Officer
from app.services.sync import returns
from app.ui.errors import error_label, show_error
from app.ui.runner import Runner
from app.ui.widgets.files import default_folder
from app.ui.widgets.tables import choice_table

COLUMNS = ["Kelurahan", "Berkas", "Keluarga", "Keterangan"]
INTRO = (
    "Satu paket terenkripsi untuk setiap kelurahan yang punya kabar baru dari Dinas Sosial "
    "(hasil pemadanan, status SIKS-NG, daftar sasaran tetap), hanya dapat dibuka oleh kelurahan "
    "itu. Kelurahan tanpa kabar baru tidak diberi paket; kelurahan yang kuncinya belum "
    "dipercaya dilewati. Setiap paket dicatat di log audit."
)


def summary(found: returns.ReturnsReport) -> str:
    return (
        f"{len(found.written)} paket ditulis, {len(found.nothing_new)} kelurahan tanpa kabar "
        f"baru, {len(found.skipped)} kelurahan dilewati."
    )


class ReturnDialog(QDialog):
    written = Signal(str)  # a message for the status bar
    _progressed = Signal(int, int)  # (done, total), emitted on the runner's thread

    def __init__(
        self,
        runner: Runner,
        officer: Officer | None,
        paths: AppPaths | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.runner, self.officer, self.paths = runner, officer, paths
        self.setWindowTitle(f"Kirim paket ke semua kelurahan — {APP_NAME}")
        self.setMinimumWidth(880)
        self.folder: Path = default_folder()
        self.target = QLabel()
        self.target.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("&Pilih folder…")
        self.choose_button.clicked.connect(self.choose_folder)
        self.write_button = QPushButton("&Buat paket")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.write)
        close = QPushButton("&Tutup")
        close.clicked.connect(self.reject)
        self.progress = QProgressBar()
        self.progress.hide()
        self._progressed.connect(self._show_progress)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = choice_table(COLUMNS)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):  # the note takes what is left
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(220)
        table_label = QLabel("&Hasil:")
        table_label.setBuddy(self.table)
        self.error = error_label()

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        where = QHBoxLayout()
        where.addWidget(QLabel("Folder:"))
        where.addWidget(self.target, 1)
        where.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.write_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(where)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.set_folder(self.folder)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """The keyboard starts at the folder (Enter writes into the one shown: the default)."""
        super().showEvent(event)
        if not event.spontaneous():
            self.choose_button.setFocus(Qt.FocusReason.TabFocusReason)

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        metrics = self.target.fontMetrics()
        self.target.setText(metrics.elidedText(str(folder), Qt.TextElideMode.ElideMiddle, 460))
        self.target.setToolTip(str(folder))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder paket", str(self.folder))
        if chosen:
            self.set_folder(Path(chosen))
            self.write_button.setFocus()

    def write(self) -> None:
        self.write_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.error.clear()
        self.table.setRowCount(0)
        self.summary.setText("Membuat paket…")
        self.progress.setRange(0, 0)  # busy until the first step is known
        self.progress.show()
        self.runner.submit(
            partial(returns.export_returns, paths=self.paths, progress=self._progressed.emit),
            self.folder,
            self.officer,
            on_done=self._done,
            on_error=self._failed,
        )

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self) -> None:
        self.write_button.setEnabled(True)
        self.choose_button.setEnabled(True)
        self.progress.hide()

    def _done(self, found: returns.ReturnsReport) -> None:
        self._finished()
        rows = [
            (sent.label, sent.report.path.name, sent.households,
             f"Paket ke-{sent.report.sequence} untuk {printable(sent.peer)}")
            for sent in found.written
        ] + [
            (skipped.label, "—", skipped.households,
             "Dilewati: belum ada kunci kelurahan yang dipercaya")
            for skipped in found.skipped
        ]  # fmt: skip
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, value in enumerate(cells):
                item = QTableWidgetItem(printable(str(value), 200))
                item.setToolTip(item.text())
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        message = summary(found)
        if found.written:
            message += f" Berkas di {self.folder}."
        self.summary.setText(message)
        self.written.emit(message)
        (self.table if rows else self.write_button).setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        self.summary.clear()
        show_error(self, exc, label=self.error)
