"""*Dinas Sosial → Impor hasil pemadanan… / Impor hasil SIKS-NG…* (issue 19): one dialog for a
result file read through a column profile. Choose the file and the profile, *Pratinjau* shows
what the import would do (the counts and the refused rows, by row number: never a NIK) without
changing anything, *Terapkan* asks once more and applies it in one transaction.

The dialog knows no source: it is given the service's `preview(path, profile, officer)`,
`apply(path, profile, officer)` (both returning a plan with `counts` and `errors`), the profile
names and the labels of the counts (the service's COUNTS), so pemadanan
(app/services/pemadanan.py) and SIKS-NG outcomes use the same screen. Both run on the window's
runner; refusals show in one line through app/ui/errors.py.

*Muat profil… (Alt+O)* picks a column profile Dinsos wrote (.toml) and hands it to the service's
`remember_profile(path, officer)` (app/services/result_profiles.py checks and keeps it for the
installation); the list then offers it, now and in every later dialog. No file logic here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.services.actions import Officer
from app.ui.errors import error_label, show_error
from app.ui.runner import Runner
from app.ui.widgets.ask import ask
from app.ui.widgets.files import default_folder
from app.ui.widgets.focus import start_in_first_field
from app.ui.widgets.tables import choice_table

Job = Callable[[Path, str, Officer | None], Any]  # -> a plan: .counts, .errors
Remember = Callable[[Path, Officer | None], str]  # a profile file -> its name, kept
MAX_SHOWN_ERRORS = 500  # refused rows listed; the count says how many there are in all


def row_error_text(error: Any) -> str:
    """`baris N: alasan` for a refused row (RowError of app/services/pemadanan_files.py, or any
    object with a row number and a reason or message)."""
    describe = getattr(error, "describe", None)
    if callable(describe):
        return str(describe())
    reason = getattr(error, "reason", None) or getattr(error, "message", "")
    return f"baris {error.row}: {reason}"


class ResultImportDialog(QDialog):
    applied = Signal(str)  # a message for the status bar; the window reloads what it shows

    def __init__(
        self,
        runner: Runner,
        officer: Officer | None,
        *,
        title: str,
        preview: Job,
        apply: Job,
        profile_names: Callable[[], Sequence[str]],
        counts: Sequence[tuple[str, str]],
        remember: Remember | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.runner, self.officer = runner, officer
        self._preview, self._apply, self.labels = preview, apply, list(counts)
        self._names, self._remember = profile_names, remember
        self.previewed: tuple[Path, str] | None = None  # what the shown preview was made of
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.resize(860, 620)
        self.path = QLineEdit()
        self.path.setPlaceholderText("Ketik jalur berkas CSV/XLSX atau tekan Pilih berkas…")
        self.choose_button = QPushButton("Pi&lih berkas…")
        self.choose_button.clicked.connect(self.choose_file)
        self.profile = QComboBox()
        self.profile.addItems(list(profile_names()))
        self.load_profile_button = QPushButton("Muat pr&ofil…")
        self.load_profile_button.setToolTip(
            "Muat profil kolom buatan sendiri (.toml); disimpan untuk instalasi ini"
        )
        self.load_profile_button.clicked.connect(self.choose_profile)
        self.load_profile_button.setVisible(remember is not None)
        self.counts = choice_table(["Hasil", "Jumlah"])
        self.counts.setTabKeyNavigation(False)  # Tab leaves the table (no Tab trap)
        header = self.counts.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        rows = self.counts.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        # every count shown at once (no scrolling): the header and one line per count
        self.counts.setMinimumHeight(
            self.counts.horizontalHeader().sizeHint().height()
            + rows.defaultSectionSize() * len(self.labels)
            + 4
        )
        self.refused = QListWidget()
        self.refused.setAccessibleName("Baris ditolak")
        self.summary = QLabel("Pilih berkas hasil dan profilnya, lalu tekan Pratinjau.")
        self.summary.setWordWrap(True)
        self.error = error_label()
        self.preview_button = QPushButton("&Pratinjau")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        self.apply_button = QPushButton("&Terapkan…")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.confirm_apply)
        close = QPushButton("T&utup")
        close.clicked.connect(self.reject)

        form = QFormLayout()
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.choose_button)
        file_label = QLabel("Berkas &hasil:")
        file_label.setBuddy(self.path)
        form.addRow(file_label, where)
        profile_label = QLabel("P&rofil kolom:")
        profile_label.setBuddy(self.profile)
        which = QHBoxLayout()
        which.addWidget(self.profile, 1)
        which.addWidget(self.load_profile_button)
        form.addRow(profile_label, which)
        counts_label = QLabel("Ju&mlah menurut pratinjau:")
        counts_label.setBuddy(self.counts)
        refused_label = QLabel("Baris &ditolak (nomor baris seperti di spreadsheet):")
        refused_label.setBuddy(self.refused)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.preview_button, self.apply_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(counts_label)
        layout.addWidget(self.counts)
        layout.addWidget(refused_label)
        layout.addWidget(self.refused, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.path.textChanged.connect(self._choice_changed)
        self.profile.currentIndexChanged.connect(self._choice_changed)
        self._show_counts(None)
        start_in_first_field(self)

    # --- choices ------------------------------------------------------------------------------

    def chosen(self) -> tuple[Path, str] | None:
        text = self.path.text().strip().strip('"')
        name = self.profile.currentText()
        return (Path(text).expanduser(), name) if text and name else None

    def choose_file(self) -> None:
        start = self.path.text().strip() or str(default_folder())
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Pilih berkas hasil", start,
            "Berkas hasil (*.csv *.xlsx *.txt);;Semua berkas (*)",
        )  # fmt: skip
        if chosen:
            self.path.setText(chosen)
            self.profile.setFocus()

    def choose_profile(self) -> None:
        start = str(default_folder())
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Pilih profil kolom", start, "Profil kolom (*.toml);;Semua berkas (*)"
        )
        if chosen:
            self.load_profile_file(Path(chosen))

    def load_profile_file(self, path: Path) -> None:
        """Have the service check and keep the profile; then offer and select it."""
        if self._remember is None:
            return
        self.error.clear()
        self.summary.setText("Memeriksa profil…")
        self.runner.submit(
            self._remember, path, self.officer,
            on_done=self._profile_loaded, on_error=self._profile_failed,
        )  # fmt: skip

    def _profile_loaded(self, name: str) -> None:
        self.profile.blockSignals(True)  # one change signal below, not one per item
        self.profile.clear()
        self.profile.addItems(list(self._names()))
        self.profile.blockSignals(False)
        self.profile.setCurrentIndex(max(self.profile.findText(name), 0))
        self._choice_changed()
        self.summary.setText(f"Profil {name} dimuat dan disimpan untuk instalasi ini.")
        self.profile.setFocus()

    def _profile_failed(self, exc: BaseException) -> None:
        self.summary.setText("Profil tidak dimuat; daftar profil tidak berubah.")
        show_error(self, exc, label=self.error)
        self.load_profile_button.setFocus()

    def _choice_changed(self) -> None:
        """A new file or profile: the preview shown no longer says what Terapkan would do."""
        stem = Path(self.path.text().strip()).name.lower()
        for index in range(self.profile.count()):  # a file named after a profile selects it
            if self.profile.itemText(index).lower() in stem and self.sender() is self.path:
                self.profile.setCurrentIndex(index)
                break
        if self.previewed is not None and self.previewed != self.chosen():
            self.previewed = None
            self.apply_button.setEnabled(False)
            self.summary.setText("Pilihan berubah: tekan Pratinjau lagi.")

    # --- preview and apply --------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        self.error.clear()
        self.summary.setText(text)
        self.preview_button.setEnabled(False)
        self.apply_button.setEnabled(False)

    def preview(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            self.error.setText("Pilih berkas hasil dan profilnya dahulu.")
            self.path.setFocus()
            return
        self._busy("Membaca berkas…")
        self.runner.submit(
            self._preview, *chosen, self.officer,
            on_done=lambda plan: self._previewed(plan, chosen), on_error=self._failed,
        )  # fmt: skip

    def _previewed(self, plan: Any, chosen: tuple[Path, str]) -> None:
        self.preview_button.setEnabled(True)
        self._show_counts(plan)
        if chosen != self.chosen():  # changed while the file was read: not this one
            self.summary.setText("Pilihan berubah: tekan Pratinjau lagi.")
            return
        self.previewed = chosen
        self.apply_button.setEnabled(True)
        self.summary.setText(
            "Pratinjau: belum ada yang diubah. Periksa jumlahnya, lalu tekan Terapkan."
        )

    def confirm_apply(self) -> None:
        if self.previewed is None:
            return
        path, profile = self.previewed
        ask(
            self,
            f"Terapkan hasil? — {APP_NAME}",
            f"Hasil dari {path.name} (profil {profile}) akan dicatat pada keluarga yang cocok "
            "dan dikirim ke kelurahan dalam paket berikutnya. Impor dicatat di log audit. "
            "Lanjutkan?",
            "&Terapkan",
            self.apply,
        )

    def apply(self) -> None:
        if self.previewed is None:
            return
        chosen = self.previewed
        self._busy("Menerapkan hasil…")
        self.runner.submit(
            self._apply, *chosen, self.officer, on_done=self._applied, on_error=self._failed
        )

    def _applied(self, plan: Any) -> None:
        self.previewed = None  # applied: a second Terapkan needs a new preview
        self.preview_button.setEnabled(True)
        self._show_counts(plan)
        households = plan.counts.get("households")
        done = f"{households} keluarga diperbarui" if households is not None else "selesai"
        message = f"Hasil diterapkan: {done}."
        self.summary.setText(message + " Perubahan dikirim ke kelurahan dalam paket berikutnya.")
        self.applied.emit(message)

    def _failed(self, exc: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self.apply_button.setEnabled(self.previewed is not None)
        self.summary.clear()
        show_error(self, exc, label=self.error)

    # --- what the plan says ---------------------------------------------------------------------

    def _show_counts(self, plan: Any) -> None:
        counts: dict[str, int] = plan.counts if plan is not None else {}
        self.counts.setRowCount(len(self.labels))
        for row, (key, label) in enumerate(self.labels):
            value = counts.get(key)
            number = QTableWidgetItem("" if value is None else f"{value:,}".replace(",", "."))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.counts.setItem(row, 0, QTableWidgetItem(label))
            self.counts.setItem(row, 1, number)
        self.refused.clear()
        errors = list(plan.errors) if plan is not None else []
        self.refused.addItems([row_error_text(e) for e in errors[:MAX_SHOWN_ERRORS]])
        if len(errors) > MAX_SHOWN_ERRORS:
            more = f"{len(errors) - MAX_SHOWN_ERRORS:,}".replace(",", ".")
            self.refused.addItem(f"… dan {more} baris lain")
        if plan is not None and not errors:
            self.refused.addItem("Tidak ada baris yang ditolak.")
