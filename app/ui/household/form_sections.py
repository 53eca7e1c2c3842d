"""The sections of the household form below its members (app/ui/household/form.py): Data
keluarga, Kondisi rumah, Aset, Musyawarah. Each builder takes `bind(path, widget)`, which
registers the field with the form, and returns the section's box.

The asset checkboxes are laid out down the first column, then down the second, in the
questionnaire's order, so that the order Tab follows (the same list order) is the order the
eye reads them (issue 16). Typing a label's first letters moves to that box (`CheckboxTypeAhead`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from app.core import codes
from app.services import installation
from app.ui.household.members_editor import DTKS_ID
from app.ui.widgets.fields import (
    READ_ONLY_STYLE,
    BoolField,
    CodeCombo,
    DateField,
    DigitsField,
    IntField,
    TextField,
)
from app.ui.widgets.typing_aids import CheckboxTypeAhead

Bind = Callable[[str, QWidget], QWidget]
HOUSING_FIELDS = (
    "tenure", "floor_area_m2", "floor", "wall", "roof", "drinking_water", "lighting",
    "cooking_fuel", "toilet", "sewage",
)  # fmt: skip
POWER_METERS = 3
ASSET_COLUMNS = 2


def household_box(bind: Bind) -> QGroupBox:
    box = QGroupBox("Data keluarga")
    form = QFormLayout(box)
    form.addRow("No. KK", bind("no_kk", DigitsField(16)))
    rw_rt = QHBoxLayout()
    rw_rt.addWidget(QLabel("RW"))
    rw = bind("rw", IntField(3))
    rw_rt.addWidget(rw)
    rw_rt.addWidget(QLabel("RT"))
    rt = bind("rt", IntField(3))
    rw_rt.addWidget(rt)
    rw_rt.addStretch()
    for field in (rw, rt):
        field.setMaximumWidth(70)
    form.addRow("RW / RT", rw_rt)
    address = bind("address", TextField(500))
    assert isinstance(address, TextField)
    address.setPlaceholderText("Jalan, nomor rumah, gang")
    form.addRow("Alamat", address)
    form.addRow("No. HP", bind("phone", DigitsField(15)))
    # the household's ID DTKS is Dinsos' to assign (DESIGN §11): read-only (grey) at a kelurahan
    dtks_id = TextField(40, DTKS_ID)
    if not installation.is_dinsos():
        dtks_id = _DecidedText(40, DTKS_ID)
        dtks_id.setStyleSheet(READ_ONLY_STYLE)
    dtks_id.setToolTip("Diberikan Dinas Sosial; tiba di kelurahan lewat bundel")
    form.addRow(codes.title("household", "dtks_id"), bind("dtks_id", dtks_id))
    return box


def housing_box(bind: Bind) -> QGroupBox:
    box = QGroupBox("Kondisi rumah")
    form = QFormLayout(box)
    for key in HOUSING_FIELDS:
        widget = IntField(6) if key == "floor_area_m2" else CodeCombo("housing", key)
        form.addRow(codes.title("housing", key), bind(f"housing.{key}", widget))
    meters = QHBoxLayout()
    for i in range(POWER_METERS):
        meters.addWidget(bind(f"housing.power_va[{i}]", CodeCombo("housing", "power_va")))
    form.addRow("Daya listrik per meteran", meters)
    return box


def assets_box(bind: Bind) -> tuple[QGroupBox, CheckboxTypeAhead]:
    """The asset checkboxes, column by column, then the NJOP."""
    box = QGroupBox("Aset yang dimiliki (ketik huruf awal untuk pindah, Spasi untuk mencentang)")
    grid = QGridLayout(box)
    flags = codes.asset_flags()
    rows = -(-len(flags) // ASSET_COLUMNS)  # ceiling
    boxes = []
    for i, (key, text) in enumerate(flags):
        checkbox = bind(f"assets.{key}", BoolField(text))
        boxes.append(checkbox)
        grid.addWidget(checkbox, i % rows, i // rows)
    grid.addWidget(QLabel(codes.title("assets", "land_building_njop_idr")), rows, 0, 1, 2)
    njop = bind("assets.land_building_njop_idr", IntField(15))
    assert isinstance(njop, IntField)
    njop.setPlaceholderText("Kosongkan bila tidak tahu; contoh 850.000.000")
    grid.addWidget(njop, rows + 1, 0, 1, 2)
    return box, CheckboxTypeAhead(boxes, box)


class _Decided:
    """A musyawarah field that stays read-only whatever the form's mode (issue 17): the
    decision is taken in a meeting (menu *Musyawarah kelurahan*), not by editing one form."""

    def set_read_only(self, _read_only: bool) -> None:
        self.setReadOnly(True)  # type: ignore[attr-defined]


class _DecidedChoice(_Decided, CodeCombo):
    def set_read_only(self, _read_only: bool) -> None:
        CodeCombo.set_read_only(self, True)


class _DecidedDate(_Decided, DateField):
    pass


class _DecidedText(_Decided, TextField):
    pass


class MusyawarahBox(QGroupBox):
    """The box, with *Buka musyawarah*: asks (`open_requested`, the meeting id) for the screen
    of the meeting that decided the household (app/ui/musyawarah/meeting_screen.py), which is
    read-only once locked and does what the officer's role allows."""

    open_requested = Signal(str)

    def __init__(self, title: str):
        super().__init__(title)
        self.open_button = QPushButton("Buka musya&warah")
        self.open_button.setEnabled(False)
        self.open_button.setToolTip("Buka layar musyawarah yang memutuskan keluarga ini")
        self.meeting_id = ""

    def show_meeting(self, meeting_id: str) -> None:
        self.meeting_id = meeting_id.strip()
        self.open_button.setEnabled(bool(self.meeting_id))

    def request_open(self) -> None:
        if self.meeting_id:
            self.open_requested.emit(self.meeting_id)


def musyawarah_box(bind: Bind) -> MusyawarahBox:
    """A read-only summary of the musyawarah's decision (DESIGN §5, app/core/ownership.py
    MUSYAWARAH): written by locking a meeting (app/services/musyawarah_lock.py), never typed
    here; reachable by Tab, readable and copyable. The BA number names the meeting; *Buka
    musyawarah* opens it."""
    box = MusyawarahBox("Musyawarah kelurahan (diputuskan dalam musyawarah, hanya dibaca)")
    box.setObjectName("musyawarahBox")
    form = QFormLayout(box)
    form.addRow(
        codes.title("musyawarah", "decision"),
        bind("musyawarah.decision", _DecidedChoice("musyawarah", "decision")),
    )
    form.addRow(codes.title("musyawarah", "date"), bind("musyawarah.date", _DecidedDate()))
    form.addRow(
        codes.title("musyawarah", "minutes_number"),
        bind("musyawarah.minutes_number", _DecidedText(100)),
    )
    form.addRow(codes.title("musyawarah", "reason"), bind("musyawarah.reason", _DecidedText(300)))
    meeting = _DecidedText(64)
    meeting.textChanged.connect(box.show_meeting)
    row = QHBoxLayout()
    row.addWidget(bind("musyawarah.meeting_id", meeting), 1)
    row.addWidget(box.open_button)
    box.open_button.clicked.connect(box.request_open)
    form.addRow(codes.title("musyawarah", "meeting_id"), row)
    return box
