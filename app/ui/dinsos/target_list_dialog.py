"""*Daftar sasaran tetap* (issue 19), a Dinas Sosial screen: choose the kota, see the draft per
kelurahan (on the list, left out and why), type the nomor penetapan, date and signatory, lock
it (asked first; *Batal* is the default) and print or save the penetapan PDF, or export the
list through the SIKS-NG profile. Every rule, role and refusal is the service's
(app/services/target_lists.py); a refusal is its one line under the table.

Opened by whoever owns the Dinsos menu: `TargetListDialog(runner, officer, parent)`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.text import printable
from app.services import installation, target_list_docs, target_lists
from app.services.actions import Officer
from app.ui.errors import show_error
from app.ui.runner import Runner
from app.ui.widgets.ask import ask
from app.ui.widgets.focus import start_in_first_field
from app.ui.widgets.pdf_preview import PdfPreview

# the table's columns: kelurahan, on the list, then the reasons left out (app/services)
REASON_HEADERS = {
    "not_decided": "Belum\ndiputuskan",
    "not_locked": "Belum\ndikunci",
    "excluded": "Dikecua-\nlikan",
    "not_poor": "Tidak\nmiskin",
    "withdrawn": "Ditarik",
    "deleted": "Dihapus",
    "listed": "Daftar\nsebelumnya",
    "further": "Sudah\nSIKS-NG",
}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
HEADERS = ["Kecamatan", "Kelurahan", "Masuk\n(KK)", "Jiwa", *REASON_HEADERS.values()]


class PenetapanPreview(PdfPreview):
    """The penetapan's preview: printing or saving it is audited once (`note_printed`)."""

    def __init__(
        self,
        pdf: bytes,
        number: str,
        runner: Runner,
        officer: Officer | None,
        parent: QWidget | None = None,
    ):
        safe = "".join(ch if ch.isalnum() else "-" for ch in number).strip("-")
        super().__init__(
            pdf,
            "Penetapan daftar sasaran tetap",
            f"penetapan-{safe}.pdf",
            f"Daftar sasaran tetap nomor {printable(number, 60)}.",
            parent,
        )
        self.number, self.runner, self.officer = number, runner, officer
        self.recorded = False
        self.issued.connect(self._issue)

    def _issue(self) -> None:
        if not self.recorded:
            self.recorded = True
            self.runner.submit(
                target_list_docs.note_printed,
                self.number,
                self.officer,
                on_error=lambda exc: show_error(self, exc),
            )


class TargetListDialog(QDialog):
    def __init__(self, runner: Runner, officer: Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner, self.officer = runner, officer
        self.draft: target_lists.Draft | None = None
        self.preview: PenetapanPreview | None = None
        self.setWindowTitle(f"Daftar sasaran tetap per kota — {APP_NAME}")
        self.resize(1180, 640)

        self.kota = QComboBox()
        area = installation.dinsos_area()
        for code, name in sorted(installation.kota_codes().items()):
            if area in (None, installation.PROVINCE_CODE, code):
                self.kota.addItem(f"{name} ({code})", code)
        kota_label = QLabel("&Kota:")
        kota_label.setBuddy(self.kota)
        self.reload_button = QPushButton("&Muat ulang")
        top = QHBoxLayout()
        top.addWidget(kota_label)
        top.addWidget(self.kota, 1)
        top.addWidget(self.reload_button)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")

        self.number = QLineEdit()
        self.number.setMaxLength(target_lists.MAX_NUMBER)
        self.number.setPlaceholderText("mis. 001/DST/31.74/2026")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd-MM-yyyy")
        self.signatory = QLineEdit()
        self.signatory.setPlaceholderText("kosong: garis untuk menulis nama")
        self.office = QLineEdit()
        self.office.setPlaceholderText(target_lists.default_title() if area else "")
        self.nip = QLineEdit()
        form = QFormLayout()
        for text, field in (
            ("&Nomor penetapan:", self.number),
            ("T&anggal:", self.date),
            ("&Penanda tangan:", self.signatory),
            ("&Jabatan:", self.office),
            ("N&IP:", self.nip),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)

        self.lock_button = QPushButton("K&unci daftar…")
        self.locked = QComboBox()
        locked_label = QLabel("Daftar te&rkunci:")
        locked_label.setBuddy(self.locked)
        self.pdf_button = QPushButton("&Lihat penetapan…")
        self.export_button = QPushButton("&Ekspor SIKS-NG…")
        self.close_button = QPushButton("&Tutup")
        buttons = QHBoxLayout()
        buttons.addWidget(self.lock_button)
        buttons.addSpacing(24)
        buttons.addWidget(locked_label)
        buttons.addWidget(self.locked, 1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addLayout(form)
        layout.addLayout(buttons)

        self.kota.currentIndexChanged.connect(self.reload)
        self.reload_button.clicked.connect(self.reload)
        self.lock_button.clicked.connect(self.ask_lock)
        self.pdf_button.clicked.connect(self.open_pdf)
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.reject)
        start_in_first_field(self)
        self.reload()

    # --- the draft ---------------------------------------------------------------------------

    def kota_code(self) -> str:
        return str(self.kota.currentData() or "")

    def reload(self) -> None:
        self.error.clear()
        self.draft = None
        self.lock_button.setEnabled(False)
        code = self.kota_code()
        if not code:
            return
        self.runner.submit(
            target_lists.draft, code, self.officer, on_done=self.show_draft, on_error=self.failed
        )
        self.runner.submit(
            target_lists.lists, self.officer, code, on_done=self.show_lists, on_error=self.failed
        )

    def show_draft(self, draft: target_lists.Draft) -> None:
        if draft.kota != self.kota_code():
            return  # another kota was chosen meanwhile
        self.draft = draft
        self.table.setRowCount(len(draft.per_kelurahan))
        for row, k in enumerate(draft.per_kelurahan):
            cells = [
                k.kecamatan,
                k.kelurahan,
                k.households,
                k.people,
                *(k.left_out.get(reason, 0) for reason in REASON_HEADERS),
            ]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value) if value != 0 or column < 2 else "")
                if column >= 2:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
        people = sum(c.members for c in draft.included)
        left = ", ".join(
            f"{target_lists.REASONS[r].lower()} {n}" for r, n in draft.left_out_counts().items()
        )
        self.summary.setText(
            f"<b>Masuk daftar: {len(draft.included)} keluarga ({people} jiwa).</b> "
            f"Tidak masuk: {len(draft.left_out)} keluarga" + (f" ({left})." if left else ".")
        )
        self.lock_button.setEnabled(bool(draft.included))

    def show_lists(self, found: list[target_lists.TargetList]) -> None:
        self.locked.clear()
        for t in reversed(found):  # newest first
            self.locked.addItem(f"{t.number} — {t.date} — {t.households} KK", t.number)
        self.pdf_button.setEnabled(bool(found))
        self.export_button.setEnabled(bool(found))

    def failed(self, exc: Exception) -> None:
        show_error(self, exc, label=self.error)

    # --- locking ------------------------------------------------------------------------------

    def ask_lock(self) -> None:
        draft = self.draft
        if draft is None:
            return
        number = " ".join(self.number.text().split())
        if not number:
            self.error.setText("Isi nomor penetapan terlebih dahulu.")
            self.number.setFocus()
            return
        text = (
            f"Tetapkan daftar sasaran tetap {draft.kota_name} nomor {printable(number, 60)} "
            f"dengan {len(draft.included)} keluarga?\n\nSetelah dikunci daftar ini tidak dapat "
            "diubah; perubahan dibuat sebagai daftar baru dengan nomor baru."
        )
        ask(self, "Kunci daftar sasaran tetap", text, "K&unci daftar", lambda: self.lock(number))

    def lock(self, number: str) -> None:
        draft = self.draft
        if draft is None:
            return
        self.lock_button.setEnabled(False)
        self.runner.submit(
            lambda: target_lists.lock(
                draft.kota,
                number,
                self.officer,
                date=self.date.date().toPython(),
                signatory_name=self.signatory.text(),
                signatory_title=self.office.text(),
                signatory_nip=self.nip.text(),
                expected=draft.fingerprint,
            ),
            on_done=self.locked_done,
            on_error=self.lock_failed,
        )

    def locked_done(self, made: target_lists.TargetList) -> None:
        self.number.clear()
        self.reload()
        self.show_pdf(made.number)

    def lock_failed(self, exc: Exception) -> None:
        self.failed(exc)
        self.lock_button.setEnabled(self.draft is not None and bool(self.draft.included))

    # --- the penetapan and the export ------------------------------------------------------------

    def chosen_list(self) -> str | None:
        data = self.locked.currentData()
        return str(data) if data else None

    def open_pdf(self) -> None:
        number = self.chosen_list()
        if number:
            self.show_pdf(number)

    def show_pdf(self, number: str) -> None:
        def shown(pdf: bytes) -> None:
            self.preview = PenetapanPreview(pdf, number, self.runner, self.officer, self)
            self.preview.open()

        self.runner.submit(
            target_list_docs.render_pdf, number, self.officer, on_done=shown, on_error=self.failed
        )

    def export(self) -> None:
        number = self.chosen_list()
        if not number:
            return
        safe = "".join(ch if ch.isalnum() else "-" for ch in number).strip("-")
        name, chosen = QFileDialog.getSaveFileName(
            self,
            "Ekspor SIKS-NG",
            str(Path.home() / f"siks-ng-{safe}.xlsx"),
            "Excel (*.xlsx);;CSV (*.csv)",
        )
        if not name:
            return
        fmt = "csv" if name.lower().endswith(".csv") or "CSV" in chosen else "xlsx"
        self.runner.submit(
            lambda: target_list_docs.export_siks_ng(number, fmt, name, self.officer, force=True),
            on_done=lambda r: self.summary.setText(
                f"Diekspor: {r.households} keluarga, {r.rows} baris ke {r.path.name}."
            ),
            on_error=self.failed,
        )
