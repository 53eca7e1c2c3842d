"""The counter officer's flow in the real window: type, save, find, edit, survive a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import ADMIN_OFFICER, log_in_again, set_up_home
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.db.connection import close_db
from app.services import auth, households
from app.ui.application import create_main_window
from app.ui.runner import Runner

ROOT = Path(__file__).resolve().parent.parent


def type_into(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def tab(qtbot):
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    return QApplication.focusWidget()


def test_officer_types_a_household_with_the_keyboard_and_finds_it(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.form
    assert window.pages.currentWidget() is form
    assert QApplication.focusWidget() is form.fields["no_kk"]
    qtbot.keyClicks(form.fields["no_kk"], "3174012304150007")
    assert tab(qtbot) is form.fields["rw"]
    qtbot.keyClicks(form.fields["rw"], "5")
    assert tab(qtbot) is form.fields["rt"]
    qtbot.keyClicks(form.fields["rt"], "12")
    assert tab(qtbot) is form.fields["address"]
    qtbot.keyClicks(form.fields["address"], "Jl. Tebet Timur Dalam Raya No. 3")
    assert tab(qtbot) is form.fields["phone"]
    assert tab(qtbot) is form.fields["dtks_id"]  # schema v2 (issue 18)
    assert tab(qtbot) is form.members.table  # the members come right after the KK data
    form.members.add_button.setFocus()
    assert tab(qtbot) is form.fields["housing.tenure"]
    qtbot.keyClicks(form.fields["housing.tenure"], "Kontrak")
    type_into(qtbot, form.fields["housing.drinking_water"], "Air")  # Air kemasan bermerk
    qtbot.keyClick(form.fields["housing.drinking_water"], Qt.Key.Key_Down)  # Air isi ulang
    for key, label in (  # the other housing answers a final save needs
        ("floor", "Keramik"),
        ("wall", "Tembok"),
        ("roof", "Genteng"),
        ("lighting", "Listrik PLN dengan"),
        ("cooking_fuel", "Elpiji 3"),
        ("toilet", "Ada, digunakan hanya"),
    ):
        type_into(qtbot, form.fields[f"housing.{key}"], label)
    form.fields["assets.motorcycle"].setFocus()
    qtbot.keyClick(form.fields["assets.motorcycle"], Qt.Key.Key_Space)

    # members: Ctrl+Enter adds one and puts the cursor in its NIK
    qtbot.keyClick(
        form.fields["assets.motorcycle"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    members = form.members
    assert QApplication.focusWidget() is members.fields["nik"]
    qtbot.keyClicks(members.fields["nik"], "3174016705800004")
    assert tab(qtbot) is members.fields["name"]
    qtbot.keyClicks(members.fields["name"], "Nur Hasanah")
    assert tab(qtbot) is members.fields["sex"]
    qtbot.keyClicks(members.fields["sex"], "Pe")
    assert tab(qtbot) is members.fields["birth_place"]
    qtbot.keyClicks(members.fields["birth_place"], "Jakarta")
    assert tab(qtbot) is members.fields["birth_date"]
    qtbot.keyClicks(members.fields["birth_date"], "27-05-1980")
    type_into(qtbot, members.fields["marital_status"], "Kawin")
    assert tab(qtbot) is members.fields["mother_name"]  # the head's: a final save needs it
    qtbot.keyClicks(members.fields["mother_name"], "Siti Rahmah")
    qtbot.keyClick(members.fields["nik"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(members.fields["nik"], "3174011203050001")
    qtbot.keyClicks(members.fields["name"], "Rizky Pratama")
    type_into(qtbot, members.fields["relationship"], "Anak")
    type_into(qtbot, members.fields["marital_status"], "Belum")
    type_into(qtbot, members.fields["sex"], "Laki")
    if not members.fields["birth_date"].text():  # not already read from the NIK
        type_into(qtbot, members.fields["birth_date"], "12-03-2005")

    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = households.load_household(form.household_id())
    assert saved["status"] == "registered"
    assert saved["registration_number"].startswith("3174011001-")
    assert "Nomor registrasi" in window.save_state.text()
    assert saved["no_kk"] == "3174012304150007"
    assert (saved["rw"], saved["rt"]) == (5, 12)
    assert saved["housing"]["tenure"] == 2 and saved["housing"]["drinking_water"] == 2
    assert saved["assets"]["motorcycle"] is True
    head, child = saved["members"]
    assert (head["name"], head["sex"], head["birth_date"], head["relationship"]) == (
        "Nur Hasanah",
        2,
        "1980-05-27",
        1,
    )
    assert (child["name"], child["relationship"]) == ("Rizky Pratama", 3)
    assert households.unsaved_drafts() == []

    # back to the list with Esc; find by NIK and by part of a name
    qtbot.keyClick(form.fields["no_kk"], Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.list_page
    # the child's NIK finds the family, and the row says which member matched
    for query, shown in (
        ("3174011203050001", "Nur Hasanah (anggota: Rizky Pratama)"),
        ("hasan", "Nur Hasanah"),
    ):
        window.list_page.search.setText(query)
        qtbot.waitUntil(
            lambda s=shown: window.model.rowCount() == 1 and window.model.index(0, 1).data() == s
        )
        assert window.model.searching
        assert window.model.household_id(0) == saved["household_id"]
        assert window.model.index(0, 2).data() == "3174********0004"  # NIK masked in the list

    # edit: Enter on the search result opens it; change the address; save
    qtbot.keyClick(window.list_page.search, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is form
    assert form.fields["address"].text() == "Jl. Tebet Timur Dalam Raya No. 3"
    qtbot.keyClick(form.fields["no_kk"], Qt.Key.Key_F2)  # shown read-only until F2 (issue 16)
    form.fields["address"].clear()
    type_into(qtbot, form.fields["address"], "Jl. Tebet Timur Dalam VI No. 9")
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    edited = households.load_household(saved["household_id"])
    assert edited["address"] == "Jl. Tebet Timur Dalam VI No. 9"
    assert edited["registration_number"] == saved["registration_number"]
    assert edited["revs"][1] == saved["rev"]


def test_saving_invalid_data_keeps_the_form_and_says_why(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr("app.ui.main_window.QMessageBox.warning", lambda *a: shown.append(a[2]))
    window.new_household()
    window.form.fields["rw"].setText("99999")  # beyond the schema's RW range
    window.save(final=True)
    assert shown and "tidak valid" in shown[0]
    assert window.pages.currentWidget() is window.form
    assert households.household_count() == 0


def test_leaving_with_esc_keeps_the_typed_form_as_a_draft(qtbot, window):
    window.new_household()
    type_into(qtbot, window.form.fields["no_kk"], "3174010101260009")
    qtbot.keyClick(window.form.fields["no_kk"], Qt.Key.Key_Escape)
    banner = window.list_page.banner
    assert banner.isVisible()
    drafts = households.unsaved_drafts()
    assert [d["no_kk"] for d in drafts] == ["3174010101260009"]
    window.resume_draft(drafts[0]["household_id"])
    assert window.form.fields["no_kk"].text() == "3174010101260009"


def test_a_draft_survives_a_hard_kill(qtbot, paths):
    set_up_home(paths)
    auth.log_out()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.typing_child", str(paths.home)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "AUTOSAVED"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)

    log_in_again(paths)
    win = create_main_window(ADMIN_OFFICER, Runner(synchronous=True))
    qtbot.addWidget(win)
    win.show()
    banner = win.list_page.banner
    assert banner.isVisible()
    [draft] = households.unsaved_drafts()
    win.resume_draft(draft["household_id"])
    form = win.form
    assert form.fields["no_kk"].text() == "3174010101260001"
    assert form.fields["address"].text() == "Jl. Tebet Barat Dalam II No. 7"
    assert form.members.fields["nik"].text() == "3174015708850003"
    assert form.members.fields["name"].text() == "Dewi Lestari"
    close_db()


def test_a_valid_nik_fills_sex_and_birth_date_only_when_empty(qtbot, window):
    window.new_household()
    members = window.form.members
    members.add_member()
    type_into(qtbot, members.fields["nik"], "3174016705800004")
    assert members.fields["sex"].value() == 2
    assert members.fields["birth_date"].text() == "27-05-1980"
    members.add_member()
    type_into(qtbot, members.fields["birth_date"], "01-01-1979")
    type_into(qtbot, members.fields["nik"], "3174011203050001")
    assert members.fields["sex"].value() == 1
    assert members.fields["birth_date"].text() == "01-01-1979"  # typed value kept
    doc = window.form.document()
    assert [(m["sex"], m["birth_date"]) for m in doc["members"]] == [
        (2, "1980-05-27"),
        (1, "1979-01-01"),
    ]
