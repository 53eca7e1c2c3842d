"""Checks while the officer types: badge, findings panel, jumping to fields, duplicates."""

from __future__ import annotations

from conftest import ADMIN_OFFICER
from helpers.households import complete
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.document import new_member
from app.services import households


def fill_valid_household(qtbot, form, no_kk="3174012304150007", nik="3174016705800004"):
    """Type the No. KK and the head's NIK and name; the other answers a final save needs
    (address, housing, the head's sex, birth date, relationship...) are loaded first."""
    doc = form.document()
    doc["members"] = [new_member(sex=2, birth_date="1980-05-27", relationship=1)]
    complete(doc)
    doc["no_kk"] = doc["members"][0]["nik"] = doc["members"][0]["name"] = None  # typed below
    form.load(doc)
    assert form.findings.badge.text().startswith("Belum lengkap")  # not "Dapat diusulkan"
    form.fields["no_kk"].setFocus()
    qtbot.keyClicks(form.fields["no_kk"], no_kk)
    form.members.focus_field(0, "nik")
    qtbot.keyClicks(form.members.fields["nik"], nik)
    qtbot.keyClicks(form.members.fields["name"], "Nur Hasanah")


def badge(window) -> str:
    return window.form.findings.badge.text()


def test_ticking_car_flips_the_badge_and_save_marks_the_household_excluded(qtbot, window):
    window.new_household()
    form = window.form
    fill_valid_household(qtbot, form)
    assert badge(window) == "Dapat diusulkan"
    form.fields["assets.car"].setFocus()
    qtbot.keyClick(form.fields["assets.car"], Qt.Key.Key_Space)
    assert badge(window).startswith("Tidak dapat diusulkan: Keluarga memiliki mobil")
    assert any("Pengecualian" in m and "Ingub Sekda" in m for m in form.findings.messages())
    assert form.fields["assets.car"].property("finding") == "exclusion"  # highlighted
    qtbot.keyClick(form.fields["assets.car"], Qt.Key.Key_Space)
    assert badge(window) == "Dapat diusulkan"
    qtbot.keyClick(form.fields["assets.car"], Qt.Key.Key_Space)

    window.save(final=True)
    saved = households.load_household(form.household_id())
    assert saved["status"] == "excluded"
    assert saved["exclusions"] == ["car"]
    assert "tidak dapat diusulkan" in window.save_state.text()


def test_clicking_a_finding_puts_the_cursor_in_its_field(qtbot, window):
    window.new_household()
    form = window.form
    fill_valid_household(qtbot, form)
    form.members.add_member()
    qtbot.keyClicks(form.members.fields["nik"], "3174011203050000")  # serial 0000
    panel = form.findings
    [item] = [
        panel.list.item(i)
        for i in range(panel.list.count())
        if "nomor urut 0000" in panel.list.item(i).text()
    ]
    form.members.focus_field(0, "name")
    assert form.members.fields["nik"].property("finding") is None  # member 1's NIK is fine
    form.fields["no_kk"].setFocus()
    panel.list.itemClicked.emit(item)
    assert QApplication.focusWidget() is form.members.fields["nik"]
    assert form.members.current_index() == 1
    assert form.members.fields["nik"].property("finding") == "error"  # member 2's is not


def test_final_save_is_refused_while_there_are_errors_and_the_draft_is_kept(
    qtbot, window, monkeypatch
):
    shown = []
    monkeypatch.setattr("app.ui.main_window.QMessageBox.warning", lambda *a: shown.append(a[2]))
    window.new_household()
    form = window.form
    form.fields["no_kk"].setFocus()
    qtbot.keyClicks(form.fields["no_kk"], "31740123")  # too short, and no members
    assert badge(window).startswith("Belum lengkap: ")  # neutral until complete
    window.save(final=True)
    assert shown and "No. KK harus 16 digit" in shown[0] and "draf" in shown[0]
    assert households.household_count() == 0
    [draft] = households.unsaved_drafts()
    assert draft["no_kk"] == "31740123"


def test_a_nik_registered_elsewhere_warns_and_links_to_that_household(qtbot, window):
    other = households.new_household()
    other["no_kk"] = "3174010101260001"
    other["members"] = [new_member(nik="3174016705800004", name="Nur Hasanah", relationship=1)]
    other = households.save_household(complete(other), final=True, officer=ADMIN_OFFICER)

    window.new_household()
    form = window.form
    fill_valid_household(qtbot, form, no_kk="3174010101260001")
    form.flush_autosave()  # the duplicate look-up runs with the autosave
    messages = form.findings.messages()
    assert any("sudah terdaftar di keluarga lain atas nama Nur Hasanah" in m for m in messages)
    assert any("No. KK 3174********0001 sudah terdaftar" in m for m in messages)
    panel = form.findings
    [item] = [
        panel.list.item(i)
        for i in range(panel.list.count())
        if "NIK" in panel.list.item(i).text() and "keluarga lain" in panel.list.item(i).text()
    ]
    panel.list.itemClicked.emit(item)
    assert form.household_id() == other["household_id"]
    assert form.fields["no_kk"].text() == "3174010101260001"
