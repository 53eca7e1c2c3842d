"""Fewer keys for the same family (issue 16): the reference household of four, typed into the
real main window with QTest key events, every key sent to the widget that has the focus (no
setFocus, no clicks), counted.

The route is what an officer who knows the form types: the shortest text that makes each
drop-down show the right answer, Tab between questions, Ctrl+Enter for a member, Ctrl+PgDn to
the next section, a letter to reach an asset and Space to tick it. Before issue 16 the same
family took 273 keys (9 Tabs from the last child to the housing, 11 from the power meter to
*Sepeda motor*, every birth place typed in full); the target is at most 240.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services import households

TARGET = 240  # the issue-16 family, without the answers schema v2 added
CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass(frozen=True)
class Member:
    nik: str  # the NIK gives the sex and the birth date (filled by the form)
    name: str
    relationship: str  # what the officer types: i = Istri/suami, a = Anak (the head is preset)
    marital_status: str  # k = Kawin/nikah, b = Belum kawin
    mother_name: str = ""  # schema v2: a final save needs the head's and the spouse's


NO_KK = "3174012304150007"
ADDRESS = "Jl. Tebet Timur Dalam Raya No. 3"
MEMBERS = (
    Member("3174011402780003", "Ahmad Fauzi", "", "k", "Romlah"),
    Member("3174014907820002", "Siti Aminah", "i", "k", "Sumiati"),
    Member("3174011203050001", "Rizky Pratama", "a", "b"),
    Member("3174016311100004", "Nabila Putri", "a", "b"),
)
# Kondisi rumah, in the form's order from *Status penguasaan*: the keys typed for each answer
HOUSING = (
    ("tenure", "k", 2),  # Kontrak/sewa
    ("floor_area_m2", "24", 24),
    ("floor", "k", 2),  # Keramik
    ("wall", "t", 1),  # Tembok
    ("roof", "g", 2),  # Genteng
    ("drinking_water", "i", 2),  # Air isi ulang
    ("lighting", "l", 1),  # Listrik PLN dengan meteran
    ("cooking_fuel", "e", 2),  # Elpiji 5,5 kg/blue gaz
    ("toilet", "a", 1),  # Ada, digunakan hanya anggota keluarga sendiri
    ("sewage", "t", 1),  # Tangki septik
)


class Keyboard:
    """Sends each key to the focused widget, as a keyboard does, and counts it (a capital
    letter is one key)."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.count = 0
        self.schema_v2 = 0  # keys for answers the issue-16 family did not have (mothers' names)

    def key(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(QApplication.focusWidget(), key, modifier)
        self.count += 1

    def type(self, text: str) -> None:
        for char in text:
            self.qtbot.keyClicks(QApplication.focusWidget(), char)
            self.count += 1

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.key(Qt.Key.Key_Tab)


def type_reference_family(qtbot, window) -> Keyboard:
    keys = Keyboard(qtbot)
    form = window.form
    keys.key(Qt.Key.Key_N, CTRL)  # Keluarga baru: the cursor is in No. KK
    keys.type(NO_KK)
    keys.tab()
    keys.type("5")
    keys.tab()
    keys.type("12")
    keys.tab()
    keys.type(ADDRESS)
    for member in MEMBERS:
        keys.key(Qt.Key.Key_Return, CTRL)  # Tambah anggota: the cursor is in its NIK
        keys.type(member.nik)
        keys.tab()
        keys.type(member.name)
        keys.tab(2)  # past Jenis kelamin, filled from the NIK
        keys.type("J" if member is not MEMBERS[0] else "Jakarta")  # completes to Jakarta
        keys.tab(2)  # past Tanggal lahir, filled from the NIK
        keys.type(member.relationship)
        if member.relationship != "i":  # a spouse is Kawin/nikah, filled, and Tab passes it
            keys.tab()
            keys.type(member.marital_status)
        if member.mother_name:  # Tab passes over it for the children (members_editor.py)
            before = keys.count
            keys.tab()
            keys.type(member.mother_name)
            keys.schema_v2 += keys.count - before
    keys.key(Qt.Key.Key_PageDown, CTRL)  # to Kondisi rumah
    for i, (key, typed, _code) in enumerate(HOUSING):
        assert QApplication.focusWidget() is form.fields[f"housing.{key}"], key
        keys.type(typed)
        if i < len(HOUSING) - 1:
            keys.tab()
    keys.tab()
    assert QApplication.focusWidget() is form.fields["housing.power_va[0]"]
    keys.type("9")  # 900 VA
    keys.key(Qt.Key.Key_PageDown, CTRL)  # to Aset
    keys.type("s")  # Sepeda motor, the first asset starting with S
    assert QApplication.focusWidget() is form.fields["assets.motorcycle"]
    keys.key(Qt.Key.Key_Space)
    keys.key(Qt.Key.Key_S, CTRL)  # Simpan final
    return keys


def test_the_reference_family_takes_at_most_240_keys(qtbot, window, capsys):
    keys = type_reference_family(qtbot, window)

    saved = households.load_household(window.form.household_id())
    assert saved["status"] == "registered", window.save_state.text()
    assert (saved["no_kk"], saved["rw"], saved["rt"], saved["address"]) == (
        NO_KK,
        5,
        12,
        ADDRESS,
    )
    people = [
        (m["nik"], m["name"], m["birth_place"], m["relationship"], m["marital_status"])
        for m in saved["members"]
    ]
    assert people == [
        ("3174011402780003", "Ahmad Fauzi", "Jakarta", 1, 2),
        ("3174014907820002", "Siti Aminah", "Jakarta", 2, 2),
        ("3174011203050001", "Rizky Pratama", "Jakarta", 3, 1),
        ("3174016311100004", "Nabila Putri", "Jakarta", 3, 1),
    ]
    assert [m["mother_name"] for m in saved["members"]] == ["Romlah", "Sumiati", None, None]
    assert [(m["sex"], m["birth_date"]) for m in saved["members"]] == [
        (1, "1978-02-14"),
        (2, "1982-07-09"),
        (1, "2005-03-12"),
        (2, "2010-11-23"),
    ]
    assert {key: saved["housing"][key] for key, _typed, _code in HOUSING} == {
        key: code for key, _typed, code in HOUSING
    }
    assert saved["housing"]["power_va"] == [900]
    assert [key for key, value in saved["assets"].items() if value is True] == ["motorcycle"]

    # Issue 16 set the target for the family as it was then; schema v2 (issue 18) made the
    # head's and the spouse's mothers' names required for a final save: those keys (Tab and
    # the names, 15) are data the family did not have, counted apart and printed.
    same_family = keys.count - keys.schema_v2
    with capsys.disabled():
        print(
            f"\nissue 16: the reference family of 4 took {same_family} keystrokes (was 273), "
            f"plus {keys.schema_v2} for the mothers' names schema v2 requires: {keys.count}"
        )
    assert same_family <= TARGET
