"""Duplicates in the window (issue 14): the same family typed twice is stopped by the duplicate
dialog (open the other, save as draft, or — a supervisor — register anyway with a reason);
withdrawn households are greyed in the list; a bundle's duplicates show in the import preview."""

from __future__ import annotations

import re

import pytest
from conftest import ADMIN_OFFICER
from helpers.families import HASANAH, LESTARI, household, type_family
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from sync_support import Installation, exchange

from app.db import audit
from app.services import duplicates, households
from app.services.actions import Officer
from app.ui.application import create_main_window
from app.ui.household.duplicate_dialog import DuplicateDialog
from app.ui.household.list_model import WITHDRAWN_COLOUR
from app.ui.household.withdraw_dialog import ReasonDialog
from app.ui.main_window import MainWindow
from app.ui.runner import Runner
from app.ui.sync.import_dialog import ImportDialog

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
SUPERVISOR = Officer("sri", "Sri Wahyuni", "supervisor")
PETUGAS = Officer("ani", "Ani Rahmawati", "petugas")


def window_as(qtbot, officer: Officer) -> MainWindow:
    win = create_main_window(officer, Runner(synchronous=True))
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
    return win


def register_typed(qtbot, window, family=HASANAH) -> str:
    """Type the family into a new form and press Ctrl+S; returns its household_id."""
    window.activateWindow()  # back from a dialog (offscreen has no window manager to do it)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.new_household()
    type_family(qtbot, window.form, family)
    qtbot.keyClick(window.form, Qt.Key.Key_S, CTRL)
    return window.form.household_id()


def duplicate_dialog(qtbot, window) -> DuplicateDialog:
    qtbot.waitUntil(lambda: window.records.duplicate_dialog is not None)
    dialog = window.records.duplicate_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def alt(qtbot, dialog, key) -> None:
    """Alt+<key> in `dialog`: a button's Alt-key clicks it as a short animation (100 ms)."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog, key, ALT)
    qtbot.wait(250)


def mnemonics(dialog) -> list[str]:
    """The Alt-keys of the dialog's buttons and labelled fields."""
    texts = [b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()]
    texts += [label.text() for label in dialog.findChildren(QLabel) if label.buddy()]
    return [m.lower() for t in texts for m in re.findall(r"&(\w)", t)]


@pytest.fixture
def supervisor_window(qtbot, store):
    return window_as(qtbot, SUPERVISOR)


def test_the_same_family_typed_twice_is_stopped_and_kept_as_a_draft(qtbot, supervisor_window):
    window = supervisor_window
    first_id = register_typed(qtbot, window)
    first = households.load_household(first_id)
    assert first["status"] == "registered", window.save_state.text()

    second_id = register_typed(qtbot, window)  # the same No. KK and NIKs, typed again
    dialog = duplicate_dialog(qtbot, window)
    assert second_id != first_id and not households.is_stored(second_id)
    assert window.save_state.text() == "Belum disimpan final: data ganda"
    cells = [dialog.table.item(0, c).text() for c in range(4)]
    assert cells[:3] == [first["registration_number"], "Nur Hasanah", "RW 005/RT 012"]
    assert "No. KK 3174********0007" in cells[3] and "NIK 3174********0004" in cells[3]
    # focus on the list of households; Enter would open the other one; never the forcing choice
    assert QApplication.focusWidget() is dialog.table
    assert dialog.open_button.isDefault()
    assert not dialog.accept_button.isDefault() and not dialog.accept_button.isEnabled()
    letters = mnemonics(dialog)
    assert sorted(letters) == ["a", "b", "d", "k", "t"] and len(set(letters)) == len(letters)

    alt(qtbot, dialog, Qt.Key.Key_D)  # Simpan sebagai draf
    assert not dialog.isVisible()
    saved = households.load_household(second_id)
    assert saved["status"] == "draft" and saved["registration_number"] is None
    assert window.save_state.text() == "Tersimpan sebagai draf"
    # no registration number was used up by the refused save
    other = households.save_household(household(LESTARI), final=True, officer=SUPERVISOR)
    assert other["registration_number"].endswith("-000002")


def test_enter_opens_the_household_already_registered(qtbot, supervisor_window):
    window = supervisor_window
    first_id = register_typed(qtbot, window)
    register_typed(qtbot, window)
    dialog = duplicate_dialog(qtbot, window)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert window.form.household_id() == first_id
    assert window.pages.currentWidget() is window.form
    assert len(households.unsaved_drafts()) == 1  # what was typed is kept as an unsaved form


def test_a_supervisor_registers_it_anyway_with_a_reason(qtbot, supervisor_window):
    window = supervisor_window
    first_id = register_typed(qtbot, window)
    second_id = register_typed(qtbot, window)
    dialog = duplicate_dialog(qtbot, window)
    alt(qtbot, dialog, Qt.Key.Key_A)  # the reason's label leads to its field
    assert QApplication.focusWidget() is dialog.reason
    qtbot.keyClicks(dialog.reason, "Pecah KK")
    assert not dialog.accept_button.isEnabled()  # too short yet
    qtbot.keyClicks(dialog.reason, " sedang diproses di Dukcapil")
    assert dialog.accept_button.isEnabled()
    alt(qtbot, dialog, Qt.Key.Key_T)  # Tetap daftarkan

    saved = households.load_household(second_id)
    first = households.load_household(first_id)
    assert saved["status"] == "registered"
    assert saved["registration_number"] not in (None, first["registration_number"])
    [acceptance] = saved["duplicate_acceptances"]
    assert acceptance["reason"] == "Pecah KK sedang diproses di Dukcapil"
    assert acceptance["by"] == "sri"
    assert acceptance["of"][0]["registration_number"] == first["registration_number"]
    [entry] = [e for e in audit.entries(second_id) if e.action == "duplicate.accept"]
    assert entry.officer == "sri" and entry.detail["reason"] == acceptance["reason"]
    marks = window.marks_label  # the strip above the form
    assert marks.isVisible()
    assert first["registration_number"] in marks.text() and "Pecah KK" in marks.text()
    assert marks.text().startswith("Tetap didaftarkan walau No. KK/NIK sama dengan keluarga")
    window.show_list()
    assert not marks.isVisible()


def test_a_petugas_gets_no_register_anyway_button(qtbot, store):
    window = window_as(qtbot, PETUGAS)
    register_typed(qtbot, window)
    second_id = register_typed(qtbot, window)
    dialog = duplicate_dialog(qtbot, window)
    assert dialog.accept_button is None and dialog.reason is None
    assert not any("Tetap" in b.text() for b in dialog.findChildren(QPushButton))
    alt(qtbot, dialog, Qt.Key.Key_K)  # Kembali ke formulir
    assert not dialog.isVisible() and not households.is_stored(second_id)
    assert window.pages.currentWidget() is window.form


def test_a_withdrawn_household_is_greyed_and_no_longer_a_duplicate(qtbot, supervisor_window):
    window = supervisor_window
    first_id = register_typed(qtbot, window)
    window.show_list()
    if window.model.canFetchMore():  # the view fetches its first page when painted
        window.model.fetchMore()
    table = window.list_page.table
    table.setCurrentIndex(window.model.index(window.model.row_of(first_id), 0))
    [action] = [a for a in window.menuBar().actions()[0].menu().actions()
                if a.text().startswith("B&atalkan")]  # fmt: skip
    action.trigger()
    dialog = window.records.reason_dialog
    assert isinstance(dialog, ReasonDialog) and dialog.back_button.isDefault()
    assert not dialog.action_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "Salah input, keluarga didaftar ulang")
    alt(qtbot, dialog, Qt.Key.Key_B)  # Batalkan pendaftaran
    assert households.load_household(first_id)["status"] == "withdrawn"
    assert window.save_state.text() == "Pendaftaran dibatalkan (ditarik)"
    assert window.statusBar().currentMessage() == ""  # said once, not twice

    row = window.model.row_of(first_id)
    status = window.model.index(row, 7)
    assert status.data() == "Ditarik"
    assert status.data(Qt.ItemDataRole.ForegroundRole).color() == WITHDRAWN_COLOUR
    assert status.data(Qt.ItemDataRole.FontRole).italic()

    second_id = register_typed(qtbot, window)  # the same family again: not stopped
    assert households.load_household(second_id)["status"] == "registered"
    assert window.records.duplicate_dialog is None

    window.open_household(first_id)  # the withdrawal shows on the household
    assert "Pendaftaran dibatalkan" in window.marks_label.text()


def import_preview(qtbot, kelurahan, bundle) -> tuple[MainWindow, ImportDialog]:
    """The kelurahan's window (its home open) with *Terima paket* previewing `bundle`."""
    window = MainWindow(Runner(synchronous=True), kelurahan.officer, paths=kelurahan.paths)
    qtbot.addWidget(window)
    window.show()
    window.sync_menu.import_action.trigger()
    dialog = window.sync_menu.dialog
    assert isinstance(dialog, ImportDialog)
    dialog.set_files([bundle])
    return window, dialog


def test_the_import_preview_lists_a_duplicate_from_a_bundle(qtbot, tmp_path):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    with laptop:
        households.save_household(household(), final=True, officer=ADMIN_OFFICER)
        bundle = laptop.export(kelurahan)
    kelurahan.__enter__()
    try:
        held = households.save_household(household(), final=True, officer=ADMIN_OFFICER)
        window, dialog = import_preview(qtbot, kelurahan, bundle)
        assert dialog.duplicates.isVisible() and dialog.duplicates.count() == 1
        item = dialog.duplicates.item(0).text()
        assert held["registration_number"] in item and "No. KK 3174********0007" in item
        assert "1 kemungkinan data ganda" in dialog.summary.text()
        dialog.apply_button.click()
        assert "1 kemungkinan data ganda" in dialog.summary.text()
        assert households.household_count() == 2  # stored all the same
        dialog.close()

        window.records.show_possible_duplicates()
        listed = window.records.possible_duplicates_dialog
        assert listed.table.rowCount() == 1
        assert held["registration_number"] in listed.table.item(0, 1).text()
        listed.keep_button.click()  # Tetap keduanya, with a reason
        reason = listed.reason_dialog
        qtbot.keyClicks(reason.reason, "Pecah KK sedang diproses")
        reason.action_button.click()
        assert listed.table.rowCount() == 0
        assert "tetap didaftarkan" in window.save_state.text()
        # the message once, not twice (the import's own message may still be passing)
        assert "tetap didaftarkan" not in window.statusBar().currentMessage()
        window.close()
    finally:
        kelurahan.__exit__()


def test_the_import_preview_counts_the_duplicates_it_does_not_list(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(duplicates, "SHOWN_DUPLICATES", 2)  # a report keeps only the first
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    with laptop:
        for _ in range(3):
            households.save_household(household(no_kk=HASANAH.no_kk, members=[]), False,
                                      ADMIN_OFFICER)  # fmt: skip
        bundle = laptop.export(kelurahan)
    kelurahan.__enter__()
    try:
        households.save_household(household(), final=True, officer=ADMIN_OFFICER)
        _window, dialog = import_preview(qtbot, kelurahan, bundle)
        assert dialog.duplicates.count() == 3
        assert "dan 4 kemungkinan data ganda lainnya" in dialog.duplicates.item(2).text()
        assert "6 kemungkinan data ganda" in dialog.summary.text()  # the count, not the list
    finally:
        kelurahan.__exit__()
