"""First start's admin account, the login dialog, and what the role unlocks in the form."""

from __future__ import annotations

import time

from conftest import ADMIN, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD
from helpers.households import complete
from PySide6.QtCore import Qt

from app.core.document import new_member
from app.db import audit, keystore
from app.services import auth, households
from app.ui.application import create_main_window
from app.ui.login import dialogs
from app.ui.login.dialogs import FirstAdminDialog, LoginDialog, RecoveryKeyDialog
from app.ui.runner import Runner

PASSWORD = OFFICER_PASSWORD


def test_first_start_creates_the_admin_account_and_shows_the_recovery_key(qtbot, paths):
    dialog = FirstAdminDialog(paths)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "siti")
    qtbot.keyClicks(dialog.full_name, "Siti Aminah")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, "rahasia-124")
    dialog._submit()
    assert dialog.error.text() == "Kedua kata sandi tidak sama." and not auth.is_set_up(paths)
    for weak in ("siti-aminah", "bismillah123"):  # her own name; a common password
        dialog.password.clear()
        dialog.confirm.clear()
        qtbot.keyClicks(dialog.password, weak)
        qtbot.keyClicks(dialog.confirm, weak)
        dialog._submit()
        assert "terlalu mudah ditebak" in dialog.error.text() and not auth.is_set_up(paths)
        assert weak not in dialog.error.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        dialog._submit()
    assert dialog.officer == auth.Officer("siti", "Siti Aminah", "admin")
    assert auth.is_set_up(paths) and keystore.usernames(paths.db) == ["siti"]

    shown = RecoveryKeyDialog(dialog.recovery_key)
    qtbot.addWidget(shown)
    assert shown.key_label.text() == dialog.recovery_key
    assert keystore.key_from_recovery(dialog.recovery_key) is not None
    assert not shown.ok_button.isEnabled()  # only after confirming it is kept
    shown.reject()  # Esc does not skip it
    assert shown.result() != shown.DialogCode.Accepted
    shown.kept.setChecked(True)
    assert shown.ok_button.isEnabled()
    auth.log_out()


def test_login_dialog_refuses_without_saying_which_part_was_wrong(qtbot, store, admin):
    auth.create_officer("siti", "Siti Aminah", "admin", PASSWORD, by=admin, kdf=FAST_KDF)
    auth.log_out()
    dialog = LoginDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    qtbot.keyClicks(dialog.username, "siti")
    qtbot.keyClicks(dialog.password, "salah-salah")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.text() == auth.WRONG_LOGIN
    assert dialog.password.text() == ""  # a wrong password is not left in the field
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.officer.username == "siti"


def test_a_slow_login_says_why_it_may_take_longer(qtbot, store, monkeypatch):
    auth.log_out()
    log_in = auth.log_in
    seen: list[str] = []

    def slow_log_in(*args, **kwargs):  # bringing the database up to date, say
        time.sleep(0.5)
        return log_in(*args, **kwargs)

    monkeypatch.setattr(dialogs, "SLOW_AFTER_MS", 50)
    monkeypatch.setattr(auth, "log_in", slow_log_in)
    dialog = LoginDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    monkeypatch.setattr(dialog.error, "setText", lambda text: seen.append(text))
    qtbot.keyClicks(dialog.username, ADMIN)
    qtbot.keyClicks(dialog.password, ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert seen == ["Memeriksa…", dialogs.SLOW_TEXT]
    assert dialog.officer.username == ADMIN


def test_only_a_supervisor_records_the_musyawarah_and_saves_name_the_officer(qtbot, admin):
    petugas = auth.create_officer("budi", "Budi Santoso", "petugas", PASSWORD, admin, FAST_KDF)
    supervisor = auth.create_officer("ani", "Ani Wijaya", "supervisor", PASSWORD, admin, FAST_KDF)
    for officer, allowed in ((petugas, False), (supervisor, True)):
        window = create_main_window(officer, Runner(synchronous=True))
        qtbot.addWidget(window)
        assert window.form.musyawarah_allowed is allowed
        assert officer.full_name in window.officer_label.text()

    window.new_household()
    doc = window.form.document()
    doc["no_kk"] = "3174010101260001"
    doc["members"] = [new_member(nik="3174015708850003", name="Dewi", relationship=1)]
    window.form.load(complete(doc))
    window.save(final=True)
    [entry] = [e for e in audit.entries() if e.action == "household.save"]
    assert entry.officer == "ani" and households.household_count() == 1
    window.show_list()
    window.open_household(doc["household_id"])  # opening a full record is audited
    assert ("household.view", "ani") in [(e.action, e.officer) for e in audit.entries()]


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_idle_lock_keeps_the_form_and_opens_only_with_the_password(qtbot, admin):
    from app.ui.login.idle_lock import IdleLock

    siti = auth.create_officer("siti", "Siti Aminah", "admin", PASSWORD, admin, FAST_KDF)
    window = create_main_window(siti, Runner(synchronous=True))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    clock = FakeClock()
    lock = IdleLock(window, siti, minutes=5, clock=clock)
    window.new_household()
    qtbot.keyClicks(window.form.fields["no_kk"], "3174010101")

    clock.now += 4 * 60
    qtbot.keyClicks(window.form.fields["no_kk"], "26")  # typing counts as activity
    clock.now += 4 * 60
    lock.check()
    assert lock.dialog is None
    clock.now += 61
    lock.check()
    assert lock.dialog is not None and lock.dialog.isVisible()

    lock.dialog.reject()  # Esc does not open it
    assert lock.dialog.isVisible() and "kata sandi" in lock.dialog.error.text()
    qtbot.keyClicks(lock.dialog.password, "salah-salah")
    lock.dialog._submit()
    assert lock.dialog.error.text() == auth.WRONG_LOGIN
    qtbot.keyClicks(lock.dialog.password, PASSWORD)
    with qtbot.waitSignal(lock.unlocked):
        lock.dialog._submit()
    assert lock.dialog is None
    assert window.form.fields["no_kk"].text() == "317401010126"  # the form is untouched
