"""User management in the GUI: the admin adds officers, resets a forgotten password, closes an
account; and only the right roles reach the Administrasi screens."""

from __future__ import annotations

import pytest
from conftest import FAST_KDF, OFFICER_PASSWORD
from PySide6.QtWidgets import QMessageBox

from app.db import keystore
from app.services import auth
from app.ui.admin.audit_view import AuditView
from app.ui.admin.officers_dialog import OfficersDialog
from app.ui.admin.restore_dialog import RestoreDialog
from app.ui.application import create_main_window
from app.ui.main_window import MainWindow
from app.ui.runner import Runner

PASSWORD = OFFICER_PASSWORD


@pytest.fixture
def dialog(qtbot, admin):
    dialog = OfficersDialog(Runner(synchronous=True), admin)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture
def budi(admin):
    return auth.create_officer("budi", "Budi Santoso", "petugas", PASSWORD, admin, FAST_KDF)


def rows(dialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def fill_passwords(qtbot, form, password, confirm=None):
    form.password.clear()
    form.confirm.clear()
    qtbot.keyClicks(form.password, password)
    qtbot.keyClicks(form.confirm, password if confirm is None else confirm)


def test_admin_adds_an_officer_who_can_then_log_in(qtbot, store, dialog):
    assert rows(dialog) == [["admin", "Admin Kelurahan", "Administrator", "Aktif"]]
    dialog.add_button.click()
    form = dialog.form
    assert form.isVisible()
    qtbot.keyClicks(form.username, "B")  # not a valid username
    qtbot.keyClicks(form.full_name, "Budi Santoso")
    form.role.setCurrentIndex(form.role.findData("pendamping"))
    fill_passwords(qtbot, form, PASSWORD, "rahasia-124")
    form.submit()
    assert form.error.text() == "Kedua kata sandi tidak sama."
    fill_passwords(qtbot, form, PASSWORD)
    form.submit()
    assert "Nama pengguna 3-32 karakter" in form.error.text()  # auth's own words
    assert form.isVisible() and len(rows(dialog)) == 1

    form.username.clear()
    qtbot.keyClicks(form.username, "budi")
    form.submit()
    assert not form.isVisible() and dialog.form is None
    assert ["budi", "Budi Santoso", "Pendamping sosial", "Aktif"] in rows(dialog)
    assert "budi" in dialog.message.text() and "ditambahkan" in dialog.message.text()
    assert dialog.selected()[0].username == "budi"

    assert auth.log_in(store, "budi", PASSWORD).role == "pendamping"


def test_a_forgotten_password_is_reset_and_the_old_one_stops_working(qtbot, store, dialog, budi):
    dialog.reload()
    dialog.select("budi")
    dialog.reset_button.click()
    form = dialog.form
    fill_passwords(qtbot, form, "pendek")
    form.submit()
    assert form.error.text() == "Kata sandi minimal 10 karakter."
    fill_passwords(qtbot, form, "budi-santoso-1")  # long, but the officer's own name
    form.submit()
    assert "terlalu mudah ditebak: memuat nama" in form.error.text()
    assert "budi-santoso-1" not in form.error.text()
    fill_passwords(qtbot, form, "baru-rahasia-9")
    form.submit()
    assert dialog.form is None and "budi" in dialog.message.text()

    with pytest.raises(auth.AuthError, match=auth.WRONG_LOGIN):
        auth.log_in(store, "budi", PASSWORD)
    assert auth.log_in(store, "budi", "baru-rahasia-9").username == "budi"


def test_a_closed_account_cannot_log_in_until_reopened(qtbot, store, admin, dialog, budi):
    dialog.reload()
    dialog.select("admin")
    assert not dialog.deactivate_button.isEnabled()  # nobody closes their own account
    with pytest.raises(auth.AuthError, match="akun Anda sendiri"):
        auth.deactivate_officer("admin", admin)

    dialog.select("budi")
    dialog.deactivate_button.click()
    dialog.question.button(QMessageBox.StandardButton.No).click()
    assert ["budi", "Budi Santoso", "Petugas kelurahan", "Aktif"] in rows(dialog)
    dialog.deactivate_button.click()
    assert "Cadangan lama tetap memakai kunci lama" in dialog.question.text()
    dialog.question.button(QMessageBox.StandardButton.Yes).click()
    assert ["budi", "Budi Santoso", "Petugas kelurahan", "Nonaktif"] in rows(dialog)
    # the database was re-keyed: the new recovery key is shown, once, to be written down
    shown = dialog.recovery
    assert shown is not None and shown.isVisible()
    assert keystore.matches(store.db, keystore.key_from_recovery(shown.key_label.text()))
    shown.kept.setChecked(True)
    shown.ok_button.click()
    assert not dialog.reset_button.isEnabled() and dialog.reactivate_button.isEnabled()
    with pytest.raises(auth.AuthError, match=auth.WRONG_LOGIN):
        auth.log_in(store, "budi", PASSWORD)
    assert keystore.unwrap(store.db, "budi", PASSWORD) is None  # nor opens the key outside

    dialog.reactivate_button.click()
    fill_passwords(qtbot, dialog.form, "baru-rahasia-9")
    dialog.form.submit()
    assert ["budi", "Budi Santoso", "Petugas kelurahan", "Aktif"] in rows(dialog)
    assert auth.log_in(store, "budi", "baru-rahasia-9").role == "petugas"


def test_the_administrasi_menu_follows_the_role(qtbot, store, admin, budi):
    supervisor = auth.create_officer("ani", "Ani Wijaya", "supervisor", PASSWORD, admin, FAST_KDF)
    runner = Runner(synchronous=True)
    petugas_window = create_main_window(budi, runner)
    qtbot.addWidget(petugas_window)
    menu = petugas_window.admin_menu
    actions = (menu.officers_action, menu.audit_action, menu.restore_action)
    assert not any(a.isEnabled() for a in actions)
    for screen in (
        lambda: OfficersDialog(runner, budi),
        lambda: AuditView(runner, budi),
        lambda: RestoreDialog(runner, store, budi),
    ):
        with pytest.raises(auth.AuthError, match="tidak berwenang"):
            screen()

    window = MainWindow(runner, supervisor, paths=store)
    qtbot.addWidget(window)
    menu = window.admin_menu
    actions = (menu.officers_action, menu.audit_action, menu.restore_action)
    assert all(a.isEnabled() for a in actions)
    menu.officers_action.trigger()
    assert isinstance(menu.dialog, OfficersDialog) and menu.dialog.isVisible()
    menu.dialog.reject()
    menu.audit_action.trigger()
    assert isinstance(menu.dialog, AuditView) and menu.dialog.isVisible()


def test_the_admin_changes_the_database_key_and_gets_a_new_recovery_key(
    qtbot, store, admin, dialog, budi
):
    from app.db.connection import current_key

    old = current_key()
    assert dialog.rekey_button.isVisibleTo(dialog)
    dialog.rekey_button.click()
    assert "Cadangan lama tetap memakai kunci lama" in dialog.question.text()
    dialog.question.button(QMessageBox.StandardButton.No).click()
    assert current_key() == old
    dialog.rekey_button.click()
    dialog.question.button(QMessageBox.StandardButton.Yes).click()
    assert current_key() != old and "Kunci basis data diganti" in dialog.message.text()
    assert keystore.key_from_recovery(dialog.recovery.key_label.text()) == current_key()
    dialog.recovery.kept.setChecked(True)
    dialog.recovery.ok_button.click()
    auth.log_out()
    assert auth.log_in(store, "budi", PASSWORD).username == "budi"  # no password was needed


def test_a_supervisor_does_not_see_the_key_change(qtbot, store, admin):
    supervisor = auth.create_officer("ani", "Ani Wijaya", "supervisor", PASSWORD, admin, FAST_KDF)
    dialog = OfficersDialog(Runner(synchronous=True), supervisor)
    qtbot.addWidget(dialog)
    assert not dialog.rekey_button.isVisibleTo(dialog)
