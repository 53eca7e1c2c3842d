"""*Cek status* and *Riwayat* in the real window (issue 19): Ctrl+K opens the dialog with the
cursor in its one input line; a scanner's QR (typed keys and Enter), a registration number or
a NIK answer in one line (the timeline under it, except for a NIK); the slip prints; the
household form shows Dinsos' duplicate notice and opens its timeline with Ctrl+H."""

from __future__ import annotations

import datetime as dt

from conftest import ADMIN_OFFICER
from helpers.households import head, household
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from test_gui_mnemonics import clashes, window_keys, without_key

from app.core.dinsos_events import DUPLICATE_NOTICE, IN_SIKS_NG, event
from app.receipts.content import verification_code
from app.receipts.formatting import WIB, date_short
from app.services import dinsos_status, households, installation, status_check, timeline
from app.ui.household.status_dialog import StatusDialog
from app.ui.household.timeline_dialog import TimelineDialog

HEAD_NIK = "3174016705800004"
DINSOS = "Dinas Sosial Provinsi DKI Jakarta"
IN_SIKS_NG_ON = dt.datetime.now(WIB).date() + dt.timedelta(days=1)  # after the registration
IN_SIKS_NG_LINE = f"Sedang diverifikasi Kemensos ({date_short(IN_SIKS_NG_ON)})."


def registered() -> dict:
    return households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)


def with_dinsos_news(doc: dict) -> dict:
    """The household after Dinsos' news arrived: in SIKS-NG, and registered in another
    kelurahan too (recorded as Dinsos does; the window stays the kelurahan's)."""
    installation.set_dinsos(None, ADMIN_OFFICER)
    news = [
        event(IN_SIKS_NG, IN_SIKS_NG_ON.isoformat(), DINSOS),
        event(DUPLICATE_NOTICE, IN_SIKS_NG_ON.isoformat(), DINSOS, reference="Kelurahan Manggarai"),
    ]
    dinsos_status.record({doc["household_id"]: news}, ADMIN_OFFICER)
    return households.load_household(doc["household_id"])


def status_dialog(window) -> StatusDialog:
    return StatusDialog(window.runner, ADMIN_OFFICER, window)


def timeline_dialog(window, paths) -> TimelineDialog:
    """For tests/test_gui_sizes.py: the timeline of a household with Dinsos' news."""
    doc = with_dinsos_news(registered())
    return TimelineDialog(timeline.timeline(doc["household_id"], ADMIN_OFFICER), window)


def answered_status_dialog(window, paths) -> StatusDialog:
    """For tests/test_gui_sizes.py: the dialog after a look-up with a timeline."""
    doc = with_dinsos_news(registered())
    dialog = status_dialog(window)
    dialog.show_result(status_check.check_status(doc["registration_number"], ADMIN_OFFICER))
    return dialog


def opened_by_ctrl_k(qtbot, window) -> StatusDialog:
    action = window.file_menu.actions["check_status"]
    assert action.shortcut().toString() == "Ctrl+K" and action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.file_menu.status_dialog
    assert isinstance(dialog, StatusDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.input)
    return dialog


def test_ctrl_k_is_one_shortcut_only(window):
    keys = [
        a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()
    ]
    assert keys.count("Ctrl+K") == 1


def test_a_scanned_qr_answers_in_one_line_with_the_timeline(qtbot, window):
    doc = with_dinsos_news(registered())
    dialog = opened_by_ctrl_k(qtbot, window)

    scanned = f"DTKS:{doc['registration_number']}:{verification_code(doc)}"
    qtbot.keyClicks(dialog.input, scanned)  # a USB scanner types, then presses Enter
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)

    assert dialog.status.text() == IN_SIKS_NG_LINE
    assert dialog.table.isVisibleTo(dialog) and dialog.table.rowCount() == 3
    assert dialog.table.item(1, 1).text() == "Masuk SIKS-NG"
    assert dialog.notice.isVisibleTo(dialog) and "Kelurahan Manggarai" in dialog.notice.text()
    assert not dialog.note.isVisibleTo(dialog)
    assert dialog.print_button.isEnabled()
    assert dialog.input.hasSelectedText()  # the next scan replaces it
    assert clashes(window_keys(dialog)) == {} and without_key(dialog) == []


def test_a_nik_shows_the_line_only_and_garbage_is_refused(qtbot, window):
    registered()
    dialog = opened_by_ctrl_k(qtbot, window)
    qtbot.keyClicks(dialog.input, HEAD_NIK)
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert dialog.status.text() == "Menunggu musyawarah kelurahan."
    assert not dialog.table.isVisibleTo(dialog) and not dialog.notice.isVisibleTo(dialog)

    qtbot.keyClicks(dialog.input, "3174019999990001")  # replaces the selected NIK
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert dialog.status.text() == "NIK 3174********0001 tidak terdaftar di kelurahan ini."
    assert not dialog.print_button.isEnabled()

    qtbot.keyClicks(dialog.input, "Nur Hasanah")
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    assert dialog.status.text().startswith("Tidak dikenali")
    assert "Nur" not in dialog.status.text()
    assert dialog.isVisible()  # Enter looked up; it did not close the dialog


def test_the_slip_prints(qtbot, window, tmp_path):
    doc = registered()
    dialog = opened_by_ctrl_k(qtbot, window)
    qtbot.keyClicks(dialog.input, doc["registration_number"])
    qtbot.keyClick(dialog.input, Qt.Key.Key_Return)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.printer = printer
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert printed.startswith(b"%PDF") and len(printed) > 1000


def test_the_form_shows_the_notice_and_opens_the_timeline(qtbot, window):
    doc = with_dinsos_news(registered())
    form = window.form
    window.new_household()
    assert not form.history.notice.isVisibleTo(form)
    assert not form.history.button.isEnabled()  # nothing stored yet: no timeline

    window.open_household(doc["household_id"])

    assert form.history.notice.isVisibleTo(form)
    assert form.history.notice.text() == (
        "NIK/No. KK keluarga ini juga terdaftar di Kelurahan Manggarai — hubungi Dinsos."
    )
    assert form.history.button.isEnabled() and form.history.button.isVisibleTo(form)
    before = set(QApplication.topLevelWidgets())
    qtbot.keyClick(form.fields["no_kk"], Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    opened = [w for w in QApplication.topLevelWidgets() if w not in before]
    dialogs = [w for w in opened if isinstance(w, TimelineDialog)]
    assert len(dialogs) == 1
    shown = dialogs[0]
    qtbot.addWidget(shown)
    assert shown.status.text() == IN_SIKS_NG_LINE
    assert [shown.table.item(r, 1).text() for r in range(shown.table.rowCount())] == [
        "Terdaftar",
        "Masuk SIKS-NG",
        "Juga terdaftar di kelurahan lain",
    ]
    assert clashes(window_keys(shown)) == {} and without_key(shown) == []
    assert clashes(window_keys(window)) == {}  # Ri&wayat beside the form's other Alt keys
