"""*Ringkasan* (issue 18): the recap on screen -- households (KK) and people (jiwa) by status
and exclusion criterion, a chart of KK per RW, the counts per RW and RT, registrations per
officer and day -- with buttons that print the recap (*Cetak rekap…*, Alt+C: the recap PDF, made
in memory, through the system's print dialog, app/ui/widgets/pdf_preview.py `print_pdf_bytes`),
save it as PDF or Excel and print the working lists (an RW's field-visit list, old drafts).
Counting runs on the window's runner; the service checks the role (`report.recap`,
`report.worklist`) and records every file and every print in the audit log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.receipts.formatting import datetime_long, thousands
from app.receipts.recap_content import Counts, Place, Recap, colour, number
from app.services import recaps
from app.services.actions import Officer
from app.ui.errors import show_error
from app.ui.reports.recap_chart import StackedBars
from app.ui.runner import Runner
from app.ui.widgets.files import default_folder
from app.ui.widgets.pdf_preview import print_pdf_bytes
from app.ui.widgets.tables import choice_table

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
FILTERS = {"pdf": "PDF (*.pdf)", "xlsx": "Excel (*.xlsx)"}


def _number_item(value: int) -> QTableWidgetItem:
    item = QTableWidgetItem(thousands(value))
    item.setTextAlignment(RIGHT)
    return item


def file_name(kind: str, kelurahan: str, extension: str) -> str:
    """'rekap-tebet-timur-2026-11-30.pdf': what, which kelurahan, which day."""
    place = re.sub(r"[^a-z0-9]+", "-", kelurahan.split(",")[0].lower()).strip("-")
    return f"{kind}-{place}-{dt.date.today().isoformat()}.{extension}"


class SummaryDialog(QDialog):
    def __init__(self, runner: Runner, officer: Officer, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner, self.officer = runner, officer
        self.recap: Recap | None = None
        self.setWindowTitle("Ringkasan pendaftaran")
        self.heading = QLabel("Menghitung…")
        self.heading.setWordWrap(True)
        self.totals = choice_table(["Status", "KK", "Jiwa"])
        self.chart = StackedBars()
        self.places = choice_table(["RW", "RT"])
        self.officers = choice_table(["Tanggal (WIB)", "Petugas", "Pendaftaran"])
        for table in (self.totals, self.places, self.officers):
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        fit = QHeaderView.ResizeMode.ResizeToContents
        for column in (1, 2):
            self.totals.horizontalHeader().setSectionResizeMode(column, fit)
        tabs = QTabWidget()
        first = QWidget()
        row = QHBoxLayout(first)
        row.addWidget(self.totals, 2)
        row.addWidget(self.chart, 3)
        tabs.addTab(first, "&Status dan grafik")
        tabs.addTab(self.places, "Per R&W dan RT")
        tabs.addTab(self.officers, "Per &petugas per hari")
        self.tabs = tabs
        self.message = QLabel("")
        self.message.setWordWrap(True)

        self.printer: QPrinter | None = None  # None: the system's print dialog asks
        self.print_button = QPushButton("&Cetak rekap…")
        self.print_button.setToolTip("Cetak rekap (PDF dengan grafik) ke printer")
        self.print_button.clicked.connect(self.print_recap)
        self.save_pdf = QPushButton("Simpan P&DF…")
        self.save_xlsx = QPushButton("Simpan &Excel…")
        self.save_pdf.clicked.connect(lambda: self.save_recap("pdf"))
        self.save_xlsx.clicked.connect(lambda: self.save_recap("xlsx"))
        self.rw = QSpinBox()
        self.rw.setRange(1, 999)
        self.rw.setPrefix("RW ")
        self.rw.setAccessibleName("RW untuk daftar kunjungan")
        self.visit = QPushButton("Daftar &kunjungan…")
        self.visit.clicked.connect(self.save_worklist)
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setValue(14)
        self.days.setSuffix(" hari")
        self.days.setAccessibleName("Draf lebih lama dari")
        self.drafts = QPushButton("Draf &lama…")
        self.drafts.clicked.connect(self.save_drafts)
        close = QPushButton("&Tutup")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for widget in (
            self.print_button,
            self.save_pdf,
            self.save_xlsx,
            self.rw,
            self.visit,
            self.days,
            self.drafts,
        ):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(close)
        worklists = officer.may("report.worklist")
        for widget in (self.rw, self.visit, self.days, self.drafts):
            widget.setVisible(worklists)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(1100, 620)
        # the counts first, then the drafts with missing answers (each draft is read whole)
        self.drafts_counted = False
        self.runner.submit(
            lambda: recaps.recap(officer, incomplete=False),
            on_done=self.show_recap,
            on_error=self._failed,
        )
        self.runner.submit(
            recaps.incomplete_drafts, officer, on_done=self._show_drafts, on_error=self._failed
        )

    def _show_drafts(self, found: dict[Place, int]) -> None:
        self.drafts_counted = True
        if self.recap is not None:
            self.show_recap(replace(self.recap, incomplete=found))

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc, label=self.message)

    def show_recap(self, recap: Recap) -> None:
        self.recap = recap
        grand = recap.grand_total
        self.heading.setText(
            f"<b>Kelurahan {recap.kelurahan}</b> — keadaan per {datetime_long(recap.made_at)}: "
            f"{thousands(grand.households)} KK, {thousands(grand.people)} jiwa; "
            + (
                f"{thousands(recap.incomplete_total)} draf belum lengkap."
                if self.drafts_counted
                else "menghitung draf belum lengkap…"
            )
        )
        rows: list[tuple[str, Counts]] = []
        for code, label in recap.statuses:
            rows.append((label, recap.status_total(code)))
            if code == "excluded":
                rows += [
                    (f"   {text}", recap.criterion_total(rule)) for rule, text in recap.criteria
                ]
        rows.append(("Jumlah", grand))
        self.totals.setRowCount(len(rows) + 1)
        for i, (label, counts) in enumerate(rows):
            self.totals.setItem(i, 0, QTableWidgetItem(label))
            self.totals.setItem(i, 1, _number_item(counts.households))
            self.totals.setItem(i, 2, _number_item(counts.people))
        self.totals.setItem(len(rows), 0, QTableWidgetItem("Draf belum lengkap"))
        drafts = _number_item(recap.incomplete_total)
        if not self.drafts_counted:
            drafts.setText("…")
        self.totals.setItem(len(rows), 1, drafts)
        used = recap.used_statuses()
        rws = recap.rws()
        self.chart.set_data(
            [number(rw) for rw in rws],
            [
                (label, colour(code), [recap.rw_status(rw, code).households for rw in rws])
                for code, label in used
            ],  # fmt: skip
        )
        self._fill_places(recap, used)
        self.officers.setRowCount(len(recap.officer_days))
        for i, (officer, day, count) in enumerate(recap.officer_days):
            self.officers.setItem(i, 0, QTableWidgetItem(day))
            self.officers.setItem(i, 1, QTableWidgetItem(officer))
            self.officers.setItem(i, 2, _number_item(count))

    def _fill_places(self, recap: Recap, used: list[tuple[str, str]]) -> None:
        table: QTableWidget = self.places
        table.setUpdatesEnabled(False)
        table.setColumnCount(3 + len(used))
        table.setHorizontalHeaderLabels(
            ["RW", "RT", *(f"{label} KK (jiwa)" for _, label in used), "Jumlah KK (jiwa)"]
        )
        table.setRowCount(len(recap.places))
        for column in (0, 1):
            table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        for i, place in enumerate(recap.places):
            cells = recap.by_status.get(place, {})
            table.setItem(i, 0, QTableWidgetItem(number(place[0])))
            table.setItem(i, 1, QTableWidgetItem(number(place[1])))
            shown = [*(cells.get(code, Counts()) for code, _ in used), recap.place_total(place)]
            for column, counts in enumerate(shown, start=2):
                item = QTableWidgetItem(
                    f"{thousands(counts.households)} ({thousands(counts.people)})"
                )
                item.setTextAlignment(RIGHT)
                table.setItem(i, column, item)
        table.setUpdatesEnabled(True)

    # --- files ---------------------------------------------------------------------------------

    def _target(self, title: str, kind: str, extension: str) -> Path | None:
        kelurahan = self.recap.kelurahan if self.recap else "kelurahan"
        suggested = default_folder() / file_name(kind, kelurahan, extension)
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(suggested), FILTERS[extension])
        return Path(chosen) if chosen else None

    def _write(self, write: Callable[[], Any], done: str) -> None:
        self.message.setText("Menyimpan…")
        self.runner.submit(
            write, on_done=lambda _r: self.message.setText(done), on_error=self._failed
        )

    def save_recap(self, fmt: str, target: Path | None = None) -> None:
        target = target or self._target("Simpan rekap", "rekap", fmt)
        if target is not None:  # the save dialog asked before replacing a file
            self._write(lambda: recaps.write_recap(self.officer, fmt, target, force=True),
                        f"Rekap tersimpan di {target}.")  # fmt: skip

    def save_worklist(self, target: Path | None = None) -> None:
        rw = self.rw.value()
        target = target or self._target("Simpan daftar kunjungan", f"kunjungan-rw{rw:03d}", "pdf")
        if target is not None:
            self._write(lambda: recaps.write_worklist(self.officer, rw, target, force=True),
                        f"Daftar kunjungan RW {rw:03d} tersimpan di {target}.")  # fmt: skip

    def save_drafts(self, target: Path | None = None) -> None:
        days = self.days.value()
        target = target or self._target("Simpan daftar draf lama", "draf-lama", "pdf")
        if target is not None:
            self._write(lambda: recaps.write_drafts(self.officer, days, target, force=True),
                        f"Daftar draf lebih dari {days} hari tersimpan di {target}.")  # fmt: skip

    def print_recap(self) -> None:
        """Make the recap PDF (on the runner), then print it on the main thread: the system's
        print dialog, or `self.printer` when one is set (tests print onto a PDF file)."""
        self.message.setText("Menyiapkan rekap untuk dicetak…")
        self.runner.submit(
            recaps.recap_pdf, self.officer, on_done=self._print_pdf, on_error=self._failed
        )

    def _print_pdf(self, made: tuple[bytes, int]) -> None:
        pdf, counted = made
        try:
            pages = print_pdf_bytes(self, pdf, "rekap", self.printer)
        except UserError as exc:
            self._failed(exc)
            return
        if not pages:
            self.message.setText("Pencetakan dibatalkan.")
            return
        self.runner.submit(
            recaps.recap_printed,
            self.officer,
            pdf,
            counted,
            on_done=lambda _r: self.message.setText(f"Rekap dicetak ({pages} halaman)."),
            on_error=self._failed,
        )
