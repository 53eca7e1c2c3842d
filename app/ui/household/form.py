"""The household form: Data keluarga, Kondisi rumah, Aset, Anggota keluarga.

The form edits a copy of a household document. Every user edit restarts a short timer; when
typing pauses, `autosave_requested(doc)` asks the main window to autosave the form. Typing
that never pauses is autosaved too: the first edit after a save also starts a longer timer that
later edits do not restart, so no more than AUTOSAVE_MAX_WAIT_MS of typing is ever unsaved.

Keyboard (issue 16): a registered household opened from the list is shown read-only (every
field reachable by Tab and readable, none changeable) until F2 / Ctrl+E or *Ubah (F2)*; a new
household or a resumed draft starts editable. Ctrl+PgDn / Ctrl+PgUp jump to the next /
previous section. Tab follows the page top to bottom and passes over the second and third
power meter until the one before is answered. The form's own shortcuts are QShortcuts with a
`whatsThis`, which *Bantuan → Pintasan keyboard* (app/ui/shortcuts_dialog.py) lists.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.document import Document, clone
from app.ui.household import attachments, form_sections
from app.ui.household.members_editor import MembersEditor
from app.ui.household.missing_answers import MissingAnswers
from app.ui.household.timeline_dialog import FormHistory
from app.ui.widgets.fields import ERROR_BACKGROUND, READ_ONLY_STYLE
from app.ui.widgets.findings_panel import FindingsPanel

AUTOSAVE_DELAY_MS = 400  # after the last edit, when typing pauses
AUTOSAVE_MAX_WAIT_MS = 2000  # after the first unsaved edit, however long typing goes on
HIGHLIGHT = {"exclusion": ERROR_BACKGROUND, "error": ERROR_BACKGROUND, "warning": "#fff0a8"}
MEMBER_PATH = re.compile(r"members\[(\d+)\]\.(\w+)")
HOUSEHOLD_FIELD_COUNT = 6  # no_kk, rw, rt, address, phone, dtks_id: bound first (household_box)
READ_ONLY_NOTE = "Hanya baca: tekan F2 (atau Ctrl+E) untuk mengubah data keluarga ini"


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

        self._editing = True
        self._musyawarah_allowed = True
        self.title = QLabel()
        self.title.setObjectName("formTitle")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.village_label = QLabel()
        self.mode_label = QLabel(READ_ONLY_NOTE)
        self.mode_label.setObjectName("readOnlyNote")
        self.mode_label.setStyleSheet(
            "#readOnlyNote { background: #e3eefc; border: 1px solid #8fb3e6; padding: 4px; }"
        )
        self.edit_button = QPushButton("&Ubah (F2)")
        self.save_final_button = QPushButton("&Simpan final (Ctrl+S)")
        self.save_draft_button = QPushButton("Simpan &draf")
        self.close_button = QPushButton("&Kembali ke daftar (Esc)")
        self.attachments_button = QPushButton("Lampi&ran… (Ctrl+L)")
        self.attachments_button.clicked.connect(self.open_attachments)
        self.edit_button.clicked.connect(self.start_editing)
        self.save_final_button.clicked.connect(lambda: self.save_requested.emit(True))
        self.save_draft_button.clicked.connect(lambda: self.save_requested.emit(False))
        self.close_button.clicked.connect(self.close_requested.emit)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addStretch()
        for button in (
            self.edit_button,
            self.save_draft_button,
            self.save_final_button,
            self.attachments_button,
            self.close_button,
        ):
            header.addWidget(button)

        self.fields: dict[str, QWidget] = {}
        self.members = MembersEditor()
        self.members.edited.connect(self._edited)
        self.members.current_changed.connect(lambda _row: self._highlight())

        # One column, in the order an officer works: the KK card, its members, then the
        # questions about the house and assets. Tab follows the same order.
        bind = self._bind
        household = form_sections.household_box(bind)
        housing = form_sections.housing_box(bind)
        assets, self.asset_type_ahead = form_sections.assets_box(bind)
        self.musyawarah_box = form_sections.musyawarah_box(bind)
        self.sections: list[QGroupBox] = [household, self.members, housing, assets]
        self.sections.append(self.musyawarah_box)
        body = QWidget()
        column = QVBoxLayout(body)
        for section in self.sections:
            column.addWidget(section)
        column.addStretch()

        # a required answer is coloured once left or after Simpan final (missing_answers.py)
        self.missing = MissingAnswers(
            self.fields, self.members, self.save_requested, self._highlight, self
        )
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
        layout.addWidget(self.mode_label)
        layout.addWidget(split, 1)
        self.history = FormHistory(self, header, layout)  # Riwayat, Dinsos notice (issue 19)
        QApplication.instance().focusChanged.connect(self._keep_focus_visible)
        self._meter_focus = self.fields["housing.power_va[1]"].focusPolicy()
        self._set_tab_order()
        self._create_shortcuts()
        self.set_editing(True)

    def _create_shortcuts(self) -> None:
        """The form's keys; each `whatsThis` is its line in Bantuan → Pintasan keyboard."""
        for keys, slot, what in (
            ("Ctrl+Return", self.members.add_member, "Tambah anggota keluarga"),
            ("Ctrl+Enter", self.members.add_member, "Tambah anggota keluarga (papan angka)"),
            ("F2", self.start_editing, "Ubah keluarga yang dibuka (mulai mengedit)"),
            ("Ctrl+E", self.start_editing, "Ubah keluarga yang dibuka (sama dengan F2)"),
            ("Ctrl+PgDown", lambda: self.jump_section(+1), "Ke bagian formulir berikutnya"),
            ("Ctrl+PgUp", lambda: self.jump_section(-1), "Ke bagian formulir sebelumnya"),
            ("Ctrl+L", self.open_attachments, "Lampiran keluarga (pindaian KTP/KK, foto rumah)"),
        ):
            shortcut = QShortcut(
                QKeySequence(keys),
                self,
                slot,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
            shortcut.setWhatsThis(what)

    def tab_chain(self) -> list[QWidget]:
        """Every field in Tab order, top to bottom as the page shows them: household, members
        (list, its buttons, the member's fields), housing, assets (column by column, the list
        order), musyawarah; then the findings and the header's buttons."""
        widgets = list(self.fields.values())
        household, rest = widgets[:HOUSEHOLD_FIELD_COUNT], widgets[HOUSEHOLD_FIELD_COUNT:]
        header = [self.edit_button, self.save_draft_button, self.save_final_button]
        opener = self.musyawarah_box.open_button  # after the musyawarah's fields
        return [*household, *self.members.tab_chain(), *rest, opener, *header, self.close_button]

    def _set_tab_order(self) -> None:
        chain = self.tab_chain()
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # --- keyboard: sections and the read-only mode ----------------------------------------

    def jump_section(self, step: int) -> None:
        """Ctrl+PgDn / Ctrl+PgUp: the cursor to the first field of the next / previous
        section (from the header, the first section)."""
        focus = QApplication.focusWidget()
        current = next(
            (i for i, box in enumerate(self.sections) if box.isAncestorOf(focus)),
            -1 if step > 0 else len(self.sections),
        )
        target = min(max(current + step, 0), len(self.sections) - 1)
        box = self.sections[target]
        first = self.members.table if box is self.members else self._first_field(box)
        if first is not None:
            first.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _first_field(self, box: QWidget) -> QWidget | None:
        return next((w for w in self.fields.values() if box.isAncestorOf(w)), None)

    @property
    def editing(self) -> bool:
        return self._editing

    def start_editing(self) -> None:
        """F2 / Ctrl+E / Ubah: the shown household becomes editable; the cursor stays put."""
        if self._doc is not None and not self._editing:
            self.set_editing(True)

    def set_editing(self, editing: bool) -> None:
        """Editable, or read-only: every field still takes the focus (Tab reaches it, it can
        be read and copied), none changes, and nothing can be saved."""
        self._editing = editing
        for path, widget in self.fields.items():
            locked = not editing or (
                path.startswith("musyawarah.") and not self._musyawarah_allowed
            )
            widget.set_read_only(locked)  # type: ignore[attr-defined]
        self.members.set_read_only(not editing)
        self.save_final_button.setEnabled(editing)
        self.save_draft_button.setEnabled(editing)
        self.edit_button.setVisible(not editing)
        self.mode_label.setVisible(not editing)
        self.scroll.widget().setStyleSheet("" if editing else READ_ONLY_STYLE)

    # --- sections -----------------------------------------------------------------------------

    def _bind(self, path: str, widget: QWidget) -> QWidget:
        widget.setObjectName(path)
        widget.edited.connect(self._edited)  # type: ignore[attr-defined]
        self.fields[path] = widget
        return widget

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
                if widget is None or not self.missing.shows(finding.rule, widget):
                    continue
                if kinds.get(widget) not in ("exclusion", "error"):
                    kinds[widget] = finding.kind
        for widget in (*self.fields.values(), *self.members.fields.values()):
            kind = kinds.get(widget)
            if widget.property("finding") != kind:  # restyling is slow: only on change
                colour = HIGHLIGHT.get(kind or "", "")
                widget.setStyleSheet(f"background: {colour};" if colour else "")
                widget.setProperty("finding", kind)

    def set_musyawarah_allowed(self, allowed: bool) -> None:
        """Whether the officer's role may decide the musyawarah (app/core/ownership.py): if
        not, its fields stay read-only but reachable by Tab and readable."""
        self._musyawarah_allowed = allowed
        self.musyawarah_box.setToolTip("" if allowed else "Hanya supervisor yang dapat mengisi")
        self.set_editing(self._editing)

    @property
    def musyawarah_allowed(self) -> bool:
        return self._musyawarah_allowed

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

    def load(self, doc: Document, village_label: str = "", editable: bool = True) -> None:
        """Show `doc`, editable or read-only (no autosave is triggered by loading)."""
        self._stop_autosave_timers()
        self._doc = clone(doc)
        self.missing.reset()
        self._loading = True
        try:
            for path, widget in self.fields.items():
                widget.set_value(self._read(doc, path))
            self.members.set_members(doc["members"])
        finally:
            self._loading = False
        self.set_editing(editable)
        self._update_tab_skips()
        number = doc.get("registration_number")
        self.title.setText(f"Keluarga {number}" if number else "Keluarga baru")
        self.history.show_document(doc)
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

    def open_attachments(self) -> None:
        attachments.open_attachments(self, self.household_id())

    @staticmethod
    def _read(doc: Document, path: str):
        if path.startswith("housing.power_va["):
            index = int(path[len("housing.power_va[") : -1])
            meters = doc["housing"]["power_va"]
            return meters[index] if index < len(meters) else None
        section, _, key = path.rpartition(".")
        return (doc[section] if section else doc).get(key)  # optional: musyawarah.reason

    @staticmethod
    def _write(doc: Document, path: str, value) -> None:
        if path.startswith("housing.power_va["):
            if value is not None:
                doc["housing"]["power_va"].append(value)
            return
        section, _, key = path.rpartition(".")
        target = doc[section] if section else doc
        if value is not None or key in target:  # an optional key left out stays out, empty
            target[key] = value

    # --- autosave -----------------------------------------------------------------------------

    def _update_tab_skips(self) -> None:
        """Tab passes over a power meter while the one before it is empty (the mouse and
        Ctrl+PgDn still reach it)."""
        for i in range(1, form_sections.POWER_METERS):
            meter = self.fields[f"housing.power_va[{i}]"]
            before = self.fields[f"housing.power_va[{i - 1}]"]
            skip = before.value() is None and meter.value() is None  # type: ignore[attr-defined]
            meter.setFocusPolicy(Qt.FocusPolicy.ClickFocus if skip else self._meter_focus)

    def _edited(self) -> None:
        if not self._loading:
            self._update_tab_skips()
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
