"""The household form: Data keluarga, Kondisi rumah, Aset, Anggota keluarga.

The form edits a copy of a household document. Every user edit restarts a short timer; when
typing pauses, `autosave_requested(doc)` asks the main window to autosave the form. Typing
that never pauses is autosaved too: the first edit after a save also starts a longer timer that
later edits do not restart, so no more than AUTOSAVE_MAX_WAIT_MS of typing is ever unsaved.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import codes
from app.core.document import Document, clone
from app.ui.household.members_editor import MembersEditor
from app.ui.widgets.fields import (
    ERROR_BACKGROUND,
    BoolField,
    CodeCombo,
    DateField,
    DigitsField,
    IntField,
    TextField,
)
from app.ui.widgets.findings_panel import FindingsPanel

AUTOSAVE_DELAY_MS = 400  # after the last edit, when typing pauses
AUTOSAVE_MAX_WAIT_MS = 2000  # after the first unsaved edit, however long typing goes on
HIGHLIGHT = {"exclusion": ERROR_BACKGROUND, "error": ERROR_BACKGROUND, "warning": "#fff0a8"}
MEMBER_PATH = re.compile(r"members\[(\d+)\]\.(\w+)")
HOUSING_FIELDS = (
    "tenure", "floor_area_m2", "floor", "wall", "roof", "drinking_water", "lighting",
    "cooking_fuel", "toilet", "sewage",
)  # fmt: skip
POWER_METERS = 3
HOUSEHOLD_FIELD_COUNT = 5  # no_kk, rw, rt, address, phone: bound first, in _household_box


class HouseholdForm(QWidget):
    autosave_requested = Signal(dict)
    changed = Signal()  # on every edit and on load: time to re-run the checks
    open_household_requested = Signal(str)
    save_requested = Signal(bool)  # final?
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._doc: Document | None = None
        self._evaluation = None
        self._loading = False
        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._autosave_timer.timeout.connect(self._autosave_now)
        self._max_wait_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MAX_WAIT_MS)
        self._max_wait_timer.timeout.connect(self._autosave_now)

        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.village_label = QLabel()
        self.save_final_button = QPushButton("&Simpan final (Ctrl+S)")
        self.save_draft_button = QPushButton("Simpan &draf")
        self.close_button = QPushButton("&Kembali ke daftar (Esc)")
        self.save_final_button.clicked.connect(lambda: self.save_requested.emit(True))
        self.save_draft_button.clicked.connect(lambda: self.save_requested.emit(False))
        self.close_button.clicked.connect(self.close_requested.emit)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch()
        for button in (self.save_draft_button, self.save_final_button, self.close_button):
            header.addWidget(button)

        self.fields: dict[str, QWidget] = {}
        self.members = MembersEditor()
        self.members.edited.connect(self._edited)
        self.members.current_changed.connect(lambda _row: self._highlight())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(
                QKeySequence(keys),
                self,
                self.members.add_member,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

        # One column, in the order an officer works: the KK card, its members, then the
        # questions about the house and assets. Tab follows the same order.
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self._household_box())
        column.addWidget(self.members)
        column.addWidget(self._housing_box())
        column.addWidget(self._assets_box())
        column.addWidget(self._musyawarah_box())
        column.addStretch()

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)
        self.findings = FindingsPanel()
        self.findings.field_requested.connect(self.focus_path)
        self.findings.household_requested.connect(self.open_household_requested)
        split = QSplitter()
        split.addWidget(self.scroll)
        split.addWidget(self.findings)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setSizes([1000, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.village_label)
        layout.addWidget(split, 1)
        QApplication.instance().focusChanged.connect(self._keep_focus_visible)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Top to bottom: household, members, housing, assets, musyawarah (keyboard-only entry)."""
        widgets = list(self.fields.values())
        household, rest = widgets[:HOUSEHOLD_FIELD_COUNT], widgets[HOUSEHOLD_FIELD_COUNT:]
        for chain in ([*household, self.members.table], [self.members.add_button, *rest]):
            for first, second in zip(chain, chain[1:], strict=False):
                QWidget.setTabOrder(first, second)

    # --- sections -----------------------------------------------------------------------------

    def _bind(self, path: str, widget: QWidget) -> QWidget:
        widget.setObjectName(path)
        widget.edited.connect(self._edited)
        self.fields[path] = widget
        return widget

    def _household_box(self) -> QGroupBox:
        box = QGroupBox("Data keluarga")
        form = QFormLayout(box)
        form.addRow("No. KK", self._bind("no_kk", DigitsField(16)))
        rw_rt = QHBoxLayout()
        rw_rt.addWidget(QLabel("RW"))
        rw_rt.addWidget(self._bind("rw", IntField(3)))
        rw_rt.addWidget(QLabel("RT"))
        rw_rt.addWidget(self._bind("rt", IntField(3)))
        rw_rt.addStretch()
        for key in ("rw", "rt"):
            self.fields[key].setMaximumWidth(70)
        form.addRow("RW / RT", rw_rt)
        form.addRow("Alamat", self._bind("address", TextField(500)))
        self.fields["address"].setPlaceholderText("Jalan, nomor rumah, gang")
        form.addRow("No. HP", self._bind("phone", DigitsField(15)))
        return box

    def _housing_box(self) -> QGroupBox:
        box = QGroupBox("Kondisi rumah")
        form = QFormLayout(box)
        for key in HOUSING_FIELDS:
            widget = IntField(6) if key == "floor_area_m2" else CodeCombo("housing", key)
            form.addRow(codes.title("housing", key), self._bind(f"housing.{key}", widget))
        meters = QHBoxLayout()
        for i in range(POWER_METERS):
            meters.addWidget(self._bind(f"housing.power_va[{i}]", CodeCombo("housing", "power_va")))
        form.addRow("Daya listrik per meteran", meters)
        return box

    def _assets_box(self) -> QGroupBox:
        box = QGroupBox("Aset yang dimiliki")
        grid = QGridLayout(box)
        for i, (key, text) in enumerate(codes.asset_flags()):
            grid.addWidget(self._bind(f"assets.{key}", BoolField(text)), i // 2, i % 2)
        row = len(codes.asset_flags()) // 2 + 1
        grid.addWidget(QLabel(codes.title("assets", "land_building_njop_idr")), row, 0, 1, 2)
        njop = self._bind("assets.land_building_njop_idr", IntField(15))
        njop.setPlaceholderText("Kosongkan bila tidak tahu; contoh 850.000.000")
        grid.addWidget(njop, row + 1, 0, 1, 2)
        return box

    def _musyawarah_box(self) -> QGroupBox:
        # Supervisor only (DESIGN §5): enabled by set_musyawarah_allowed for the roles with
        # "musyawarah.decide" (app.services.auth.ROLE_ACTIONS).
        box = QGroupBox("Musyawarah kelurahan (diisi supervisor)")
        self.musyawarah_box = box
        box.setObjectName("musyawarahBox")
        form = QFormLayout(box)
        form.addRow(
            codes.title("musyawarah", "decision"),
            self._bind("musyawarah.decision", CodeCombo("musyawarah", "decision")),
        )
        form.addRow(codes.title("musyawarah", "date"), self._bind("musyawarah.date", DateField()))
        form.addRow(
            codes.title("musyawarah", "minutes_number"),
            self._bind("musyawarah.minutes_number", TextField(100)),
        )
        return box

    def show_evaluation(self, evaluation) -> None:
        """Show the checks' verdict: the panel, and a colour on each field concerned."""
        self._evaluation = evaluation
        self.findings.show_evaluation(evaluation)
        self._highlight()

    def _highlight(self) -> None:
        """Colour the fields the findings point at (the shown member's fields only)."""
        kinds: dict[QWidget, str] = {}
        current = self.members.current_index()
        for finding in self._evaluation.findings if self._evaluation else ():
            if finding.kind == "hint":
                continue
            for path in finding.fields:
                member = MEMBER_PATH.fullmatch(path)
                if member:
                    widget = (
                        self.members.fields.get(member[2]) if int(member[1]) == current else None
                    )
                else:
                    widget = self.fields.get(path) or self.fields.get(f"{path}[0]")
                if widget is not None and kinds.get(widget) not in ("exclusion", "error"):
                    kinds[widget] = finding.kind
        for widget in (*self.fields.values(), *self.members.fields.values()):
            kind = kinds.get(widget)
            if widget.property("finding") != kind:  # restyling is slow: only on change
                colour = HIGHLIGHT.get(kind or "", "")
                widget.setStyleSheet(f"background: {colour};" if colour else "")
                widget.setProperty("finding", kind)

    def set_musyawarah_allowed(self, allowed: bool) -> None:
        self.musyawarah_box.setEnabled(allowed)
        self.musyawarah_box.setToolTip("" if allowed else "Hanya supervisor yang dapat mengisi")

    def focus_path(self, path: str) -> None:
        """Put the cursor in the field a finding points at ("members[2].nik", "assets.car")."""
        member = MEMBER_PATH.fullmatch(path)
        if member:
            self.members.focus_field(int(member[1]), member[2])
            return
        if path == "members":
            self.members.add_button.setFocus()
            return
        widget = self.fields.get(path) or self.fields.get(f"{path}[0]")
        if widget is not None:
            widget.setFocus()

    # --- document in and out ------------------------------------------------------------------

    def load(self, doc: Document, village_label: str = "") -> None:
        """Show `doc` for editing (no autosave is triggered by loading)."""
        self._stop_autosave_timers()
        self._doc = clone(doc)
        self._loading = True
        try:
            for path, widget in self.fields.items():
                widget.set_value(self._read(doc, path))
            self.members.set_members(doc["members"])
        finally:
            self._loading = False
        number = doc.get("registration_number")
        self.title.setText(f"Keluarga {number}" if number else "Keluarga baru")
        self.village_label.setText(f"Kelurahan: {village_label}" if village_label else "")
        self.fields["no_kk"].setFocus()
        self.changed.emit()

    def document(self) -> Document:
        """The household as currently typed."""
        assert self._doc is not None, "no household loaded"
        doc = clone(self._doc)
        doc["housing"]["power_va"] = []
        for path, widget in self.fields.items():
            self._write(doc, path, widget.value())
        doc["members"] = self.members.members()
        return doc

    def household_id(self) -> str | None:
        return None if self._doc is None else self._doc["household_id"]

    @staticmethod
    def _read(doc: Document, path: str):
        if path.startswith("housing.power_va["):
            index = int(path[len("housing.power_va[") : -1])
            meters = doc["housing"]["power_va"]
            return meters[index] if index < len(meters) else None
        section, _, key = path.rpartition(".")
        return (doc[section] if section else doc)[key]

    @staticmethod
    def _write(doc: Document, path: str, value) -> None:
        if path.startswith("housing.power_va["):
            if value is not None:
                doc["housing"]["power_va"].append(value)
            return
        section, _, key = path.rpartition(".")
        (doc[section] if section else doc)[key] = value

    # --- autosave -----------------------------------------------------------------------------

    def _edited(self) -> None:
        if not self._loading:
            self._autosave_timer.start()  # restarted by every edit: saves when typing pauses
            if not self._max_wait_timer.isActive():  # started by the first unsaved edit only
                self._max_wait_timer.start()
            self.changed.emit()

    def flush_autosave(self) -> None:
        """Autosave now if an edit is waiting for a timer."""
        if self.has_pending_edit:
            self._autosave_now()

    def _autosave_now(self) -> None:
        """Either timer ran out (or a flush): save every edit so far; the next edit starts both
        timers afresh."""
        self._stop_autosave_timers()
        if self._doc is not None:
            self.autosave_requested.emit(self.document())

    def _stop_autosave_timers(self) -> None:
        self._autosave_timer.stop()
        self._max_wait_timer.stop()

    @property
    def has_pending_edit(self) -> bool:
        return self._autosave_timer.isActive() or self._max_wait_timer.isActive()

    def _keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.scroll.widget().isAncestorOf(new):
            self.scroll.ensureWidgetVisible(new, 20, 40)
