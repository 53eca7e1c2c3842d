"""Taking bundles in (issue 6). The officer picks one or more bundle files (or a folder of
them: Dinsos takes in a bundle per kelurahan, issue 19); each is checked and tried in a dry
run, and the preview shows per file the sender (and the kelurahan it serves), how many
households are new, updated, unchanged, in conflict or rejected, and why a file is refused.
"Terapkan" then imports them (a backup first, each file atomically) and the same table shows
what became of each. Both steps run on the runner with one progress bar over all the files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.bundle.file import ACK
from app.paths import AppPaths
from app.services import auth
from app.services.sync import imports as bundles
from app.services.sync import returns
from app.services.sync.errors import SyncError
from app.ui.errors import error_label, show_error
from app.ui.runner import Runner
from app.ui.sync.dialogs import ProgressRelay, show_progress
from app.ui.widgets.files import default_folder
from app.ui.widgets.tables import choice_table

COLUMNS = [
    "Berkas",
    "Kelurahan / pengirim",
    "Baru",
    "Diperbarui",
    "Sama",
    "Konflik",
    "Ditolak",
    "Keterangan",
]
KINDS = ("new", "updated", "unchanged", "conflict", "rejected")
REJECTED_SHOWN = 100


def describe(result: bundles.ImportReport | SyncError, applied: bool = False) -> str:
    """The Keterangan column: why a file is refused, or what else the officer should know."""
    if isinstance(result, SyncError):
        return f"DITOLAK: {result}"
    notes = ["diterima"] if applied and not result.already_imported_at else []
    if result.already_imported_at:
        notes.append("sudah pernah diimpor; tidak ada yang berubah")
    if result.kind == ACK:
        notes.append("konfirmasi penerimaan")
    if result.missing:
        numbers = bundles.gap_text(result.missing)
        notes.append(f"paket {numbers} dari {result.sender} belum diterima")
    notes += result.warnings
    notes += [f"PERINGATAN: {w.text}" for w in result.audit_warnings]  # issue 15
    return "; ".join(notes) or "siap"


class ImportDialog(QDialog):
    imported = Signal(str)  # a message for the status bar; the window reloads its list

    def __init__(
        self,
        runner: Runner,
        paths: AppPaths,
        officer: auth.Officer | None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        auth.require(officer, "bundle.import")
        self.runner, self.paths, self.officer = runner, paths, officer
        self.files: list[Path] = []
        self.preview: list | None = None
        self.setWindowTitle(f"Terima paket — {APP_NAME}")
        self.resize(1120, 560)
        choose = QPushButton("&Pilih berkas paket…")
        choose.clicked.connect(self.choose_files)
        folder = QPushButton("Pilih &folder paket…")
        folder.setToolTip("Semua berkas .bundle di satu folder, mis. paket dari semua kelurahan")
        folder.clicked.connect(self.choose_folder)
        self.table = choice_table(COLUMNS)
        self.table.setAccessibleName("Ringkasan per berkas paket")
        table_label = QLabel("&Ringkasan per berkas:")
        table_label.setBuddy(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.rejected = QListWidget()
        self.rejected.setVisible(False)
        # households whose No. KK / NIK a different household holds: stored, marked (issue 14)
        self.duplicates = QListWidget()
        self.duplicates.setObjectName("possibleDuplicates")
        self.duplicates.setAccessibleName("Kemungkinan data ganda")
        self.duplicates.setVisible(False)
        self.summary = QLabel("Pilih berkas paket dari USB (boleh beberapa sekaligus).")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.error = error_label()
        self.apply_button = QPushButton("T&erapkan")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        close = QPushButton("&Tutup")
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(folder)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(table_label)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.rejected, 1)
        layout.addWidget(self.duplicates, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.relay = ProgressRelay(self)
        self.relay.moved.connect(lambda done, total: show_progress(self.progress, done, total))

    def choose_files(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self,
            "Pilih paket",
            str(default_folder()),
            "Paket Loket DTKS (*.bundle);;Semua berkas (*)",
        )
        if chosen:
            self.set_files([Path(p) for p in chosen])

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Pilih folder paket", str(default_folder()))
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path) -> None:
        """Every bundle file in the folder, by name."""
        files = sorted(p for p in folder.glob("*.bundle") if p.is_file())
        if not files:
            self.summary.setText(f"Tidak ada berkas paket (.bundle) di folder {folder}.")
            return
        self.set_files(files)

    def set_files(self, files: list[Path]) -> None:
        """Check the files and show the preview (a dry run: nothing is kept)."""
        self.files = files
        self.preview = None
        self.apply_button.setEnabled(False)
        self.error.clear()
        self.summary.setText("Memeriksa paket…")
        self._run(True, self._show_preview)

    def _run(self, dry_run: bool, on_done) -> None:
        self.progress.setVisible(True)
        show_progress(self.progress, 0, 0)
        self.runner.submit(self._import, dry_run, on_done=on_done, on_error=self._failed)

    def _import(self, dry_run: bool):
        return returns.import_all(
            self.paths, self.files, self.officer, dry_run=dry_run, progress=self.relay.report
        )

    def _fill(self, results: list, applied: bool = False) -> None:
        self.table.setRowCount(len(results))
        self.rejected.clear()
        self.duplicates.clear()
        rows = returns.summary(self.files, results)
        for row, (path, result, line) in enumerate(zip(self.files, results, rows, strict=True)):
            counts = line.counts
            values = [
                line.file,
                line.sender,
                *(str(counts.get(k, "")) for k in KINDS),
                describe(result, applied),
            ]
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if not isinstance(result, SyncError):
                for household_id, reason in result.rejected[:REJECTED_SHOWN]:
                    self.rejected.addItem(
                        f"{path.name}: keluarga {household_id} ditolak — {reason}"
                    )
                for dup in result.duplicates[:REJECTED_SHOWN]:
                    self.duplicates.addItem(
                        f"Kemungkinan data ganda: {dup.household.describe()} dari paket — "
                        f"{', '.join(dup.matched)} sudah dimiliki {dup.other.describe()}"
                    )
                more = result.duplicate_count - min(len(result.duplicates), REJECTED_SHOWN)
                if more > 0:
                    self.duplicates.addItem(
                        f"{path.name}: dan {more} kemungkinan data ganda lainnya "
                        "(lihat Berkas → Data ganda dari paket)"
                    )
        self.rejected.setVisible(self.rejected.count() > 0)
        self.duplicates.setVisible(self.duplicates.count() > 0)
        self.table.resizeRowsToContents()

    def _show_preview(self, results: list) -> None:
        self.progress.setVisible(False)
        self.preview = results
        self._fill(results)
        usable = [
            r for r in results if isinstance(r, bundles.ImportReport) and not r.already_imported_at
        ]
        refused = sum(isinstance(r, SyncError) for r in results)
        conflicts = sum(r.counts.get("conflict", 0) for r in usable)
        duplicates = sum(r.duplicate_count for r in usable)
        text = f"{len(usable)} paket siap diterapkan"
        if refused:
            text += f", {refused} ditolak (tidak akan diubah apa pun)"
        if conflicts:
            text += (
                f". {conflicts} keluarga akan berkonflik: kedua versi disimpan dan "
                "supervisor memilih di layar Konflik data"
            )
        if duplicates:
            text += (
                f". {duplicates} kemungkinan data ganda: tetap disimpan dan ditandai; "
                "supervisor memutuskan di Berkas → Data ganda dari paket"
            )
        rewritten = [w.text for r in usable for w in r.audit_warnings]
        if rewritten:
            text += (
                f". PERHATIAN: {'; '.join(rewritten)}. Paket tetap dapat diterapkan; "
                "peringatan ini tercatat dan tampil di Status sinkronisasi sampai supervisor "
                "menandainya sudah ditindaklanjuti"
            )
        self.summary.setText(text + ".")
        self.apply_button.setEnabled(bool(usable))

    def apply(self) -> None:
        if not self.preview:
            return
        self.apply_button.setEnabled(False)
        self.summary.setText("Menerapkan paket… (cadangan basis data dibuat terlebih dahulu)")
        self._run(False, self._applied)

    def _applied(self, results: list) -> None:
        self.progress.setVisible(False)
        self._fill(results, applied=True)
        taken = [
            r for r in results if isinstance(r, bundles.ImportReport) and not r.already_imported_at
        ]
        new = sum(r.counts.get("new", 0) for r in taken)
        updated = sum(r.counts.get("updated", 0) for r in taken)
        conflicts = sum(r.counts.get("conflict", 0) for r in taken)
        duplicates = sum(r.duplicate_count for r in taken)
        message = (
            f"{len(taken)} paket diterima: {new} keluarga baru, {updated} diperbarui, "
            f"{conflicts} konflik."
        )
        refused = sum(isinstance(r, SyncError) for r in results)
        if refused:
            message += f" {refused} berkas ditolak, tidak ada yang diubah (lihat tabel)."
        if duplicates:
            message += f" {duplicates} kemungkinan data ganda menunggu keputusan supervisor."
        rewritten = [w.text for r in taken for w in r.audit_warnings]
        if rewritten:
            message += f" PERHATIAN: {'; '.join(rewritten)} (lihat Status sinkronisasi)."
        self.summary.setText(message)
        self.imported.emit(message)

    def _failed(self, exc: Exception) -> None:
        self.progress.setVisible(False)
        self.summary.clear()
        show_error(self, exc, label=self.error)
