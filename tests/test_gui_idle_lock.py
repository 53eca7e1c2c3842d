"""The idle lock at an open counter (issue 16): nothing behind it stays readable, another
officer can take over from it (*Ganti petugas*), and *Keluar akun* logs out to the login
dialog; the previous officer's autosaved form survives both."""

from __future__ import annotations

import pytest
import shiboken6
from conftest import ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QWidget,
)

from app.services import auth, households
from app.ui.admin.officers_dialog import OfficersDialog
from app.ui.application import Counter
from app.ui.login.dialogs import LoginDialog
from app.ui.login.idle_lock import Cover
from app.ui.runner import Runner

NO_KK = "3174010101260001"


@pytest.fixture
def counter(store):
    """The application's counter on `store`; what it left open is closed afterwards (the
    windows it closed itself are already deleted, so qtbot may not hold them)."""
    counter = Counter(store, runner=lambda: Runner(synchronous=True))
    yield counter
    for widget in (counter.login, counter.window):
        if widget is not None and shiboken6.isValid(widget):
            widget.close()
            widget.deleteLater()


def counter_for(qtbot, counter, officer):
    window = counter.open(officer)
    qtbot.waitActive(window)
    return counter, window


def texts(window: QWidget):
    """(text, where it is drawn, in the widget) of every field, label and table cell shown."""
    for widget in window.findChildren(QLineEdit) + window.findChildren(QLabel):
        if widget.isVisible() and widget.text():
            yield widget.text(), widget, widget.rect().center()
    for view in window.findChildren(QTableView):
        model = view.model()
        root = view.rootIndex()
        for row in range(model.rowCount(root) if view.isVisible() else 0):
            for column in range(model.columnCount(root)):
                index = model.index(row, column, root)
                shown = view.visualRect(index)
                if shown.isValid() and view.viewport().rect().contains(shown.center()):
                    yield str(index.data()), view.viewport(), shown.center()


def readable(window: QWidget) -> list[str]:
    """The texts of the window whose middle is not under the lock's cover."""
    seen = []
    for text, widget, point in texts(window):
        middle = widget.mapTo(window, point)
        if not window.rect().contains(middle):  # scrolled out of the window
            continue
        top = window.childAt(middle)
        covered = top is not None and any(
            isinstance(w, Cover) for w in (top, top.parentWidget()) if w is not None
        )
        if not covered:
            seen.append(text)
    return seen


def type_a_household(qtbot, window):
    window.new_household()
    qtbot.keyClicks(window.form.fields["no_kk"], NO_KK)
    window.form.flush_autosave()


def test_the_lock_covers_every_window_and_the_password_opens_it(qtbot, counter, admin):
    _counter, window = counter_for(qtbot, counter, admin)
    type_a_household(qtbot, window)
    officers = OfficersDialog(window.runner, admin, window)  # a second window, with names
    officers.show()
    assert NO_KK in readable(window) and "Admin Kelurahan" in readable(officers)

    lock = window.session.idle_lock
    lock.lock()
    assert readable(window) == [] and readable(officers) == []
    assert QApplication.activeModalWidget() is lock.dialog  # blocks the officers list too
    qtbot.waitUntil(lambda: QApplication.focusWidget() is lock.dialog.password)
    qtbot.keyClicks(lock.dialog.password, ADMIN_PASSWORD)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: NO_KK in readable(window))
    assert window.form.fields["no_kk"].text() == NO_KK  # the form is untouched
    officers.close()


def test_another_officer_takes_over_from_the_lock_and_the_draft_is_kept(qtbot, counter, admin):
    auth.create_officer("budi", "Budi Santoso", "petugas", OFFICER_PASSWORD, admin, FAST_KDF)
    counter, window = counter_for(qtbot, counter, admin)
    type_a_household(qtbot, window)
    qtbot.keyClicks(window.form.fields["rw"], "5")  # typed, not yet autosaved
    lock = window.session.idle_lock
    lock.lock()
    lock.dialog.switch_button.click()

    login = counter.login
    assert isinstance(login, LoginDialog) and login.isVisible()
    assert not window.isVisible() and counter.window is None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is login.username)
    qtbot.keyClicks(login.username, "budi")
    qtbot.keyClicks(login.password, OFFICER_PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.window is not None)
    new = counter.window
    assert new.officer.username == "budi" and "Budi Santoso" in new.officer_label.text()
    assert not new.admin_menu.officers_action.isEnabled()  # the petugas's own role
    [draft] = households.unsaved_drafts()  # the admin's form, with the last key typed
    assert draft["no_kk"] == NO_KK and str(draft["rw"]).lstrip("0") == "5"
    assert new.list_page.banner.isVisible()


def log_out_action(window):
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if action.text() == "Ke&luar akun":
                return menu, action
    raise AssertionError("no Keluar akun in the menus")


def test_keluar_akun_logs_out_to_the_login_dialog(qtbot, counter, admin):
    counter, window = counter_for(qtbot, counter, admin)
    menu, action = log_out_action(window)
    assert menu.title() == "&Berkas"
    texts = [a.text() for a in menu.actions()]
    assert texts.index("Ke&luar akun") == texts.index("&Keluar") - 1
    type_a_household(qtbot, window)
    action.trigger()
    login = counter.login
    assert login is not None and login.isVisible() and not window.isVisible()
    qtbot.keyClicks(login.username, "admin")
    qtbot.keyClicks(login.password, "salah-salah")
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    assert login.error.text() == auth.WRONG_LOGIN and counter.window is None
    qtbot.keyClicks(login.password, ADMIN_PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.window is not None)
    assert [d["no_kk"] for d in households.unsaved_drafts()] == [NO_KK]
