"""Every dialog starts in its first field, Tab reaches the buttons last, a destructive choice is
never the default and the standard buttons speak Indonesian (issue 16). Typed with the
keyboard into whatever has the focus, as an officer would."""

from __future__ import annotations

import pytest
from conftest import ADMIN, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.services import auth, households, installation
from app.ui.about_dialog import AboutDialog
from app.ui.admin.officers_dialog import AddOfficerDialog, OfficersDialog
from app.ui.admin.restore_dialog import RestoreDialog
from app.ui.household.override_dialog import OverrideDialog
from app.ui.household.withdraw_dialog import ReasonDialog
from app.ui.login.dialogs import FirstAdminDialog, LoginDialog, RecoveryKeyDialog
from app.ui.runner import Runner
from app.ui.sync.keys_dialog import KeysDialog
from app.ui.widgets.ask import ENGLISH, question
from app.ui.widgets.focus import focus_chain
from app.ui.widgets.village_picker import VillagePicker


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    return QApplication.focusWidget()


def type_here(qtbot, text):
    """Keys go where the focus is, as on the counter's keyboard."""
    qtbot.keyClicks(QApplication.focusWidget(), text)


def test_login_starts_in_the_user_name_and_logs_in_by_keyboard_only(qtbot, store, admin):
    auth.create_officer("siti", "Siti Aminah", "admin", OFFICER_PASSWORD, admin, FAST_KDF)
    auth.log_out()
    dialog = LoginDialog(store)
    assert shown(qtbot, dialog) is dialog.username
    type_here(qtbot, "siti")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.password
    type_here(qtbot, OFFICER_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.officer.username == "siti"


def test_first_account_starts_in_its_first_field_and_tab_reaches_buttons_last(qtbot, paths):
    dialog = FirstAdminDialog(paths)
    assert shown(qtbot, dialog) is dialog.username
    fields = [dialog.username, dialog.full_name, dialog.password, dialog.confirm]
    ok, cancel = dialog.buttons.buttons()[0], dialog.buttons.buttons()[1]
    assert focus_chain(dialog)[: len(fields)] == fields
    assert set(focus_chain(dialog)[len(fields) :]) == {ok, cancel}
    type_here(qtbot, "siti")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    type_here(qtbot, "Siti Aminah")  # the space lands in the name, it presses no button
    assert dialog.full_name.text() == "Siti Aminah" and dialog.isVisible()


def answer_when_asked(qtbot, seen, press):
    """Answer the next question box: record it, then `press(box)`."""

    def answer():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        press(box)

    QTimer.singleShot(0, answer)


def test_cancelling_the_first_account_asks_before_quitting_and_no_is_the_default(qtbot, paths):
    dialog = FirstAdminDialog(paths)
    shown(qtbot, dialog)
    seen: list[QMessageBox] = []
    texts: list[list[str]] = []

    def enter(box):  # Enter takes the default answer
        texts.append([b.text() for b in box.buttons()])
        assert box.defaultButton().text() == "&Tidak"
        qtbot.keyClick(box, Qt.Key.Key_Return)

    rejected: list[bool] = []
    dialog.rejected.connect(lambda: rejected.append(True))
    answer_when_asked(qtbot, seen, enter)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert seen and "Keluar dari aplikasi?" in seen[0].text()
    assert dialog.isVisible() and not rejected
    assert not ENGLISH & set(texts[0])

    answer_when_asked(qtbot, seen, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    with qtbot.waitSignal(dialog.rejected):
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not auth.is_set_up(paths)


def test_recovery_key_starts_on_the_kept_box(qtbot, paths):
    dialog = RecoveryKeyDialog("ABCD-EFGH")
    assert shown(qtbot, dialog) is dialog.kept
    qtbot.keyClick(dialog.kept, Qt.Key.Key_Space)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() in (dialog.print_button, dialog.ok_button)


def test_officer_forms_start_in_their_first_field(qtbot, store, admin):
    add = AddOfficerDialog()
    assert shown(qtbot, add) is add.username
    type_here(qtbot, "budi")
    assert add.username.text() == "budi"
    officers = OfficersDialog(Runner(synchronous=True), admin)
    assert shown(qtbot, officers) is officers.table
    officers.select(ADMIN)
    officers.reset_button.click()
    form = officers.form
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.password)
    type_here(qtbot, "x")
    assert form.password.text() == "x"
    form.reject()


def test_override_withdraw_keys_restore_and_about_start_in_their_first_field(qtbot, store, admin):
    override = OverrideDialog([("E1", "Memiliki mobil")])
    assert shown(qtbot, override) is override.rule
    qtbot.keyClick(override.rule, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is override.reason
    type_here(qtbot, "Mobil sudah dijual")
    qtbot.keyClick(override.reason, Qt.Key.Key_Tab)  # Tab leaves the reason box
    assert QApplication.focusWidget() is override.reference

    reason = ReasonDialog("Batalkan pendaftaran", "Batalkan?", "&Batalkan pendaftaran")
    assert shown(qtbot, reason) is reason.reason

    keys = KeysDialog(Runner(synchronous=True), admin)
    assert shown(qtbot, keys) is keys.peers

    restore = RestoreDialog(Runner(synchronous=True), store, admin)
    assert shown(qtbot, restore) is restore.table

    picker = VillagePicker(installation.villages())
    assert shown(qtbot, picker) is picker.search

    about = AboutDialog()
    focus = shown(qtbot, about)
    assert focus is about.table and not isinstance(focus, QPushButton)


def test_discarding_a_form_defaults_to_batal_and_speaks_indonesian(qtbot, window):
    window.new_household()
    qtbot.keyClicks(window.form.fields["no_kk"], "3174010101260001")
    window.show_list()
    [draft] = households.unsaved_drafts()
    banner = window.list_page.banner
    banner.discard_requested.emit(draft["household_id"])
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox) and "dihapus" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert not ENGLISH & {b.text() for b in box.buttons()}
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter: nothing is thrown away
    assert len(households.unsaved_drafts()) == 1
    banner.discard_requested.emit(draft["household_id"])
    box = QApplication.activeModalWidget()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert households.unsaved_drafts() == []


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Escape])
def test_a_question_answers_safely_on_enter_and_esc(qtbot, key):
    box = question(None, "Hapus?", "Hapus semuanya?", "&Hapus")
    qtbot.addWidget(box)
    with qtbot.waitActive(box):
        box.show()
    assert box.button(QMessageBox.StandardButton.No).text() == "&Batal"
    qtbot.keyClick(box, key)
    assert box.clickedButton() is box.button(QMessageBox.StandardButton.No)


def test_the_lock_password_is_typed_where_the_focus_is(qtbot, store, admin):
    """A correct password, typed at once after the lock appears, opens it (it used to go to
    the Buka button; Enter then sent an empty password: "kata sandi salah")."""
    from app.ui.application import create_main_window

    window = create_main_window(admin, Runner(synchronous=True), store)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    lock = window.session.idle_lock
    lock.lock()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is lock.dialog.password)
    dialog = lock.dialog
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # nothing typed yet
    assert dialog.error.text() and dialog.error.text() != auth.WRONG_LOGIN
    type_here(qtbot, ADMIN_PASSWORD)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
