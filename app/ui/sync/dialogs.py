"""Sending bundles and seeing the sync state (issue 6): the export dialog (a bundle or an
acknowledgement for a trusted peer, with a progress bar) and the status view per peer.
Work runs on the window's runner; progress comes back by signal, so the window never freezes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.services import auth
from app.services.sync import audit_heads, peer_status
from app.services.sync import imports as bundles
from app.services.sync import keys as service
from app.services.sync.export import ExportReport, export_ack, export_bundle
from app.ui.errors import error_label, show_error
from app.ui.household.list_model import local_time
from app.ui.runner import Runner
from app.ui.widgets.files import default_folder, save_path
from app.ui.widgets.tables import choice_table


class ProgressRelay(QObject):
    """Carries (done, total) from the worker thread to a progress bar on the main thread."""

    moved = Signal(int, int)

    def report(self, done: int, total: int) -> None:
        self.moved.emit(done, total)


def show_progress(bar: QProgressBar, done: int, total: int) -> None:
    bar.setRange(0, max(total, 1))
    bar.setValue(min(done, max(total, 1)))


MIN_WIDTH = 600


class ExportDialog(QDialog):
    """Write a bundle (or, with `ack`, an acknowledgement) for a trusted peer."""

    exported = Signal(str)  # a message for the status bar

    def __init__(
        self,
        runner: Runner,
        officer: auth.Officer | None,
        ack: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        auth.require(officer, "bundle.import" if ack else "bundle.export")
        self.runner, self.officer, self.ack = runner, officer, ack
        what = "konfirmasi penerimaan" if ack else "paket data"
        self.setWindowTitle(f"Kirim {what} — {APP_NAME}")
        self.setMinimumWidth(MIN_WIDTH)  # the title and every line readable (issue 16)
        self.peer = QComboBox()
        self.full = QCheckBox("Kirim semua data keluarga (bukan hanya yang berubah)")
        self.full.setVisible(not ack)
        # issue 18: the references always travel, the bytes only when asked (USB sticks fill)
        self.attachments = QCheckBox("Sertakan isi &lampiran (pindaian KTP/KK, foto rumah)")
        self.attachments.setVisible(not ack)
        self.target = QLabel("(belum dipilih)")
        choose = QPushButton("&Pilih tempat simpan…")
        choose.clicked.connect(self.choose_file)
        self.path: Path | None = None
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.error = error_label()
        self.send = QPushButton("&Buat paket")
        self.send.clicked.connect(self.export)
        close = QPushButton("&Tutup")
        close.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow("Kirim ke:", self.peer)
        where = QHBoxLayout()
        where.addWidget(self.target, 1)
        where.addWidget(choose)
        form.addRow("Simpan sebagai:", where)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        intro = (
            "Konfirmasi memberi tahu pengirim paket mana yang sudah diterima, dan keluarga "
            "mana yang ditolak atau berkonflik."
            if ack
            else "Paket dienkripsi untuk mitra yang dipilih dan ditandatangani oleh loket ini; "
            "hanya mitra itu (dan loket ini) yang dapat membukanya."
        )
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.full)
        layout.addWidget(self.attachments)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.relay = ProgressRelay(self)
        self.relay.moved.connect(lambda done, total: show_progress(self.progress, done, total))
        self.runner.submit(service.trusted_peers, on_done=self._show_peers, on_error=self._failed)

    def _show_peers(self, found) -> None:
        for key, _fingerprint in found:
            self.peer.addItem(key.name)
        if not found:
            self.error.setText(
                "Belum ada mitra yang dipercaya. Supervisor perlu mempercayai "
                "kunci publik mitra terlebih dahulu (menu Sinkronisasi)."
            )
        self._update()

    def set_path(self, path: Path) -> None:
        self.path = path
        # a long path is shortened in the middle (the whole one in the tooltip), so the
        # dialog does not grow past the screen
        metrics = self.target.fontMetrics()
        self.target.setText(metrics.elidedText(str(path), Qt.TextElideMode.ElideMiddle, 260))
        self.target.setToolTip(str(path))
        self._update()

    def choose_file(self) -> None:
        suffix = "konfirmasi" if self.ack else "paket"
        name = f"{self.peer.currentText() or 'mitra'}-{suffix}.bundle".replace(" ", "-")
        pattern = "Paket Loket DTKS (*.bundle)"
        chosen = save_path(self, "Simpan paket", default_folder() / name, pattern, ".bundle")
        if chosen:
            self.set_path(chosen)

    def _update(self) -> None:
        self.send.setEnabled(bool(self.peer.currentText()) and self.path is not None)

    def export(self) -> None:
        if not self.peer.currentText() or self.path is None:
            return
        self.send.setEnabled(False)
        self.error.clear()
        self.result.setText("Membuat paket…")
        self.progress.setVisible(True)
        show_progress(self.progress, 0, 0)
        peer = self.peer.currentText()
        if self.ack:
            self.runner.submit(
                self._export_ack,
                peer,
                self.path,
                on_done=self._done,
                on_error=self._failed,
            )
        else:
            self.runner.submit(
                self._export,
                peer,
                self.path,
                self.full.isChecked(),
                self.attachments.isChecked(),
                on_done=self._done,
                on_error=self._failed,
            )

    # force: the save dialog asked before replacing a file (app/services/outputs.py)
    def _export(self, peer: str, path: Path, full: bool, attachments: bool) -> ExportReport:
        return export_bundle(
            peer,
            path,
            self.officer,
            full=full,
            progress=self.relay.report,
            force=True,
            with_attachments=attachments,
        )

    def _export_ack(self, peer: str, path: Path) -> ExportReport:
        assert self.officer is not None  # checked in __init__
        return export_ack(peer, path, self.officer, force=True)

    def _done(self, report: ExportReport) -> None:
        show_progress(self.progress, 1, 1)
        what = "Konfirmasi" if self.ack else "Paket"
        message = (
            f"{what} ke-{report.sequence} untuk {self.peer.currentText()} tersimpan di "
            f"{report.path} ({report.records} data)."
        )
        self.result.setText(message)
        self.exported.emit(message)
        self.send.setEnabled(False)

    def _failed(self, exc: Exception) -> None:
        self.progress.setVisible(False)
        self.result.clear()
        show_error(self, exc, label=self.error)
        self._update()


STATUS_COLUMNS = [
    "Mitra",
    "Terakhir dikirim",
    "Belum dikonfirmasi",
    "Terakhir diterima",
    "Paket belum diterima",
]


class SyncStatusDialog(QDialog):
    """Per trusted peer: the last bundle sent and received, and the gaps; below, the warnings
    that a peer's audit log was rewritten (issue 15), until a supervisor acknowledges them."""

    def __init__(
        self,
        runner: Runner,
        parent: QWidget | None = None,
        officer: auth.Officer | None = None,
    ):
        super().__init__(parent)
        self.runner = runner
        self.officer = officer
        self.setWindowTitle(f"Status sinkronisasi — {APP_NAME}")
        self.resize(900, 420)
        self.table = choice_table(STATUS_COLUMNS)
        self.own = QLabel()
        self.own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings = QListWidget()
        self.warnings.setObjectName("auditWarnings")
        self.warnings.setAccessibleName("Peringatan log audit mitra")
        self.warnings.setVisible(False)
        self.warnings.currentRowChanged.connect(lambda _row: self._update())
        self.acknowledge_button = QPushButton("Tandai sudah ditindaklanjuti")
        self.acknowledge_button.setVisible(False)
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.error = error_label()
        self.shown: list[audit_heads.HeadWarning] = []
        close = QPushButton("&Tutup")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.own)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warnings)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.acknowledge_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.runner.submit(
            lambda: (service.own_fingerprint(), peer_status.status()), on_done=self._show
        )

    def _show_warnings(self, peers) -> None:
        self.shown = [w for peer in peers for w in peer.audit_warnings]
        self.warnings.clear()
        for w in self.shown:
            self.warnings.addItem(
                f"PERINGATAN: {w.text} — paket ke-{w.sequence}, {local_time(w.found_at)}"
            )
        self.warnings.setVisible(bool(self.shown))
        may = self.officer is not None and self.officer.may("audit.view")
        self.acknowledge_button.setVisible(bool(self.shown) and may)
        if self.shown:
            self.warnings.setCurrentRow(0)
        self._update()

    def _update(self) -> None:
        self.acknowledge_button.setEnabled(self.warnings.currentRow() >= 0)

    def acknowledge(self) -> None:
        row = self.warnings.currentRow()
        if row < 0 or row >= len(self.shown) or self.shown[row].id is None:
            return
        self.error.clear()
        self.acknowledge_button.setEnabled(False)
        self.runner.submit(
            audit_heads.acknowledge,
            self.shown[row].id,
            self.officer,
            on_done=lambda _none: self.refresh(),
            on_error=lambda exc: show_error(self, exc, label=self.error),
        )

    def _show(self, found) -> None:
        own, peers = found
        self._show_warnings(peers)
        self.own.setText(f"Sidik jari kunci loket ini: <b>{own}</b>")
        self.table.setRowCount(len(peers))
        for row, peer in enumerate(peers):
            sent, received = peer.last_sent, peer.last_received
            values = (
                f"{peer.name}\n{peer.fingerprint}",
                f"paket ke-{sent.sequence}, {local_time(sent.logged_at)}"
                if sent
                else "belum pernah",
                str(peer.unacknowledged),
                f"paket ke-{received.sequence}, {local_time(received.logged_at)}"
                if received
                else "belum pernah",
                bundles.gap_text(peer.missing) or "tidak ada",
            )
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()

    def cell(self, row: int, column: int) -> str:
        return self.table.item(row, column).text()
