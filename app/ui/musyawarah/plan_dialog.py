"""Plan a musyawarah kelurahan (issue 17): date, time, place, chair (the Lurah), the RW it is
held for (empty: the whole kelurahan) and the participants with their role. The first field
takes the keyboard; a participant is typed in the row of fields under the table and added with
*Tambah peserta* (Enter in its fields); the table is left by Tab. *Simpan* plans the meeting
(or changes its plan) through the service, which sets the date receipts promise; *Cetak
undangan* and *Cetak daftar hadir* save first, then show the paper."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core import musyawarah as words
from app.services import musyawarah, musyawarah_docs
from app.services.actions import Officer
from app.ui.errors import show_error
from app.ui.musyawarah.papers import PaperPreview
from app.ui.runner import Runner
from app.ui.widgets.fields import DateField, IntField, TextField
from app.ui.widgets.focus import start_in_first_field


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    represents: str | None
    number: int | None = None  # stored participant's number; None: not saved yet


@dataclass(frozen=True)
class Plan:
    date: str
    time: str | None
    place: str
    chair: str | None
    rw: int | None
    attendees: tuple[Attendee, ...]


def save_plan(
    meeting_id: str | None, plan: Plan, removed: tuple[int, ...], officer: Officer | None
) -> musyawarah.Meeting:
    """Plan the meeting (or change its plan), then add and remove participants: each through
    the service, which checks and audits it. Runs on the background runner."""
    if meeting_id is None:
        meeting = musyawarah.create_meeting(
            plan.date, plan.place, officer, time=plan.time, chair=plan.chair, rw=plan.rw
        )
    else:
        meeting = musyawarah.update_meeting(
            meeting_id,
            officer,
            date=plan.date,
            time=plan.time or "",
            place=plan.place,
            chair=plan.chair or "",
        )
    for number in removed:
        musyawarah.remove_participant(meeting.id, number, officer)
    for person in plan.attendees:
        if person.number is None:
            musyawarah.add_participant(
                meeting.id, person.name, person.role, officer, person.represents
            )
    return meeting


def load_plan(meeting_id: str, officer: Officer | None) -> tuple[musyawarah.Meeting, list]:
    return musyawarah.get_meeting(meeting_id), musyawarah.participants(meeting_id, officer)


class PlanDialog(QDialog):
    saved = Signal(str)  # the meeting's id

    def __init__(
        self,
        runner: Runner,
        officer: Officer | None,
        meeting_id: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.runner, self.officer, self.meeting_id = runner, officer, meeting_id
        self.attendees: list[Attendee] = []
        self.removed: list[int] = []
        self.preview: PaperPreview | None = None
        self.setWindowTitle(f"Rencana musyawarah kelurahan — {APP_NAME}")
        self.setMinimumWidth(760)

        self.date = DateField()
        self.date.setPlaceholderText("HH-BB-TTTT")
        self.time = TextField(5)
        self.time.setPlaceholderText("09.00")
        self.place = TextField(musyawarah.MAX_PLACE)
        self.place.setPlaceholderText("mis. Aula Kantor Kelurahan")
        self.chair = TextField(musyawarah.MAX_NAME)
        self.chair.setPlaceholderText("Nama Lurah yang memimpin")
        self.rw = IntField(3)
        self.rw.setPlaceholderText("Kosongkan untuk seluruh kelurahan")
        form = QFormLayout()
        for text, field in (
            ("Tangga&l", self.date),
            ("&Jam", self.time),
            ("T&empat", self.place),
            ("Pi&mpinan (Lurah)", self.chair),
            ("&RW (musyawarah per RW)", self.rw),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Nama peserta", "Peran", "Mewakili"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(180)
        self.name = TextField(musyawarah.MAX_NAME)
        self.name.setPlaceholderText("Nama peserta")
        self.role = QComboBox()
        for code, text in words.PARTICIPANT_ROLES.items():
            self.role.addItem(text, code)
        self.represents = TextField(100)
        self.represents.setPlaceholderText("Mewakili, mis. RW 05")
        self.add_button = QPushButton("T&ambah peserta")
        self.remove_button = QPushButton("&Hapus peserta")
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_attendee)
        self.remove_button.clicked.connect(self.remove_attendee)
        for field in (self.name, self.represents):
            field.returnPressed.connect(self.add_attendee)
        entry = QHBoxLayout()
        entry.addWidget(self.name, 3)
        entry.addWidget(self.role, 2)
        entry.addWidget(self.represents, 2)
        entry.addWidget(self.add_button)
        entry.addWidget(self.remove_button)
        people = QLabel("&Peserta:")
        people.setBuddy(self.name)

        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.invitation_button = QPushButton("Cetak &undangan…")
        self.attendance_button = QPushButton("Cetak daftar ha&dir…")
        # not an AcceptRole button: Enter in a participant's fields adds them, it does not save
        self.save_button = buttons.addButton("&Simpan", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.invitation_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.attendance_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("&Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        for button in buttons.buttons():
            button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.invitation_button.clicked.connect(lambda: self.save("undangan"))
        self.attendance_button.clicked.connect(lambda: self.save("daftar-hadir"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(people)
        layout.addLayout(entry)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        start_in_first_field(self)
        if meeting_id is not None:
            self.runner.submit(
                load_plan, meeting_id, officer, on_done=self._loaded, on_error=self._failed
            )

    # --- participants -------------------------------------------------------------------------

    def add_attendee(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            self.message.setText("Ketik nama peserta dahulu.")
            self.name.setFocus()
            return
        self.attendees.append(Attendee(name, self.role.currentData(), self.represents.value()))
        self._show_attendees()
        self.name.clear()
        self.represents.clear()
        self.message.clear()
        self.name.setFocus()

    def remove_attendee(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.attendees):
            self.message.setText("Pilih peserta di tabel dahulu.")
            return
        gone = self.attendees.pop(row)
        if gone.number is not None:
            self.removed.append(gone.number)
        self._show_attendees()

    def _show_attendees(self) -> None:
        self.table.setRowCount(len(self.attendees))
        for row, person in enumerate(self.attendees):
            values = (
                person.name,
                words.PARTICIPANT_ROLES.get(person.role, person.role),
                person.represents or "",
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))

    # --- loading and saving -------------------------------------------------------------------

    def _loaded(self, found: tuple[musyawarah.Meeting, list]) -> None:
        meeting, people = found
        self.date.set_value(meeting.date)
        self.time.set_value(meeting.time)
        self.place.set_value(meeting.place)
        self.chair.set_value(meeting.chair)
        self.rw.set_value(meeting.rw)
        self.rw.setReadOnly(True)  # the agenda it was planned for
        self.attendees = [Attendee(p.name, p.role, p.represents, p.pk) for p in people]
        self._show_attendees()
        if meeting.locked:
            self.message.setText("Musyawarah ini sudah dikunci: rencananya tidak dapat diubah.")
            for widget in (self.save_button, self.add_button, self.remove_button):
                widget.setEnabled(False)

    def plan(self) -> Plan:
        rw = self.rw.value()  # a whole number (IntField), or None
        return Plan(
            date=self.date.value() or "",
            time=self.time.value(),
            place=self.place.value() or "",
            chair=self.chair.value(),
            rw=rw,
            attendees=tuple(self.attendees),
        )

    def save(self, paper: str | None = None) -> None:
        """Save the plan; then show `paper` (undangan, daftar-hadir) when asked."""
        if self.save_button.isEnabled():
            self.message.setText("Menyimpan…")
            self.runner.submit(
                save_plan,
                self.meeting_id,
                self.plan(),
                tuple(self.removed),
                self.officer,
                on_done=lambda meeting: self._saved(meeting, paper),
                on_error=self._failed,
            )
        elif paper is not None and self.meeting_id is not None:
            self._print(paper)

    def _saved(self, meeting: musyawarah.Meeting, paper: str | None) -> None:
        self.meeting_id = meeting.id
        self.removed = []
        self.message.setText(f"Rencana tersimpan. Nomor BA {meeting.minutes_number}.")
        self.saved.emit(meeting.id)
        self.runner.submit(
            load_plan, meeting.id, self.officer, on_done=self._loaded, on_error=self._failed
        )
        if paper is not None:
            self._print(paper)

    def _print(self, paper: str) -> None:
        assert self.meeting_id is not None
        self.runner.submit(
            musyawarah_docs.prepare_document,
            self.meeting_id,
            paper,
            self.officer,
            on_done=self._preview,
            on_error=self._failed,
        )

    def _preview(self, document: musyawarah_docs.MeetingDocument) -> None:
        self.preview = PaperPreview(
            document, self.runner, self.officer, lambda: None, self._failed, self
        )
        self.preview.open()

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc, label=self.message)
