"""One error path for the user (issue 13): a UserError shows its own Indonesian message; any
other error is a bug, written to the home's log (type and stack, no NIK, no name) and shown as a
generic message naming the log; a failed search does not say "Gagal menyimpan"; an exception
escaping a Qt slot goes the same way through the GUI's excepthook."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMessageBox

from app.core.errors import UserError
from app.logs import log_file
from app.services import audit as audit_service
from app.services import auth, households, listing
from app.services import receipts as receipt_service
from app.services import restore as restore_service
from app.ui import application
from app.ui.admin.audit_view import AuditView
from app.ui.admin.restore_dialog import RestoreDialog
from app.ui.errors import UNEXPECTED, error_text, excepthook, show_error
from app.ui.login.dialogs import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.runner import Runner

NIK, NAME = "3174015708850003", "Dewi"


def leaks(*_args) -> None:
    """A bug whose message holds personal data, raised from a real frame."""
    raise RuntimeError(f"{NIK} {NAME}")


@pytest.fixture
def boxes(monkeypatch) -> list[tuple[str, str]]:
    """Warning boxes shown, as (title, text), instead of a modal box."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def main_window(qtbot, store, admin) -> MainWindow:
    window = MainWindow(Runner(synchronous=True), admin, paths=store)
    qtbot.addWidget(window)
    window.show()
    return window


def generic_for(home) -> str:
    return UNEXPECTED.format(log=log_file(home))


def assert_logged_without_personal_data(home) -> None:
    log = log_file(home).read_text(encoding="utf-8")
    assert "RuntimeError" in log and "leaks" in log  # the type and where it happened
    assert NIK not in log and NAME not in log


# --- the wording ---------------------------------------------------------------------------------


def test_a_user_error_reads_as_its_own_message_and_a_bug_as_the_generic_one(tmp_path):
    assert error_text(UserError("Nomor KK harus 16 angka.", "no_kk: 16 digits")) == (
        "Nomor KK harus 16 angka."
    )
    text = error_text(RuntimeError(f"{NIK} {NAME}"), tmp_path / "logs" / "loket.log")
    assert text.startswith("Terjadi kesalahan yang tidak terduga.")
    assert str(tmp_path / "logs" / "loket.log") in text
    assert NIK not in text and NAME not in text


def test_a_user_error_is_shown_as_it_is_and_not_logged(qtbot, tmp_path, boxes):
    label = QLabel()
    qtbot.addWidget(label)
    refusal = UserError("Peran Anda tidak boleh melakukan ini.")
    assert show_error(None, refusal, home=tmp_path) == "Peran Anda tidak boleh melakukan ini."
    assert boxes == [("Loket DTKS", "Peran Anda tidak boleh melakukan ini.")]
    show_error(None, refusal, label=label, home=tmp_path)
    assert label.text() == "Peran Anda tidak boleh melakukan ini." and len(boxes) == 1
    assert not log_file(tmp_path).exists()


# --- the screens ---------------------------------------------------------------------------------


def test_an_unexpected_error_in_the_window_is_logged_and_shown_generically(
    main_window, store, boxes, monkeypatch
):
    monkeypatch.setattr(receipt_service, "privacy_notice", leaks)
    main_window.file_menu.print_privacy_notice()
    assert [text for _title, text in boxes] == [generic_for(store.home)]
    assert NIK not in boxes[0][1] and NAME not in boxes[0][1]
    assert_logged_without_personal_data(store.home)
    assert main_window.save_state.text() != "Gagal menyimpan"


def test_a_refusal_in_the_window_shows_its_message(main_window, store, boxes, monkeypatch):
    def refuse(*_args):
        raise UserError("Keluarga ini belum disimpan final.")

    monkeypatch.setattr(receipt_service, "privacy_notice", refuse)
    main_window.file_menu.print_privacy_notice()
    assert [text for _title, text in boxes] == ["Keluarga ini belum disimpan final."]
    assert not log_file(store.home).exists()


def test_a_dialog_label_shows_the_generic_text_and_logs_in_the_dialogs_home(
    qtbot, store, admin, monkeypatch
):
    monkeypatch.setattr(restore_service, "available_backups", leaks)
    dialog = RestoreDialog(Runner(synchronous=True), store, admin)
    qtbot.addWidget(dialog)
    assert dialog.error.text() == generic_for(store.home)
    assert_logged_without_personal_data(store.home)


def test_a_dialog_without_paths_logs_in_the_home_of_its_window(
    main_window, store, admin, monkeypatch
):
    monkeypatch.setattr(audit_service, "verify", leaks)
    view = AuditView(main_window.runner, admin, main_window)
    view.verify()
    assert view.verify_result.text() == generic_for(store.home)
    assert view.verify_button.isEnabled()
    assert_logged_without_personal_data(store.home)


def test_a_bug_at_login_is_logged_in_the_home_being_opened(qtbot, paths, monkeypatch):
    monkeypatch.setattr(auth, "log_in", leaks)
    dialog = LoginDialog(paths)
    qtbot.addWidget(dialog)
    dialog.username.setText("admin")
    dialog.password.setText("rahasia-admin-1")
    dialog._submit()
    assert dialog.error.text() == generic_for(paths.home) and dialog.officer is None
    assert_logged_without_personal_data(paths.home)


def test_a_failed_search_does_not_say_gagal_menyimpan(qtbot, main_window, boxes, monkeypatch):
    main_window.save_state.setText("Draf tersimpan otomatis 10:00:00")
    monkeypatch.setattr(listing, "find_households", leaks)
    main_window.list_page.search.setText(NAME)  # typed: the search runs after the pause
    qtbot.waitUntil(lambda: bool(boxes))
    assert main_window.save_state.text() == "Draf tersimpan otomatis 10:00:00"
    assert main_window.list_page.summary.text() == "Pencarian gagal."
    assert boxes[0][1].startswith("Terjadi kesalahan yang tidak terduga.")


def test_a_failed_record_view_does_not_say_gagal_menyimpan(main_window, boxes, monkeypatch):
    doc = households.save_household(households.new_household(), False, main_window.officer)
    monkeypatch.setattr(households, "record_view", leaks)
    main_window.open_household(doc["household_id"])
    assert len(boxes) == 1
    assert main_window.save_state.text() != "Gagal menyimpan"


def test_a_failed_save_still_says_gagal_menyimpan(main_window, boxes, monkeypatch):
    def refuse(*_args):
        raise UserError("Data belum lengkap.")

    monkeypatch.setattr(households, "save_household", refuse)
    main_window.new_household()
    main_window.save(final=True)
    assert main_window.save_state.text() == "Gagal menyimpan"
    assert [text for _title, text in boxes] == ["Data belum lengkap."]


# --- the excepthook ------------------------------------------------------------------------------


@pytest.mark.qt_no_exception_capture  # this test is about what the app's own hook does
def test_an_exception_escaping_a_slot_is_logged_and_shown(qtbot, tmp_path, boxes):
    before = sys.excepthook
    with excepthook(tmp_path):
        QTimer.singleShot(0, leaks)  # a slot that raises, called by Qt's event loop
        qtbot.waitUntil(lambda: bool(boxes))
    assert sys.excepthook is before
    assert [text for _title, text in boxes] == [generic_for(tmp_path)]
    assert_logged_without_personal_data(tmp_path)


def test_run_gui_installs_the_hook_for_its_lifetime(qtbot, paths, boxes, monkeypatch):
    before = sys.excepthook
    during = []

    def log_in(_paths):  # instead of the login dialog: note the hook, then cancel
        during.append(sys.excepthook)

    monkeypatch.setattr(application, "log_in", log_in)
    assert application.run_gui(paths) == 1
    assert sys.excepthook is before
    hook = during[0]
    assert hook is not before
    try:
        leaks()
    except RuntimeError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert [text for _title, text in boxes] == [generic_for(paths.home)]
    assert_logged_without_personal_data(paths.home)


class Panic(BaseException):
    """What a Rust library's panic reaches Python as (pyo3's PanicException): no Exception."""


def test_a_panic_in_a_background_job_ends_it_and_is_reported(qtbot):
    runner = Runner()  # the real worker thread
    failures: list[BaseException] = []
    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)

    def panics() -> None:
        raise Panic("a library panicked")

    runner.submit(panics, on_error=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert isinstance(failures[0], Panic) and runner.pending == 0 and busy == [True, False]
    runner.shutdown()
