"""Members of a household: a list on the left, the selected member's fields on the right.

A complete, valid NIK fills the member's sex and birth date when they are empty. The editor
remembers, per member, which values it filled that way; when the NIK is corrected, those that
still hold what was filled follow the new NIK. A value the officer typed or chose is never
overwritten (the rules warn when it contradicts the NIK).

Keyboard (issue 16): Tab leaves the list (it does not walk its cells) to the buttons under it,
then the selected member's fields, then the next section of the form. Tab passes over a
question that does not apply as answered so far (*Sedang hamil* for a man, *Pegawai tetap*
without a public post, *Nama ibu kandung* of a member other than the head and the spouse, the
only ones a final save needs it from) unless it is answered; the mouse still reaches it. The
birth place completes from the other members' (type J, Tab: Jakarta). Read-only (a registered
household opened to look at): the fields still take the focus, nothing changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import codes
from app.core.document import Document, new_member
from app.services import households
from app.ui.widgets.fields import BoolField, CodeCombo, DateField, DigitsField, TextField
from app.ui.widgets.typing_aids import InlineCompletion

HEAD_OF_FAMILY = 1
SPOUSE = 2
LIST_COLUMNS = ("No.", "Nama", "NIK", "Hubungan")
MALE = 1
# field -> when Tab passes over it (still empty/unchecked): the member's answers so far
TAB_SKIPS = {
    "pregnant": lambda member: member.get("sex") == MALE,
    "permanent_employee": lambda member: member.get("public_post") in (None, "none"),
    "mother_name": lambda member: member.get("relationship") not in (HEAD_OF_FAMILY, SPOUSE),
}
# field -> when Tab passes over it because the form filled it (a spouse is Kawin/nikah)
TAB_SKIPS_FILLED = {"marital_status": lambda member: member.get("relationship") == SPOUSE}
DTKS_ID = "[0-9A-Za-z.-]{0,40}"  # as the schema's pattern


def _member_fields() -> list[tuple[str, QWidget]]:
    """(document key, widget) for each member field, in the order an officer reads a KK."""
    return [
        ("nik", DigitsField(16)),
        ("name", TextField(200)),
        ("sex", CodeCombo("members", "sex")),
        ("birth_place", TextField(100)),
        ("birth_date", DateField()),
        ("relationship", CodeCombo("members", "relationship")),
        ("marital_status", CodeCombo("members", "marital_status")),
        ("mother_name", TextField(200)),
        ("presence", CodeCombo("members", "presence")),
        ("dtks_id", TextField(40, DTKS_ID)),
        ("school_participation", CodeCombo("members", "school_participation")),
        ("education_level", CodeCombo("members", "education_level")),
        ("employment_position", CodeCombo("members", "employment_position")),
        ("occupation", TextField(100)),
        ("public_post", CodeCombo("members", "public_post", nullable=False)),
        ("permanent_employee", BoolField("Pegawai tetap")),
        ("disability", CodeCombo("members", "disability", nullable=False)),
        ("chronic_illness", CodeCombo("members", "chronic_illness")),
        ("pregnant", BoolField("Sedang hamil")),
    ]


class MembersEditor(QGroupBox):
    edited = Signal()
    current_changed = Signal(int)  # the member shown in the detail fields

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Anggota keluarga", parent)
        self._members: list[Document] = []
        # member_id -> {field: value filled from the member's NIK and not edited since}
        self._autofilled: dict[str, dict[str, Any]] = {}
        self._loading = False
        self._read_only = False

        self.table = QTableWidget(0, len(LIST_COLUMNS))
        self.table.setHorizontalHeaderLabels(LIST_COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(220)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setAccessibleName("Daftar anggota keluarga")
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))

        self.add_button = QPushButton("&Tambah anggota (Ctrl+Enter)")
        self.remove_button = QPushButton("&Hapus")
        self.up_button = QPushButton("Naik")
        self.down_button = QPushButton("Turun")
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(+1))

        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch()

        self.fields: dict[str, QWidget] = {}
        self.detail = QGroupBox("Data anggota terpilih")
        form = QFormLayout(self.detail)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, widget in _member_fields():
            self.fields[key] = widget
            widget.setObjectName(f"member_{key}")
            widget.edited.connect(lambda key=key: self._field_edited(key))
            label = "" if isinstance(widget, BoolField) else codes.title("members", key)
            form.addRow(label, widget)
        self.detail.setEnabled(False)
        self._tab_policy = {
            key: self.fields[key].focusPolicy()
            for key in TAB_SKIPS.keys() | TAB_SKIPS_FILLED.keys()
        }
        self._birth_places = InlineCompletion(self.fields["birth_place"], self._other_birth_places)

        left = QVBoxLayout()
        left.addWidget(self.table)
        left.addLayout(buttons)
        left.addStretch()
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.detail, 1)
        self._set_tab_order()

    def tab_chain(self) -> list[QWidget]:
        """The editor's widgets in Tab order: the list, the buttons under it, then the
        selected member's fields (what the eye sees: left column, then right)."""
        buttons = [self.add_button, self.remove_button, self.up_button, self.down_button]
        return [self.table, *buttons, *self.fields.values()]

    def _set_tab_order(self) -> None:
        chain = self.tab_chain()
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def set_read_only(self, read_only: bool) -> None:
        """Read-only: the fields can be read (and reached by Tab) but not changed; no member
        can be added, removed or moved."""
        self._read_only = read_only
        for widget in self.fields.values():
            widget.set_read_only(read_only)  # type: ignore[attr-defined]
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        """Adding needs an editable form; the others a member too (Tab passes them over)."""
        self.add_button.setEnabled(not self._read_only)
        chosen = not self._read_only and 0 <= self.current_index() < len(self._members)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(chosen)

    def _update_tab_skips(self, member: Document) -> None:
        filled = self._autofilled.get(member["member_id"], {})
        for key in TAB_SKIPS.keys() | TAB_SKIPS_FILLED.keys():
            skip = (key in TAB_SKIPS and TAB_SKIPS[key](member) and not member.get(key)) or (
                key in TAB_SKIPS_FILLED and key in filled and TAB_SKIPS_FILLED[key](member)
            )
            policy = Qt.FocusPolicy.ClickFocus if skip else self._tab_policy[key]
            self.fields[key].setFocusPolicy(policy)

    def _other_birth_places(self) -> list[str]:
        row = self.current_index()
        places = (m.get("birth_place") for i, m in enumerate(self._members) if i != row)
        return list(dict.fromkeys(p for p in places if p))

    # --- data ---------------------------------------------------------------------------------

    def set_members(self, members: list[Document]) -> None:
        self._members = [dict(m) for m in members]
        # The same household shown again (after a save): what its NIKs filled and the fields
        # still hold stays refillable. Values of any other household loaded count as typed.
        self._autofilled = {m["member_id"]: self._still_autofilled(m) for m in self._members}
        self.table.setRowCount(0)
        for row in range(len(self._members)):
            self.table.insertRow(row)
            self._refresh_row(row)
        self._select(0 if self._members else -1)

    def members(self) -> list[Document]:
        return [dict(m) for m in self._members]

    def current_index(self) -> int:
        return self.table.currentRow()

    # --- actions ------------------------------------------------------------------------------

    def add_member(self) -> None:
        if self._read_only:
            return
        values: dict[str, Any] = {}
        if not any(m.get("relationship") == HEAD_OF_FAMILY for m in self._members):
            values["relationship"] = HEAD_OF_FAMILY
        self._members.append(new_member(**values))
        row = len(self._members) - 1
        self.table.insertRow(row)
        self._refresh_row(row)
        self._select(row)
        self.fields["nik"].setFocus()
        self.edited.emit()

    def remove_current(self) -> None:
        row = self.current_index()
        if row < 0 or self._read_only:
            return
        self._autofilled.pop(self._members[row]["member_id"], None)
        del self._members[row]
        self.table.removeRow(row)
        self._select(min(row, len(self._members) - 1))
        self.edited.emit()

    def move_current(self, step: int) -> None:
        row = self.current_index()
        target = row + step
        if row < 0 or self._read_only or not 0 <= target < len(self._members):
            return
        self._members[row], self._members[target] = self._members[target], self._members[row]
        self._refresh_row(row)
        self._refresh_row(target)
        self._select(target)
        self.edited.emit()

    def focus_field(self, index: int, key: str) -> None:
        """Select member `index` and put the cursor in its field `key`."""
        if 0 <= index < len(self._members):
            self._select(index)
            widget = self.fields.get(key)
            if widget is not None:
                widget.setFocus()

    # --- internals ----------------------------------------------------------------------------

    def _select(self, row: int) -> None:
        if row >= 0:
            self.table.setCurrentCell(row, 0)
        self._show(row)

    def _show(self, row: int) -> None:
        self._loading = True
        try:
            self.detail.setEnabled(0 <= row < len(self._members))
            member = self._members[row] if 0 <= row < len(self._members) else new_member()
            for key, widget in self.fields.items():
                widget.set_value(member.get(key))
            self._update_tab_skips(member)
            self._enable_buttons()
        finally:
            self._loading = False
        self.current_changed.emit(row)

    def _field_edited(self, key: str) -> None:
        row = self.current_index()
        if self._loading or row < 0:
            return
        member = self._members[row]
        member[key] = self.fields[key].value()
        # typed or chosen by the officer: theirs from now on
        self._autofilled.get(member["member_id"], {}).pop(key, None)
        if key in ("nik", "relationship"):
            self._fill_implied(member)
        self._update_tab_skips(member)
        self._refresh_row(row)
        self.edited.emit()

    def _fill_implied(self, member: Document) -> None:
        """A complete, valid NIK fills sex and birth date when they are empty, and a spouse's
        marital status; a later NIK or relationship refills what an earlier one filled (if the
        field still holds that value). Until the NIK is complete and valid, the fields keep
        what they hold."""
        filled = self._still_autofilled(member)
        # ask as if the filled fields were empty: the service fills only empty fields
        for key, value in households.implied_answers({**member, **dict.fromkeys(filled)}).items():
            member[key] = value
            filled[key] = value
            self.fields[key].set_value(value)
        self._autofilled[member["member_id"]] = filled

    def _still_autofilled(self, member: Document) -> dict[str, Any]:
        """What the form filled (from the NIK, the relationship) that the fields still hold."""
        filled = self._autofilled.get(member["member_id"], {})
        return {key: value for key, value in filled.items() if member.get(key) == value}

    def _refresh_row(self, row: int) -> None:
        member = self._members[row]
        cells = (
            str(row + 1),
            member.get("name") or "",
            member.get("nik") or "",
            codes.label("members", "relationship", member.get("relationship")),
        )
        for column, text in enumerate(cells):
            self.table.setItem(row, column, QTableWidgetItem(text))
