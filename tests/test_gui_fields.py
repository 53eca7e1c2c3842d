"""The form's input fields keep what the officer typed (issue 14): dates in every way
Indonesians write them, impossible dates kept and marked, drop-downs found by any part of
their label or by code, never changed to something that does not match."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from app.core import codes
from app.core.document import load_schema
from app.services import households
from app.ui.widgets.fields import NONE_LABEL, CodeCombo, DateField

SECTIONS = ("household", "members", "housing", "assets", "musyawarah")


def coded_fields() -> list[tuple[str, str]]:
    """(section, field) of every field of the schema that has a code list (x-labels)."""
    props = load_schema()["properties"]
    by_section = {
        "household": props,
        "members": props["members"]["items"]["properties"],
        **{name: props[name]["properties"] for name in ("housing", "assets", "musyawarah")},
    }
    return [
        (section, field)
        for section in SECTIONS
        for field in by_section[section]
        if codes.choices(section, field)
    ]


CODED = coded_fields()
LABELS = [
    pytest.param(section, field, code, label, id=f"{section}.{field}={code}")
    for section, field in CODED
    for code, label in codes.choices(section, field)
]


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    return widget


def combo(qtbot, section, field, nullable=True):
    return shown(qtbot, CodeCombo(section, field, nullable=nullable))


def edits_of(widget) -> list:
    received: list = []
    widget.edited.connect(lambda: received.append(widget.value()))
    return received


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["06041965", "6-4-1965", "06/04/1965", "06-04-1965", "6/4/1965", "1965-04-06"]
)
def test_every_way_of_writing_a_date_is_read_day_first(qtbot, typed):
    field = shown(qtbot, DateField())
    edits = edits_of(field)
    for char in typed:
        qtbot.keyClicks(field, char)
        assert not field.is_invalid(), field.text()  # no red flash while typing
    qtbot.keyClick(field, Qt.Key.Key_Return)  # the officer finishes the field
    assert field.value() == "1965-04-06"
    assert field.text() == typed  # not rewritten under the officer's cursor
    assert not field.is_invalid()
    assert field.property("finding") is None
    assert edits and edits[-1] == "1965-04-06"


def test_an_impossible_date_is_kept_as_typed_and_marked(qtbot):
    field = shown(qtbot, DateField())
    qtbot.keyClicks(field, "31-02-1980")
    assert field.text() == "31-02-1980"
    assert field.value() == "31-02-1980"  # never None: the draft keeps what was typed
    assert field.is_invalid()
    assert field.property("finding") == "error"
    assert "background" in field.styleSheet()
    assert field.toolTip() == (
        "Tanggal tidak valid: 31-02-1980 (tulis hari-bulan-tahun, mis. 06-04-1965)"
    )
    # corrected: the mark goes
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, "79")
    field.home(False)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, "2")
    assert field.text() == "21-02-1979"
    assert field.value() == "1979-02-21"
    assert not field.is_invalid()
    assert field.property("finding") is None
    assert field.styleSheet() == ""


@pytest.mark.parametrize("typed", ["6-4-65", "1965", "29021981", "1965-02-30", "6.4"])
def test_an_unreadable_date_is_marked_when_the_field_is_left(qtbot, typed):
    field = shown(qtbot, DateField())
    qtbot.keyClicks(field, typed)
    qtbot.keyClick(field, Qt.Key.Key_Return)  # editingFinished, as when Tab leaves it
    assert field.text() == typed
    assert field.value() == typed
    assert field.is_invalid()
    assert field.property("finding") == "error"
    assert field.toolTip().startswith(f"Tanggal tidak valid: {typed} ")


def test_a_half_typed_date_is_not_marked_while_typing(qtbot):
    field = shown(qtbot, DateField())
    qtbot.keyClicks(field, "06-04-19")
    assert not field.is_invalid()
    assert field.property("finding") is None


def test_set_value_shows_iso_dates_day_first_and_other_text_unchanged(qtbot):
    field = shown(qtbot, DateField())
    edits = edits_of(field)
    field.set_value("1965-04-06")
    assert field.text() == "06-04-1965"
    assert not field.is_invalid()
    field.set_value("31-02-1980")  # an autosaved draft holding what was typed
    assert field.text() == "31-02-1980"
    assert field.value() == "31-02-1980"
    assert field.is_invalid()
    assert field.property("finding") == "error"
    field.set_value("1980-02-31")  # ISO-shaped but no such day
    assert field.text() == "1980-02-31"
    assert field.is_invalid()
    field.set_value(None)
    assert field.text() == ""
    assert field.value() is None
    assert not field.is_invalid()
    assert field.property("finding") is None
    assert edits == []  # the program's changes are not edits


def test_an_invalid_date_stays_marked_when_the_form_clears_its_highlights(qtbot):
    field = shown(qtbot, DateField())
    qtbot.keyClicks(field, "31-02-1980")
    # what HouseholdForm._highlight does to a field that no finding points at
    field.setStyleSheet("")
    field.setProperty("finding", None)
    assert field.property("finding") == "error"
    assert "background" in field.styleSheet()


def test_an_invalid_date_survives_the_autosaved_draft_and_final_save_is_refused(
    qtbot, window, monkeypatch
):
    refused = []
    monkeypatch.setattr("app.ui.main_window.QMessageBox.warning", lambda *a: refused.append(a[2]))
    window.new_household()
    form = window.form
    form.members.add_member()
    birth = form.members.fields["birth_date"]
    birth.setFocus()
    qtbot.keyClicks(birth, "31-02-1980")
    form.fields["no_kk"].setFocus()  # leaving the field
    assert birth.is_invalid()  # still marked after the form re-ran its checks

    window.save(final=True)
    assert refused  # the schema (and the rule set) refuse a date that is not ISO
    assert households.household_count() == 0

    [draft] = households.unsaved_drafts()
    assert draft["members"][0]["birth_date"] == "31-02-1980"
    window.show_list()
    window.resume_draft(draft["household_id"])
    assert birth.text() == "31-02-1980"
    assert birth.is_invalid()
    assert birth.property("finding") == "error"
    assert form.document()["members"][0]["birth_date"] == "31-02-1980"


# --- drop-downs ---------------------------------------------------------------------------------


def test_the_walk_covers_every_drop_down_of_the_form(window):
    form = window.form
    used = {
        (widget.section, widget.field)
        for widget in (*form.fields.values(), *form.members.fields.values())
        if isinstance(widget, CodeCombo)
    }
    assert len(used) >= 20
    assert used <= set(CODED)


@pytest.mark.parametrize(("section", "field", "code", "label"), LABELS)
def test_typing_a_whole_label_picks_it(qtbot, section, field, code, label):
    box = combo(qtbot, section, field)
    edits = edits_of(box)
    qtbot.keyClicks(box, label)
    assert box.value() == code
    assert box.currentText() == label
    assert edits[-1] == code
    assert not box.view().isVisible()  # its spaces did not open the list


def inner_part(section: str, field: str, code, label: str) -> str | None:
    """The first part of `label` (3+ characters, not at its start, not a number) that no other
    label of the field contains, if there is one."""
    others = [text.casefold() for c, text in codes.choices(section, field) if c != code]
    others += [other.replace(".", "") for other in others]
    folded = label.casefold()
    for size in range(3, len(folded)):
        for start in range(1, len(folded) - size + 1):
            part = folded[start : start + size]
            if part.strip() != part or part.replace(".", "").isdigit():
                continue
            if not any(part in other for other in others):
                return part
    return None


INNER_PARTS = [
    pytest.param(section, field, code, part, id=f"{section}.{field}={code}:{part}")
    for section, field in CODED
    for code, label in codes.choices(section, field)
    if (part := inner_part(section, field, code, label))
]


def test_most_labels_have_an_inner_part_to_type():
    assert len(INNER_PARTS) > 0.8 * len(LABELS)


@pytest.mark.parametrize(("section", "field", "code", "part"), INNER_PARTS)
def test_typing_an_inner_part_of_a_label_picks_it(qtbot, section, field, code, part):
    box = combo(qtbot, section, field)
    qtbot.keyClicks(box, part.upper())  # case does not matter
    assert box.value() == code


@pytest.mark.parametrize(
    ("section", "field", "typed", "code"),
    [
        ("housing", "drinking_water", "isi ulang", 2),
        ("housing", "drinking_water", "Air i", 2),
        ("housing", "drinking_water", "air ", 1),  # the first label that starts so
        ("housing", "tenure", "kontrak", 2),
        ("housing", "tenure", "SEWA", 2),  # a word in "Kontrak/sewa" before "Bebas sewa"
        ("housing", "power_va", "1300", 1300),
        ("housing", "power_va", "2.200", 2200),
        ("housing", "cooking_fuel", "elpiji 12", 3),
        ("members", "education_level", "SD", 3),  # the whole label before "SDLB"
        ("members", "education_level", "ma", 14),
        ("members", "public_post", "dprd", "dprd"),
        ("members", "disability", "sensor", "sensory"),
        ("musyawarah", "decision", "tidak miskin", "not_poor"),
    ],
)
def test_typed_searches(qtbot, section, field, typed, code):
    box = combo(qtbot, section, field, nullable=field not in ("public_post", "disability"))
    qtbot.keyClicks(box, typed)
    assert box.value() == code


@pytest.mark.parametrize(
    ("section", "field", "code"),
    [
        pytest.param(section, field, code, id=f"{section}.{field}={code}")
        for section, field in CODED
        for code, _label in codes.choices(section, field)
        if isinstance(code, int)
    ],
)
def test_typing_the_code_number_picks_it(qtbot, section, field, code):
    box = combo(qtbot, section, field)
    qtbot.keyClicks(box, str(code))
    assert box.value() == code


def test_space_is_part_of_the_search_and_never_opens_the_list(qtbot):
    box = combo(qtbot, "housing", "drinking_water")
    edits = edits_of(box)
    qtbot.keyClick(box, Qt.Key.Key_Space)  # nothing typed yet: nothing happens
    assert not box.view().isVisible()
    assert box.value() is None
    assert edits == []
    qtbot.keyClicks(box, "sumur t")
    assert not box.view().isVisible()
    assert box.search_text() == "sumur t"
    assert box.value() == 5  # Sumur terlindung, not "Sumur bor/pompa"


def test_backspace_edits_the_search(qtbot):
    box = combo(qtbot, "housing", "drinking_water")
    qtbot.keyClicks(box, "sumur tak")
    assert box.value() == 6  # Sumur tak terlindung
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    assert box.search_text() == "sumur t"
    assert box.value() == 5  # Sumur terlindung again


def test_text_that_matches_nothing_never_changes_the_choice(qtbot):
    box = combo(qtbot, "housing", "tenure")
    edits = edits_of(box)
    qtbot.keyClicks(box, "zzz")
    assert box.value() is None
    assert box.currentText() == NONE_LABEL
    assert edits == []
    box = combo(qtbot, "housing", "tenure")
    qtbot.keyClicks(box, "kontrax")  # "kontra" picked Kontrak/sewa; "x" changes nothing
    assert box.value() == 2
    assert box.search_text() == "kontrax"
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    assert box.search_text() == "kontra"
    assert box.value() == 2


def test_the_search_starts_over_after_a_pause(qtbot):
    box = combo(qtbot, "housing", "drinking_water")
    qtbot.keyClicks(box, "leding")
    assert box.value() == 3
    qtbot.waitUntil(lambda: box.search_text() == "", timeout=3000)
    qtbot.keyClicks(box, "hujan")
    assert box.value() == 10
    assert box.search_text() == "hujan"


def test_set_value_is_not_an_edit_and_typing_is(qtbot):
    box = combo(qtbot, "housing", "roof")
    edits = edits_of(box)
    box.set_value(3)
    assert box.value() == 3
    assert edits == []
    qtbot.keyClicks(box, "genteng")
    assert edits[-1] == 2


def test_the_open_list_searches_the_same_way(qtbot):
    box = combo(qtbot, "housing", "drinking_water")
    edits = edits_of(box)
    box.showPopup()
    qtbot.waitUntil(box.view().isVisible)
    qtbot.keyClicks(box.view(), "isi u")
    assert box.view().isVisible()  # the space did not close or pick
    assert box.view().currentIndex().row() == box.findData(2)
    assert edits == []  # nothing chosen until Enter
    qtbot.keyClick(box.view(), Qt.Key.Key_Return)
    assert box.value() == 2


def test_tab_moves_on_after_a_search(qtbot):
    page = QWidget()
    layout = QVBoxLayout(page)
    box = CodeCombo("housing", "tenure")
    after = QLineEdit()
    layout.addWidget(box)
    layout.addWidget(after)
    qtbot.addWidget(page)
    with qtbot.waitActive(page):
        page.show()
    box.setFocus()
    qtbot.keyClicks(box, "bebas")
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
    assert box.value() == 3
    assert box.search_text() == ""  # leaving ends the search
