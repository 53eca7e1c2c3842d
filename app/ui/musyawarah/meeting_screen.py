"""The meeting screen (issue 17): the agenda, decided at meeting speed by keyboard.

In the table: L = layak, T = tidak miskin (asks the reason), D = tunda, Backspace takes the
row's decision back; the cursor then moves to the next row (Enter and Down move on too).
*Semua sisa di RW ini layak* asks first (Batal is the default). F11 switches to the projection
view (large font, fewer columns, never a NIK). The papers are printed from here and *Kunci
hasil* locks the meeting; every refusal (a petugas deciding or locking, a BA not printed) is the
service's own line under the table. A locked meeting opens read-only; there *Pindaian BA…*
adds the signed BA's scan (role attachment.add; app/ui/household/attachments.py, meeting mode).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core import musyawarah as words
from app.services import musyawarah, musyawarah_docs, musyawarah_lock
from app.services.actions import Officer
from app.ui.errors import show_error
from app.ui.household.attachments import AttachmentsDialog
from app.ui.musyawarah.agenda_model import (
    COLUMNS,
    DECISION_COLUMN,
    PROJECTED,
    AgendaModel,
    describe,
    notes_text,
    rw_rt,
)
from app.ui.musyawarah.keys import DecisionKeys
from app.ui.musyawarah.papers import PaperPreview
from app.ui.musyawarah.reason_dialog import NotPoorDialog
from app.ui.runner import Runner
from app.ui.widgets.ask import ask
from app.ui.widgets.pdf_preview import fitting_size

NORMAL_FONT, PROJECTION_FONT = 10, 20


class MeetingScreen(QDialog):
    changed = Signal()  # decisions written into households (the list shows their status)

    def __init__(
        self,
        runner: Runner,
        officer: Officer | None,
        meeting_id: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.runner, self.officer, self.meeting_id = runner, officer, meeting_id
        self.meeting: musyawarah.Meeting | None = None
        self.preview: PaperPreview | None = None  # the paper shown last
        self.projecting = False
        self.setWindowTitle(f"Musyawarah kelurahan — {APP_NAME}")
        self.resize(fitting_size(1280, 640, parent))

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setObjectName("musyawarahCounts")
        self.model = AgendaModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.installEventFilter(DecisionKeys(self))
        hint = QLabel(
            "L = layak · T = tidak miskin (dengan alasan) · D = tunda · Backspace = batalkan "
            "keputusan · Enter/Bawah = baris berikutnya · F11 = tampilan proyektor"
        )
        hint.setWordWrap(True)
        self.hint = hint
        self.excluded = QListWidget()
        self.excluded.setToolTip("Memenuhi kriteria pengecualian: hanya informasi")
        self.excluded_label = QLabel("Dikecualikan (informasi, tidak dapat diusulkan):")
        self.message = QLabel()
        self.message.setObjectName("musyawarahMessage")
        self.message.setStyleSheet("#musyawarahMessage { color: #a00000; }")
        self.message.setWordWrap(True)

        self.all_button = QPushButton("&Semua sisa di RW ini layak…")
        self.ba_button = QPushButton("Cetak &berita acara…")
        self.notice_button = QPushButton("Cetak &pengumuman RW ini…")
        self.lock_button = QPushButton("&Kunci hasil…")
        self.scan_button = QPushButton("Pindaian B&A…")
        self.project_button = QPushButton("Tampilan p&royektor")
        row = QHBoxLayout()
        for button, slot in (
            (self.all_button, self.ask_remaining),
            (self.ba_button, lambda: self.print_paper(musyawarah_docs.BERITA_ACARA)),
            (self.notice_button, lambda: self.print_paper("pengumuman", self.current_rw())),
            (self.lock_button, self.ask_lock),
            (self.scan_button, self.open_scan),
            (self.project_button, self.toggle_projection),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton("&Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        row.addStretch(1)
        row.addWidget(buttons)

        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 0, 0)
        side_column.addWidget(self.excluded_label)
        side_column.addWidget(self.excluded)
        self.split = QSplitter()
        self.split.addWidget(self.table)
        self.split.addWidget(side)
        self.split.setStretchFactor(0, 4)
        self.split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.counts)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addLayout(row)
        projection = QShortcut(QKeySequence(Qt.Key.Key_F11), self, self.toggle_projection)
        projection.setWhatsThis("Musyawarah: tampilan proyektor (huruf besar, tanpa NIK)")
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self, keep_row: int | None = None) -> None:
        row = self.table.currentIndex().row() if keep_row is None else keep_row
        self.runner.submit(
            musyawarah.agenda,
            self.meeting_id,
            self.officer,
            on_done=lambda agenda: self._show(agenda, max(row, 0)),
            on_error=self._failed,
        )

    def _show(self, agenda: musyawarah.Agenda, row: int) -> None:
        self.meeting = agenda.meeting
        self.heading.setText(f"<b>Musyawarah kelurahan</b> — {describe(agenda.meeting)}")
        self.model.set_rows(agenda.households)
        self.excluded.clear()
        for item in agenda.excluded:
            self.excluded.addItem(f"{rw_rt(item)} {item.head_name or '-'} — {notes_text(item)}")
        self.excluded_label.setText(
            f"Dikecualikan (informasi, tidak dapat diusulkan): {len(agenda.excluded)}"
        )
        locked = agenda.meeting.locked
        for button in (self.all_button, self.lock_button):
            button.setEnabled(not locked)
        may_add = self.officer is not None and self.officer.may("attachment.add")
        self.scan_button.setEnabled(locked and may_add)  # the BA is signed once it is locked
        if locked:
            self.hint.setText("Musyawarah ini sudah dikunci: hanya dapat dibaca dan dicetak.")
        self._fit_columns()
        self.show_counts()
        if self.model.rows:
            self.table.selectRow(min(row, len(self.model.rows) - 1))
        self.table.setFocus()

    def _fit_columns(self) -> None:
        for column, name in enumerate(COLUMNS):
            self.table.setColumnHidden(column, self.projecting and name not in PROJECTED)
        self.table.resizeColumnsToContents()
        for column in (3, 5):  # address, notes: readable, the rest in the tooltip
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        # the decision column fits its longest word before any decision is taken
        longest = max(words.DECISIONS.values(), key=len)
        needed = self.table.fontMetrics().horizontalAdvance(longest) + 16
        self.table.setColumnWidth(DECISION_COLUMN, needed)

    def show_counts(self) -> None:
        counts = self.model.counts()
        self.counts.setText(
            f"Layak: <b>{counts[words.ELIGIBLE]}</b> · Tidak miskin: "
            f"<b>{counts[words.NOT_POOR]}</b> · Tunda: <b>{counts[words.POSTPONE]}</b> · "
            f"Belum: <b>{counts['undecided']}</b> (dari {len(self.model.rows)} keluarga)"
        )

    # --- deciding -----------------------------------------------------------------------------

    def current(self) -> musyawarah.AgendaRow | None:
        row = self.table.currentIndex().row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def current_rw(self) -> int | None:
        found = self.current()
        return found.rw if found is not None else None

    def next_row(self) -> None:
        row = self.table.currentIndex().row()
        if row + 1 < len(self.model.rows):
            self.table.selectRow(row + 1)

    def _open(self) -> bool:
        if self.meeting is not None and self.meeting.locked:
            self.message.setText("Musyawarah ini sudah dikunci; keputusan tidak dapat diubah.")
            return False
        return True

    def decide_current(self, decision: str, reason: str | None = None) -> None:
        found = self.current()
        if found is None or not self._open():
            return
        self.message.clear()
        self.runner.submit(
            musyawarah.decide,
            self.meeting_id,
            found.household_id,
            decision,
            self.officer,
            reason,
            on_done=self._decided,
            on_error=self._failed,
        )
        self.next_row()

    def _decided(self, entry: Any) -> None:
        self.model.set_decision(entry.household_id, entry.decision, entry.reason)
        self.show_counts()

    def ask_not_poor(self) -> None:
        found = self.current()
        if found is None or not self._open():
            return
        dialog = NotPoorDialog(found.head_name or "-", self)
        dialog.accepted.connect(lambda: self.decide_current(words.NOT_POOR, dialog.reason_text()))
        dialog.finished.connect(lambda _r: self.table.setFocus())
        dialog.open()

    def undecide_current(self) -> None:
        found = self.current()
        if found is None or not found.decision or not self._open():
            return
        household = found.household_id
        self.runner.submit(
            musyawarah.undecide,
            self.meeting_id,
            household,
            self.officer,
            on_done=lambda _r: (self.model.set_decision(household, None, None), self.show_counts()),
            on_error=self._failed,
        )

    def ask_remaining(self) -> None:
        found = self.current()
        if found is None or not self._open():
            return
        rw = found.rw
        remaining = [r.household_id for r in self.model.rows if r.rw == rw and not r.decision]
        if not remaining:
            self.message.setText(f"Semua keluarga RW {rw} sudah diputuskan.")
            return
        ask(
            self,
            f"Semua sisa layak? — {APP_NAME}",
            f"{len(remaining)} keluarga RW {rw} yang belum diputuskan akan dicatat LAYAK "
            "diusulkan. Lanjutkan?",
            "&Ya, semua layak",
            lambda: self._decide_all(remaining),
        )

    def _decide_all(self, household_ids: list[str]) -> None:
        """All or nothing (musyawarah.decide_many): one refusal and none is decided."""
        self.message.clear()
        self.runner.submit(
            musyawarah.decide_many,
            self.meeting_id,
            household_ids,
            words.ELIGIBLE,
            self.officer,
            on_done=self._decided_all,
            on_error=self._failed,
        )

    def _decided_all(self, entries: list[Any]) -> None:
        for entry in entries:
            self.model.set_decision(entry.household_id, entry.decision, entry.reason)
        self.show_counts()

    # --- papers and locking -------------------------------------------------------------------

    def print_paper(self, kind: str, rw: int | None = None) -> None:
        self.message.clear()
        self.runner.submit(
            musyawarah_docs.prepare_document,
            self.meeting_id,
            kind,
            self.officer,
            rw,
            on_done=self._preview,
            on_error=self._failed,
        )

    def _preview(self, document: musyawarah_docs.MeetingDocument) -> None:
        self.preview = PaperPreview(
            document, self.runner, self.officer, self._paper_issued, self._failed, self
        )
        self.preview.open()

    def _paper_issued(self) -> None:
        if self.preview is not None and self.preview.paper.kind == musyawarah_docs.BERITA_ACARA:
            self.message.setText("")
            self.counts.setToolTip(f"Kode verifikasi BA: {self.preview.paper.verification}")

    def ask_lock(self) -> None:
        if not self._open():
            return
        counts = self.model.counts()
        ask(
            self,
            f"Kunci hasil musyawarah? — {APP_NAME}",
            f"Keputusan dicatat ke setiap keluarga ({counts[words.ELIGIBLE]} layak, "
            f"{counts[words.NOT_POOR]} tidak miskin, {counts[words.POSTPONE]} tunda). "
            "Musyawarah yang dikunci tidak dapat diubah lagi. Lanjutkan?",
            "&Kunci hasil",
            self._lock,
        )

    def _lock(self) -> None:
        self.message.clear()
        self.runner.submit(
            musyawarah_lock.lock_meeting,
            self.meeting_id,
            self.officer,
            on_done=self._locked,
            on_error=self._failed,
        )

    def _locked(self, _meeting: Any) -> None:
        self.message.setText("")
        self.changed.emit()
        self.reload()

    def open_scan(self) -> AttachmentsDialog | None:
        """The signed BA scan of this locked meeting: added, viewed, saved (attachments)."""
        if self.meeting is None or not self.meeting.locked:
            return None
        scan = AttachmentsDialog(self.runner, self.officer, self.meeting_id, self,
                                 meeting=True, own=True)  # fmt: skip
        scan.open()  # its parent keeps it; closing it gives the focus back to the screen
        return scan

    # --- projection ---------------------------------------------------------------------------

    def toggle_projection(self) -> None:
        """Large font and fewer columns for the screen on the wall; F11 again goes back."""
        self.projecting = not self.projecting
        size = PROJECTION_FONT if self.projecting else NORMAL_FONT
        font = QFont(self.table.font())
        font.setPointSize(size)
        self.table.setFont(font)
        self.table.verticalHeader().setDefaultSectionSize(int(size * 2.4))
        self.counts.setStyleSheet(f"font-size: {size}pt;")
        self.split.widget(1).setVisible(not self.projecting)
        self.hint.setVisible(not self.projecting)
        self.project_button.setText(
            "Tampilan &normal" if self.projecting else "Tampilan p&royektor"
        )
        self._fit_columns()
        if self.projecting:
            self.showMaximized()
        else:
            self.showNormal()
        self.table.setFocus()

    def _failed(self, exc: Exception) -> None:
        """The service's refusal, as one line under the table (app/ui/errors.py)."""
        show_error(self, exc, label=self.message)
        if self.meeting is not None:
            self.reload()  # what the store holds, not what the screen assumed
