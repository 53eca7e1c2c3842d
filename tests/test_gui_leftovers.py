"""Issue 16's remaining items, each done the way an officer would: the window opens
maximised with its status bar; a read-only household's fields (text and drop-down) share one
look; the mouse wheel over a closed drop-down scrolls the form and leaves the answer; a new
form shows no red before the officer has typed; a message box that opens while the idle lock
is up stays covered; cancelling the login after *Keluar akun* asks before quitting."""

from __future__ import annotations

import shiboken6
from conftest import ADMIN_PASSWORD
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.services import households
from app.ui.application import Counter
from app.ui.login.dialogs import NextOfficerLoginDialog
from app.ui.login.idle_lock import Cover
from app.ui.runner import Runner
from app.ui.widgets.fields import ERROR_BACKGROUND, CodeCombo

NIK_TEXT = "NIK 3174010101800001 sudah terdaftar"


def background(widget: QWidget) -> QColor:
    """The colour drawn just inside the widget's right edge, halfway down (no text there)."""
    image = widget.grab().toImage()
    return image.pixelColor(image.width() - 6, image.height() // 2)


def wheel(widget: QWidget, steps: int = -1) -> None:
    """One notch of the mouse wheel over `widget`, sent as Qt sends it (to the widget)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_counter_opens_the_main_window_maximised_with_its_status_bar(qtbot, store, admin):
    counter = Counter(store, runner=lambda: Runner(synchronous=True))
    window = counter.open(admin)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    assert window.windowState() & Qt.WindowState.WindowMaximized
    assert window.statusBar().isVisible() and window.officer_label.isVisible()
    screen = window.screen().availableGeometry()
    assert window.frameGeometry().height() <= screen.height()


def test_read_only_drop_downs_look_like_read_only_text_fields(qtbot, window):
    form = window.form
    window.new_household()
    combo, text = form.fields["housing.tenure"], form.fields["address"]
    assert isinstance(combo, CodeCombo)
    editing_combo = background(combo)
    form.set_editing(False)
    qtbot.wait(10)
    assert background(combo) == background(text)  # one grey for every read-only field
    assert background(combo) != editing_combo  # and not the look of a field to fill in
    form.set_editing(True)
    assert background(combo) == editing_combo


def test_the_wheel_over_a_closed_drop_down_scrolls_the_form_not_the_answer(qtbot, window):
    form = window.form
    window.new_household()
    combo = form.fields["housing.tenure"]
    combo.setCurrentIndex(2)
    before = combo.value()
    form.fields["address"].setFocus()
    wheel(combo)
    wheel(combo, 1)
    assert combo.value() == before and not combo.hasFocus()
    combo.setFocus()  # the officer is in it: the wheel chooses, as Qt's drop-down does
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo)
    assert combo.value() != before


def test_a_new_form_shows_no_red_until_a_field_is_left_or_a_final_save_is_asked(
    qtbot, window, monkeypatch
):
    refusals: list[str] = []  # the final save is refused, with a message box (app/ui/errors.py)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: refusals.append(text))
    form = window.form
    window.new_household()
    missing = form.findings.findChildren(QWidget)
    assert missing  # the check panel lists the missing answers all along
    coloured = [w for w in form.fields.values() if w.property("finding")]
    assert coloured == []
    no_kk, rw = form.fields["no_kk"], form.fields["rw"]
    assert QApplication.focusWidget() is no_kk
    qtbot.keyClick(no_kk, Qt.Key.Key_Tab)  # left empty: now it is marked
    assert no_kk.property("finding") == "error"
    assert ERROR_BACKGROUND in no_kk.styleSheet()
    assert rw.property("finding") is None  # not yet left
    form.save_final_button.click()  # a final save is asked: every missing answer shows
    assert rw.property("finding") == "error" and refusals
    window.new_household()  # the next family starts clean again
    assert [w for w in form.fields.values() if w.property("finding")] == []


def test_a_message_box_opened_under_the_lock_stays_covered_until_the_password(qtbot, window, admin):
    lock = window.session.idle_lock
    lock.lock()
    box = QMessageBox(QMessageBox.Icon.Warning, "Loket DTKS", NIK_TEXT, parent=window)
    box.open()  # e.g. the end of a background job
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is lock.dialog)
    [cover] = [c for c in box.findChildren(Cover) if c.isVisible()]
    assert cover.geometry() == box.rect()
    label = next(w for w in box.findChildren(QWidget) if getattr(w, "text", None)
                 and NIK_TEXT in w.text())  # fmt: skip
    middle = label.mapTo(box, label.rect().center())
    assert box.childAt(middle) in (cover, *cover.findChildren(QWidget))  # not readable
    qtbot.waitUntil(lambda: QApplication.focusWidget() is lock.dialog.password)
    qtbot.keyClicks(lock.dialog.password, ADMIN_PASSWORD)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(lock.dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not shiboken6.isValid(cover))
    assert box.isVisible() and QApplication.activeModalWidget() is box  # now it is read
    box.close()


def test_cancelling_the_login_after_keluar_akun_asks_and_tidak_stays(qtbot, store, admin):
    quits: list[bool] = []
    counter = Counter(
        store, runner=lambda: Runner(synchronous=True), quit=lambda: quits.append(True)
    )
    window = counter.open(admin)
    window.session.log_out_action.trigger()
    login = counter.login
    assert isinstance(login, NextOfficerLoginDialog) and login.isVisible()
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        box.button(button).click()

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.No))
    qtbot.keyClick(login, Qt.Key.Key_Escape)
    assert asked and "Keluar dari aplikasi?" in asked[0]
    assert login.isVisible() and not quits  # back on the login, the app still runs

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Yes))
    login.buttons.button(login.buttons.StandardButton.Cancel).click()
    assert quits == [True] and not login.isVisible()
    assert households.household_count() == 0
    login.deleteLater()
