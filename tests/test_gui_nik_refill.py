"""Correcting a member's NIK (issue 14): the sex and birth date that the old NIK filled follow
the new NIK; values the officer typed or chose by hand stay, and the rules warn about them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.rules import nik
from app.services import checks

WOMAN_1985 = "3174015708850003"  # woman, 17-08-1985
WOMAN_1986 = "3174015708860003"  # the same NIK with one digit of the year corrected
MAN_2005 = "3174011203050001"  # man, 12-03-2005
MAN_1990 = "3174010101900002"  # man, 01-01-1990
MALE, FEMALE = 1, 2


def retype(qtbot, widget, text):
    """Select the field's text and type `text` over it, key by key, as an officer does."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def shown(members):
    return members.fields["sex"].value(), members.fields["birth_date"].text()


def warnings(window):
    evaluation = checks.evaluate(window.form.document())
    return {f.rule for f in evaluation.findings if f.rule.startswith("nik_")}


def test_the_test_niks_say_what_the_tests_assume():
    for number, sex, born in (
        (WOMAN_1985, FEMALE, "1985-08-17"),
        (WOMAN_1986, FEMALE, "1986-08-17"),
        (MAN_2005, MALE, "2005-03-12"),
        (MAN_1990, MALE, "1990-01-01"),
    ):
        info = nik.parse(number)
        assert (info.sex, info.birth_date.isoformat()) == (sex, born)


def test_correcting_the_nik_refills_what_the_old_nik_filled(qtbot, window):
    window.new_household()
    members = window.form.members
    members.add_member()
    retype(qtbot, members.fields["nik"], WOMAN_1985)
    assert shown(members) == (FEMALE, "17-08-1985")

    # a wrong year digit, corrected with Backspace: while the NIK is incomplete the fields
    # keep what they hold; the corrected NIK refills them
    for _ in range(5):
        qtbot.keyClick(members.fields["nik"], Qt.Key.Key_Backspace)
    assert shown(members) == (FEMALE, "17-08-1985")
    qtbot.keyClicks(members.fields["nik"], "60003")
    assert members.fields["nik"].text() == WOMAN_1986
    assert shown(members) == (FEMALE, "17-08-1986")

    # a wholly different NIK: sex and birth date follow it
    retype(qtbot, members.fields["nik"], MAN_2005)
    assert shown(members) == (MALE, "12-03-2005")
    [member] = window.form.document()["members"]
    assert (member["nik"], member["sex"], member["birth_date"]) == (MAN_2005, MALE, "2005-03-12")
    assert warnings(window) == set()


def test_a_hand_typed_birth_date_stays_when_the_nik_changes(qtbot, window):
    window.new_household()
    members = window.form.members
    members.add_member()
    retype(qtbot, members.fields["nik"], WOMAN_1985)
    assert shown(members) == (FEMALE, "17-08-1985")
    retype(qtbot, members.fields["birth_date"], "01-02-1985")  # from the birth certificate

    retype(qtbot, members.fields["nik"], MAN_2005)
    assert shown(members) == (MALE, "01-02-1985")  # sex was filled: it follows; the date stays
    [member] = window.form.document()["members"]
    assert (member["sex"], member["birth_date"]) == (MALE, "1985-02-01")
    assert warnings(window) == {"nik_birth_date_mismatch"}  # the rules point at it

    retype(qtbot, members.fields["nik"], MAN_1990)  # and at any later correction too
    assert shown(members) == (MALE, "01-02-1985")


def test_a_hand_typed_date_equal_to_the_filled_one_still_counts_as_typed(qtbot, window):
    window.new_household()
    members = window.form.members
    members.add_member()
    retype(qtbot, members.fields["nik"], WOMAN_1985)
    retype(qtbot, members.fields["birth_date"], "17-08-1985")  # checked on the KK: the same
    retype(qtbot, members.fields["nik"], WOMAN_1986)
    assert shown(members) == (FEMALE, "17-08-1985")


def test_a_sex_chosen_by_hand_stays_when_the_nik_changes(qtbot, window):
    window.new_household()
    members = window.form.members
    members.add_member()
    retype(qtbot, members.fields["nik"], MAN_2005)
    assert shown(members) == (MALE, "12-03-2005")
    members.fields["sex"].setFocus()
    qtbot.keyClick(members.fields["sex"], Qt.Key.Key_Down)  # Laki-laki -> Perempuan
    assert members.fields["sex"].value() == FEMALE

    retype(qtbot, members.fields["nik"], MAN_1990)
    assert shown(members) == (FEMALE, "01-01-1990")
    assert warnings(window) == {"nik_sex_mismatch"}


def test_empty_fields_are_still_filled_and_other_members_are_left_alone(qtbot, window):
    window.new_household()
    members = window.form.members
    members.add_member()
    retype(qtbot, members.fields["nik"], WOMAN_1985)
    members.fields["birth_date"].setFocus()
    members.fields["birth_date"].selectAll()
    qtbot.keyClick(members.fields["birth_date"], Qt.Key.Key_Delete)  # emptied by hand
    members.add_member()
    retype(qtbot, members.fields["nik"], MAN_2005)
    members.move_current(-1)  # the man first: what was filled moves with him

    retype(qtbot, members.fields["nik"], MAN_1990)
    assert shown(members) == (MALE, "01-01-1990")
    members.focus_field(1, "nik")
    retype(qtbot, members.fields["nik"], WOMAN_1986)
    assert shown(members) == (FEMALE, "17-08-1986")  # an empty field is filled, as always
    assert [(m["nik"], m["sex"], m["birth_date"]) for m in window.form.document()["members"]] == [
        (MAN_1990, MALE, "1990-01-01"),
        (WOMAN_1986, FEMALE, "1986-08-17"),
    ]


def test_a_saved_draft_can_still_be_corrected(qtbot, window):
    window.new_household()
    members = window.form.members
    members.add_member()
    retype(qtbot, members.fields["nik"], WOMAN_1985)
    window.save(final=False)  # the form shows the stored household again
    assert window.save_state.text() == "Tersimpan sebagai draf"
    assert shown(members) == (FEMALE, "17-08-1985")

    members.focus_field(0, "nik")
    retype(qtbot, members.fields["nik"], MAN_2005)
    assert shown(members) == (MALE, "12-03-2005")
