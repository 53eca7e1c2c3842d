"""The household form by keyboard (issue 16): Tab is never trapped and follows the page, a
registered household opens read-only until F2 / Ctrl+E, Ctrl+PgDn / Ctrl+PgUp jump between
sections, the assets are answered by typing, questions that do not apply are passed over,
Bantuan → Pintasan keyboard lists every shortcut, and the empty list says how to start."""

from __future__ import annotations

from conftest import ADMIN_OFFICER, FAST_KDF, OFFICER_PASSWORD
from helpers.families import HASANAH, household
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel

from app.services import auth, households
from app.ui.application import create_main_window
from app.ui.runner import Runner
from app.ui.shortcuts_dialog import NO_DESCRIPTION, ShortcutsDialog, collect_shortcuts

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key to the focused widget, as the keyboard sends it; returns the focus after it."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def tabs_until(qtbot, target, limit=80, key=Qt.Key.Key_Tab, modifier=None) -> int:
    """How many Tabs (from the focused widget) reach `target`; fails past `limit`."""
    for count in range(1, limit + 1):
        if press(qtbot, key, modifier or Qt.KeyboardModifier.NoModifier) is target:
            return count
    raise AssertionError(f"{target.objectName() or target} not reached in {limit} Tabs")


def saved_household(officer=ADMIN_OFFICER):
    return households.save_household(household(HASANAH), True, officer)


def open_window(qtbot, officer):
    window = create_main_window(officer, Runner(synchronous=True))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    return window


def test_tab_leaves_the_members_table_both_ways_and_reaches_its_buttons(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    form, members = window.form, window.form.members
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Return, CTRL)
    members.table.setFocus()
    # forward: the list, each button under it, the member's fields, then the housing
    expected = [members.add_button, members.remove_button, members.up_button]
    expected += [members.down_button, members.fields["nik"], members.fields["name"]]
    assert [press(qtbot, Qt.Key.Key_Tab) for _ in expected] == expected
    assert members.table.currentRow() == 2  # Tab did not walk the cells
    members.fields["pregnant"].setFocus()  # the sex is not known yet: it may apply
    assert press(qtbot, Qt.Key.Key_Tab) is form.fields["housing.tenure"]
    # backward: from the list to the household's last field, not round its cells
    members.table.setFocus()
    assert press(qtbot, Qt.Key.Key_Backtab, SHIFT) is form.fields["dtks_id"]


def test_tab_follows_the_page_top_to_bottom_and_the_assets_column_by_column(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.form
    order = []
    widget = form.fields["no_kk"]
    while widget is not form.fields["musyawarah.minutes_number"]:
        order.append(widget)
        widget = press(qtbot, Qt.Key.Key_Tab)
        assert len(order) < 80, "Tab never reached the musyawarah"
    sections = [
        form.sections.index(next(s for s in form.sections if s.isAncestorOf(w))) for w in order
    ]
    assert sections == sorted(sections)  # never back up the page
    boxes = [
        w for w in order if w.objectName().startswith("assets.") and "njop" not in w.objectName()
    ]
    positions = [
        (b.mapTo(form, b.rect().topLeft()).x(), b.mapTo(form, b.rect().topLeft()).y())
        for b in boxes
    ]
    assert positions == sorted(positions)  # down the first column, then down the second
    assert len({x for x, _y in positions}) == 2 and len(boxes) == 16
    # within the sections, each field is below (or right of) the one before
    for before, after in zip(order, order[1:], strict=False):
        if before in boxes or after in boxes or after is form.members.table:
            continue  # the column break; the list sits beside the fields of the form
        a, b = (w.mapTo(form, w.rect().topLeft()) for w in (before, after))
        if form.members.isAncestorOf(before) != form.members.isAncestorOf(after):
            assert b.y() > a.y(), (before.objectName(), after.objectName())


def test_the_musyawarah_is_reachable_and_read_only_for_an_officer(qtbot, admin):
    petugas = auth.create_officer(
        "budi", "Budi Santoso", "petugas", OFFICER_PASSWORD, admin, FAST_KDF
    )
    window = open_window(qtbot, petugas)
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.form
    decision = form.fields["musyawarah.decision"]
    # 43 Tabs before issue 16, and the box disabled: now the member fields (no member yet),
    # the buttons that need a member and the unused meters are passed (36 with ID DTKS)
    assert tabs_until(qtbot, decision) == 36
    before = decision.value()
    for key in (Qt.Key.Key_L, Qt.Key.Key_Down, Qt.Key.Key_F4):
        press(qtbot, key)
    assert decision.value() == before and decision.view().isVisible() is False
    minutes = press(qtbot, Qt.Key.Key_Tab)
    minutes = press(qtbot, Qt.Key.Key_Tab)
    assert minutes is form.fields["musyawarah.minutes_number"]
    qtbot.keyClicks(minutes, "12/2026")
    assert minutes.text() == "" and minutes.isReadOnly()
    # Ctrl+PgUp / Ctrl+PgDn: back through every section and down again
    firsts = [form.fields["housing.tenure"], form.members.table, form.fields["no_kk"]]
    firsts.insert(0, form.fields["assets.gas_cylinder_5kg"])
    assert [press(qtbot, Qt.Key.Key_PageUp, CTRL) for _ in firsts] == firsts
    assert press(qtbot, Qt.Key.Key_PageUp, CTRL) is form.fields["no_kk"]  # stays at the top
    for expected in reversed(firsts[:-1]):
        assert press(qtbot, Qt.Key.Key_PageDown, CTRL) is expected
    assert press(qtbot, Qt.Key.Key_PageDown, CTRL) is decision


def test_not_even_a_supervisor_types_the_musyawarah(qtbot, admin):
    """Issue 17: the decision is taken in a meeting (menu Musyawarah kelurahan); the form's
    box is a read-only summary for every role."""
    supervisor = auth.create_officer(
        "ani", "Ani Wijaya", "supervisor", OFFICER_PASSWORD, admin, FAST_KDF
    )
    window = open_window(qtbot, supervisor)
    press(qtbot, Qt.Key.Key_N, CTRL)
    minutes = window.form.fields["musyawarah.minutes_number"]
    minutes.setFocus()
    qtbot.keyClicks(minutes, "12/2026")
    assert minutes.text() == "" and minutes.isReadOnly()


def test_a_registered_household_opens_read_only_until_f2(qtbot, window):
    saved = saved_household()
    window.focus_search()
    qtbot.keyClicks(window.list_page.search, "hasan")
    qtbot.waitUntil(lambda: window.model.searching and window.model.rowCount() == 1)
    press(qtbot, Qt.Key.Key_Return)  # open the search's first result
    form = window.form
    assert window.pages.currentWidget() is form and not form.editing
    assert form.edit_button.isVisible() and form.mode_label.isVisible()
    no_kk = form.fields["no_kk"]
    assert QApplication.focusWidget() is no_kk
    for key in (Qt.Key.Key_5, Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
        press(qtbot, key)
    assert no_kk.text() == HASANAH.no_kk
    motorcycle = form.fields["assets.motorcycle"]
    motorcycle.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.mouseClick(motorcycle, Qt.MouseButton.LeftButton)
    assert motorcycle.value() is False
    assert not form.members.add_button.isEnabled()
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert len(form.members.members()) == 2
    press(qtbot, Qt.Key.Key_S, CTRL)  # nothing to save
    assert households.load_household(saved["household_id"]) == saved
    assert households.draft_of(saved["household_id"]) is None

    no_kk.setFocus()
    press(qtbot, Qt.Key.Key_F2)
    assert form.editing and not form.edit_button.isVisible()
    assert QApplication.focusWidget() is no_kk  # the cursor stays where it was
    no_kk.end(False)
    press(qtbot, Qt.Key.Key_Backspace)
    press(qtbot, Qt.Key.Key_8)
    assert no_kk.text() == HASANAH.no_kk[:-1] + "8"

    window.show_list()
    window.open_household(saved["household_id"])  # the edit waits as a draft: editable
    assert form.editing and form.fields["no_kk"].text().endswith("8")


def test_ctrl_e_and_the_button_start_editing_and_new_households_start_editable(qtbot, window):
    saved = saved_household()
    window.open_household(saved["household_id"])
    assert not window.form.editing
    press(qtbot, Qt.Key.Key_E, CTRL)
    assert window.form.editing
    window.show_list()
    window.open_household(saved["household_id"])
    window.form.edit_button.click()
    assert window.form.editing
    window.show_list()
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert window.form.editing and window.form.save_final_button.isEnabled()


def test_assets_are_answered_by_typing(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = window.form
    form.fields["assets.gas_cylinder_5kg"].setFocus()
    assert press(qtbot, Qt.Key.Key_S) is form.fields["assets.motorcycle"]
    assert press(qtbot, Qt.Key.Key_S) is form.fields["assets.bicycle"]  # S again: the next
    assert press(qtbot, Qt.Key.Key_S) is form.fields["assets.smartphone"]
    press(qtbot, Qt.Key.Key_Space)
    assert form.fields["assets.smartphone"].value() is True
    qtbot.wait(1100)  # a pause: the search starts over
    qtbot.keyClicks(QApplication.focusWidget(), "te")
    assert QApplication.focusWidget() is form.fields["assets.landline"]  # Telepon rumah
    qtbot.keyClicks(QApplication.focusWidget(), "lev")
    assert QApplication.focusWidget() is form.fields["assets.television"]
    assert [k for k, v in form.document()["assets"].items() if v is True] == ["smartphone"]


def test_tab_passes_over_questions_that_do_not_apply(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    form, members = window.form, window.form.members
    meter = form.fields["housing.power_va[0]"]
    meter.setFocus()
    assert press(qtbot, Qt.Key.Key_Tab) is form.fields["assets.gas_cylinder_5kg"]
    meter.setFocus()
    qtbot.keyClicks(meter, "9")
    assert press(qtbot, Qt.Key.Key_Tab) is form.fields["housing.power_va[1]"]  # now it applies
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.keyClicks(members.fields["nik"], "3174011402780003")  # a man
    members.fields["chronic_illness"].setFocus()
    assert press(qtbot, Qt.Key.Key_Tab) is form.fields["housing.tenure"]  # not *Sedang hamil*
    members.fields["disability"].setFocus()
    assert press(qtbot, Qt.Key.Key_Tab) is members.fields["chronic_illness"]
    form.focus_path("members[0].pregnant")  # a finding still reaches it
    assert QApplication.focusWidget() is members.fields["pregnant"]
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.keyClicks(members.fields["nik"], "3174014907820002")  # a woman
    members.fields["chronic_illness"].setFocus()
    assert press(qtbot, Qt.Key.Key_Tab) is members.fields["pregnant"]


def test_the_birth_place_completes_from_the_other_members(qtbot, window):
    press(qtbot, Qt.Key.Key_N, CTRL)
    members = window.form.members
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.keyClicks(members.fields["birth_place"], "Jakarta")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    place = members.fields["birth_place"]
    place.setFocus()
    qtbot.keyClicks(place, "j")
    assert place.text() == "jakarta"  # what was typed, and the rest of Jakarta
    assert place.selectedText() == "akarta"
    press(qtbot, Qt.Key.Key_Backspace)  # removes the completion, does not complete again
    assert place.text() == "j"
    qtbot.keyClicks(place, "a")
    press(qtbot, Qt.Key.Key_Tab)
    assert window.form.document()["members"][1]["birth_place"] == "jakarta"


def test_the_shortcuts_dialog_lists_every_shortcut_of_the_window(qtbot, window):
    keys_shown = {keys for keys, _what in collect_shortcuts(window)}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            assert sequence.toString(QKeySequence.SequenceFormat.PortableText) in keys_shown
    for shortcut in window.findChildren(QShortcut):
        assert shortcut.key().toString(QKeySequence.SequenceFormat.PortableText) in keys_shown
    rows = dict(collect_shortcuts(window))
    assert {"F1", "F2", "Ctrl+E", "Ctrl+PgDown", "Ctrl+PgUp", "Ctrl+N", "Ctrl+S", "Esc"} <= set(
        rows
    )
    assert NO_DESCRIPTION not in rows.values()
    press(qtbot, Qt.Key.Key_F1)  # Bantuan → Pintasan keyboard
    dialog = window.help_menu.dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    assert dialog.table.rowCount() == len(collect_shortcuts(window))
    assert dialog.height() <= 700
    dialog.close()


def test_the_empty_list_says_how_to_start(qtbot, window):
    hint = window.list_page.empty_hint
    assert hint.isVisible() and "Ctrl+N" in hint.text()
    saved_household()
    window.refresh_list()
    if window.model.canFetchMore():  # the view fetches its first page when painted
        window.model.fetchMore()
    assert not hint.isVisible()
    window.list_page.search.setText("tidak ada yang cocok")
    qtbot.waitUntil(lambda: window.model.searching and hint.isVisible())
    assert "Ctrl+N" not in hint.text()  # households exist: the search found none
    assert hint.text().startswith("Tidak ada keluarga yang cocok")
    window.list_page.search.clear()
    window.list_page.filters.status.setCurrentIndex(window.list_page.filters.status.count() - 1)
    qtbot.waitUntil(lambda: hint.isVisible())  # a filter without a match: the same words
    assert hint.text().startswith("Tidak ada keluarga yang cocok")


def test_the_shortcuts_dialog_names_the_list_keys_the_widgets_handle(window):
    rows = collect_shortcuts(window)
    keys = " ".join(k for k, _ in rows)
    assert "Ctrl+Home / Ctrl+End" in keys
    filters = window.list_page.filters
    for label in filters.findChildren(QLabel):  # each filter's Alt key, as its label has it
        if label.buddy() is not None and "&" in label.text():
            letter = label.text()[label.text().index("&") + 1].upper()
            assert f"Alt+{letter}" in keys, label.text()
