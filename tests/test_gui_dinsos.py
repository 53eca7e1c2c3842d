"""The Dinsos screens (issue 19): the *Dinsos* menu of a Dinas Sosial installation (overview and
household list both ways, unique Alt keys, items by role), the result-import dialog (a real
Bapenda CSV and XLSX previewed, refused rows by row number without their NIK, applied only after
a confirmation whose default answer is Batal) and the pemadanan request file."""

from __future__ import annotations

import pytest
import xlsxwriter
from conftest import ADMIN_OFFICER, officer_named
from helpers.households import head, household
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from test_gui_mnemonics import check, menu_clashes

from app.core import dinsos_events
from app.db import audit
from app.services import households, installation, outcomes, pemadanan, pemadanan_files
from app.ui.application import create_main_window
from app.ui.dinsos.request_dialog import RequestDialog
from app.ui.dinsos.result_import_dialog import ResultImportDialog
from app.ui.runner import Runner
from app.ui.widgets.focus import focus_chain

HEAD_NIK = "3174016705800004"
UNKNOWN_NIK = "3174010101900009"


@pytest.fixture
def saved(store):
    """A registered household in Tebet Timur; then the installation becomes a Dinsos one."""
    doc = households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    installation.set_dinsos(None, ADMIN_OFFICER)
    return doc["household_id"]


def dinsos_window(qtbot, officer=ADMIN_OFFICER):
    win = create_main_window(officer, Runner(synchronous=True))
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
    return win


@pytest.fixture
def win(qtbot, saved):
    return dinsos_window(qtbot)


def bapenda_csv(tmp_path, name="bapenda.csv"):
    path = tmp_path / name
    lines = ["NIK;MOBIL;NJOP;ALAMAT", f"{HEAD_NIK};YA;1.500.000.000;Jl. X",
             "3.17401E+15;YA;;", f"{UNKNOWN_NIK};TIDAK;;"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_dialog(win) -> ResultImportDialog:
    win.dinsos_menu.pemadanan_action.trigger()
    dialog = win.dinsos_menu.dialog
    assert isinstance(dialog, ResultImportDialog) and dialog.isVisible()
    return dialog


def counts_shown(dialog) -> dict[str, str]:
    table = dialog.counts
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def refused_shown(dialog) -> list[str]:
    return [dialog.refused.item(i).text() for i in range(dialog.refused.count())]


def focused(qtbot, widget) -> None:
    """`widget` has the keyboard focus (once its window is active)."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def open_box(dialog) -> QMessageBox:
    [box] = [b for b in dialog.findChildren(QMessageBox) if b.isVisible()]
    return box


def test_the_menu_goes_between_overview_and_list_with_unique_alt_keys(qtbot, win):
    assert win.dinsos_menu is not None
    assert win.pages.currentWidget() is win.dinsos_overview  # the first screen
    assert "&Dinsos" in [a.text() for a in win.menuBar().actions()]
    problems: dict[str, object] = {}
    check(win, problems, "Dinsos main window")
    problems.update(menu_clashes(win))
    assert problems == {}
    menu = win.dinsos_menu
    items = [a for a in menu.menu.actions() if not a.isSeparator()]
    assert all(a.isEnabled() for a in items), [a.text() for a in items if not a.isEnabled()]
    menu.list_action.trigger()
    assert win.pages.currentWidget() is win.list_page
    assert QApplication.focusWidget() is win.list_page.search
    menu.overview_action.trigger()
    assert win.pages.currentWidget() is win.dinsos_overview
    assert QApplication.focusWidget() is win.dinsos_overview.search
    assert win.dinsos_overview.rows  # reloaded
    for action in (menu.request_action, menu.pemadanan_action, menu.outcomes_action):
        assert action.isEnabled()
        action.trigger()
        check(menu.dialog, problems, action.text())
        menu.dialog.close()
    assert problems == {}


def test_a_kelurahan_window_has_no_dinsos_menu(window):
    assert window.dinsos_menu is None
    assert "&Dinsos" not in [a.text() for a in window.menuBar().actions()]


def test_a_petugas_gets_the_menu_with_the_work_items_disabled(qtbot, saved):
    win = dinsos_window(qtbot, officer_named("budi", "petugas"))
    menu = win.dinsos_menu
    assert menu.list_action.isEnabled()
    enabled = [a.text() for a in menu.menu.actions() if a.isEnabled() and not a.isSeparator()]
    assert enabled == ["Daftar &keluarga"]


def test_preview_then_apply_after_confirmation(qtbot, win, saved, tmp_path):
    path = bapenda_csv(tmp_path)
    before = households.load_household(saved)
    dialog = import_dialog(win)
    focused(qtbot, dialog.path)  # typing starts at the file
    assert not dialog.apply_button.isEnabled()
    qtbot.keyClicks(dialog.path, str(path))
    assert dialog.profile.currentText() == "bapenda"  # the file's name chose the profile
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Pratinjau is the default button
    shown = counts_shown(dialog)
    labels = dict(pemadanan.COUNTS)
    assert shown[labels["rows"]] == "2" and shown[labels["matched"]] == "1"
    assert shown[labels["car"]] == "1" and shown[labels["refused"]] == "1"
    assert shown[labels["households"]] == "1"
    [refused] = refused_shown(dialog)
    assert refused.startswith("baris 3: ") and "Excel" in refused
    assert HEAD_NIK not in refused and "3.17401E+15" not in refused
    assert households.load_household(saved) == before  # a preview changes nothing

    entries = len(audit.entries())
    dialog.apply_button.click()
    box = open_box(dialog)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)  # Batal
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter answers the safe way
    assert households.load_household(saved) == before and len(audit.entries()) == entries
    assert dialog.apply_button.isEnabled()  # still previewed: may be applied later

    dialog.apply_button.click()
    open_box(dialog).button(QMessageBox.StandardButton.Yes).click()
    after = households.load_household(saved)
    assert after["matching"]["car_per_bapenda"] is True and "car" in after["exclusions"]
    assert [e.action for e in audit.entries()][-1] == "pemadanan.import"
    assert "1 keluarga diperbarui" in dialog.summary.text()
    assert "1 keluarga diperbarui" in win.statusBar().currentMessage()
    assert not dialog.apply_button.isEnabled()  # a second import needs a new preview


def test_an_xlsx_result_and_a_changed_choice_needs_a_new_preview(qtbot, win, saved, tmp_path):
    path = tmp_path / "hasil.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate([["NIK", "STATUS_DUKCAPIL"], [HEAD_NIK, "TIDAK DITEMUKAN"]]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    dialog = import_dialog(win)
    dialog.path.setText(str(path))
    dialog.profile.setCurrentText("dukcapil")
    dialog.preview_button.click()
    labels = dict(pemadanan.COUNTS)
    assert counts_shown(dialog)[labels["nik_not_found"]] == "1"
    assert refused_shown(dialog) == ["Tidak ada baris yang ditolak."]
    assert dialog.apply_button.isEnabled()
    dialog.profile.setCurrentText("bapenda")  # another profile: not what was previewed
    assert not dialog.apply_button.isEnabled()
    assert "Pratinjau lagi" in dialog.summary.text()


def test_a_refused_file_says_one_line_and_changes_nothing(qtbot, win, saved, tmp_path):
    bad = tmp_path / "bapenda-salah.csv"
    bad.write_text(f"NIK;MOBIL\n{HEAD_NIK};YA\n", encoding="utf-8")
    before = households.load_household(saved)
    dialog = import_dialog(win)
    dialog.path.setText(str(bad))
    dialog.preview_button.click()
    assert dialog.error.text() == "bapenda-salah.csv: kolom tidak ada: NJOP"
    assert not dialog.apply_button.isEnabled() and dialog.preview_button.isEnabled()
    dialog.path.setText(str(tmp_path / "tidak-ada.csv"))
    dialog.preview_button.click()
    assert "tidak terbaca" in dialog.error.text() and "\n" not in dialog.error.text()
    open_quote = tmp_path / "kutip.csv"  # the rest of the file one cell, past the csv limit
    open_quote.write_text("NIK;MOBIL;NJOP\n" + f'"{HEAD_NIK};YA;\n' + f"{HEAD_NIK};YA;\n" * 8000)
    dialog.path.setText(str(open_quote))
    dialog.preview_button.click()
    assert dialog.error.text().startswith("kutip.csv: bukan CSV yang dapat dibaca (baris 2:")
    assert "\n" not in dialog.error.text() and HEAD_NIK not in dialog.error.text()
    assert households.load_household(saved) == before


def test_a_petugas_preview_is_refused_by_the_service(qtbot, saved, tmp_path):
    dialog = ResultImportDialog(
        Runner(synchronous=True), officer_named("budi", "petugas"), title="Impor",
        preview=pemadanan.preview, apply=pemadanan.apply,
        profile_names=pemadanan_files.profile_names, counts=pemadanan.COUNTS,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.path.setText(str(bapenda_csv(tmp_path)))
    dialog.preview_button.click()
    assert "tidak berwenang" in dialog.error.text() and "(pemadanan.import)" in dialog.error.text()
    assert dialog.refused.count() == 0 and not dialog.apply_button.isEnabled()


def test_choose_file_and_tab_leaves_the_tables(qtbot, win, tmp_path, monkeypatch):
    path = bapenda_csv(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    dialog = import_dialog(win)
    dialog.choose_button.click()
    assert dialog.path.text() == str(path)
    focused(qtbot, dialog.profile)
    chain = focus_chain(dialog)
    assert chain.index(dialog.path) < chain.index(dialog.counts) < chain.index(dialog.refused)
    assert not dialog.counts.tabKeyNavigation() and not dialog.refused.tabKeyNavigation()
    dialog.counts.setFocus()
    qtbot.keyClick(dialog.counts, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not dialog.counts


def test_the_request_file_is_written_where_chosen(qtbot, win, saved, tmp_path, monkeypatch):
    target = tmp_path / "permintaan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    win.dinsos_menu.request_action.trigger()
    dialog = win.dinsos_menu.dialog
    assert isinstance(dialog, RequestDialog)
    focused(qtbot, dialog.source)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.choose_button.click()
    assert dialog.path == tmp_path / "permintaan.csv"
    focused(qtbot, dialog.save_button)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    lines = (tmp_path / "permintaan.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "NIK,NO_KK,NAMA,TANGGAL_LAHIR" and lines[1].startswith(HEAD_NIK)
    assert "1 anggota dari 1 keluarga" in dialog.report.text()
    assert "1 anggota" in win.statusBar().currentMessage()


def test_the_request_refuses_to_replace_a_file_not_chosen_in_the_save_dialog(
    qtbot, saved, tmp_path
):
    existing = tmp_path / "lama.xlsx"
    existing.write_bytes(b"lama")
    dialog = RequestDialog(Runner(synchronous=True), ADMIN_OFFICER)
    qtbot.addWidget(dialog)
    dialog.set_path(existing)
    dialog.save_button.click()
    assert dialog.error.text() and "\n" not in dialog.error.text()
    assert existing.read_bytes() == b"lama"
    petugas = RequestDialog(Runner(synchronous=True), officer_named("budi", "petugas"))
    qtbot.addWidget(petugas)
    petugas.set_path(tmp_path / "p.xlsx")
    petugas.save_button.click()
    assert petugas.error.text() and not (tmp_path / "p.xlsx").exists()


def test_siks_ng_outcomes_go_through_the_same_dialog(qtbot, win, saved, tmp_path):
    path = tmp_path / "hasil-siks-ng.csv"
    path.write_text(
        "NIK;NO_KK;STATUS;ALASAN;ID_DTKS;TANGGAL\n"
        f"{HEAD_NIK};;DITETAPKAN;;DTKS-3174-001;01-12-2026\n"
        "3.17401E+15;;DITOLAK;;;01-12-2026\n",
        encoding="utf-8",
    )
    win.dinsos_menu.outcomes_action.trigger()
    dialog = win.dinsos_menu.dialog
    assert isinstance(dialog, ResultImportDialog) and "SIKS-NG" in dialog.windowTitle()
    dialog.path.setText(str(path))
    dialog.preview_button.click()
    labels = dict(outcomes.COUNTS)
    shown = counts_shown(dialog)
    assert shown[labels["determined"]] == "1" and shown[labels["dtks_id"]] == "1", shown
    [refused] = refused_shown(dialog)
    assert refused.startswith("baris 3: ") and "3.17401E+15" not in refused
    dialog.apply_button.click()
    open_box(dialog).button(QMessageBox.StandardButton.Yes).click()
    doc = households.load_household(saved)
    steps = [e["step"] for e in dinsos_events.events_of(doc)]
    assert "determined" in steps and doc["dtks_id"] == "DTKS-3174-001"
    assert "1 keluarga diperbarui" in dialog.summary.text()
