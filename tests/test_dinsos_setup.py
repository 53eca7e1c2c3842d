"""Setting up a Dinas Sosial installation (issue 19): `init --dinsos [--kota CODE]` stores its
kind and area, its bundle scope follows the area, a bad choice is refused before anything is
made, and the service refuses a role that may not configure the installation."""

from __future__ import annotations

import pytest
from conftest import ADMIN, ADMIN_OFFICER, set_up_home
from test_cli import out, run

from app.core.errors import UserError
from app.db import audit as audit_log
from app.services import auth, installation
from app.services.actions import AuthError, Officer
from app.services.sync import imports


def test_init_dinsos_for_one_kota(tmp_path):
    home = tmp_path / "sudin"
    printed = out(run(home, "init", "--dinsos", "--kota", "31.74", "--admin", ADMIN, login=False))
    assert "Suku Dinas Sosial" in printed and "Jakarta Selatan" in printed
    assert "recovery key:" in printed
    shown = out(run(home, "bundle", "scope"))
    assert "31.74" in shown
    assert "kelurahan" in out(run(home, "dinsos", "overview"))


def test_init_dinsos_province_and_refusals(tmp_path):
    home = tmp_path / "dinsos"
    for bad in (
        ("--dinsos", "--kota", "31.99"),
        ("--dinsos", "--kelurahan", "31.74.01.1001"),
        ("--kota", "31.74"),
        (),
    ):
        result = run(home, "init", *bad, "--admin", ADMIN, login=False)
        assert result.returncode != 0 and result.stderr.decode().count("\n") == 1
        assert not (home / "loket.db").exists() and not any(home.glob("*.db"))
    out(run(home, "init", "--dinsos", "--admin", ADMIN, login=False))
    assert "31" in out(run(home, "bundle", "scope"))


def test_service_kind_area_scope(paths):
    set_up_home(paths, village=None)
    try:
        assert installation.kind() == "kelurahan" and not installation.is_dinsos()
        assert installation.dinsos_area() is None
        with pytest.raises(AuthError):
            installation.set_dinsos(None, Officer("p", "P", "petugas"))
        assert not installation.is_dinsos()
        with pytest.raises(UserError):
            installation.set_dinsos("31.99", ADMIN_OFFICER)
        assert not installation.is_dinsos()
        assert installation.set_dinsos("31.71", ADMIN_OFFICER) == "31.71"
        assert installation.is_dinsos() and installation.kind() == "dinsos"
        assert installation.dinsos_area() == imports.scope() == "31.71"
        assert [e.action for e in audit_log.entries()].count("installation.dinsos") == 1
    finally:
        auth.log_out()


def test_first_start_offers_dinsos_by_keyboard(qtbot, empty_store, monkeypatch):
    """The kelurahan picker's Alt+D opens the area choice; Suku Dinas Jakarta Selatan is saved
    and the Dinsos window opens on the overview of its kelurahan."""
    from PySide6.QtCore import Qt as QtKeys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui import application
    from app.ui.application import create_main_window, ensure_village
    from app.ui.dinsos.area_dialog import DinsosAreaDialog
    from app.ui.runner import Runner
    from app.ui.widgets.village_picker import VillagePicker

    def press_later(keys) -> None:
        def press() -> None:
            widget = QApplication.activeModalWidget()
            assert widget is not None
            for key, modifier in keys:
                qtbot.keyClick(widget.focusWidget() or widget, key, modifier)

        QTimer.singleShot(50, press)

    shown: list[str] = []
    picker_exec, area_exec = VillagePicker.exec, DinsosAreaDialog.exec

    def run_picker(self):
        shown.append("picker")
        press_later([(QtKeys.Key.Key_D, QtKeys.KeyboardModifier.AltModifier)])
        return picker_exec(self)

    def run_area(self):
        shown.append("area")
        index = self.area.findData("31.74")
        moves = [(QtKeys.Key.Key_Down, QtKeys.KeyboardModifier.NoModifier)] * index
        press_later([*moves, (QtKeys.Key.Key_S, QtKeys.KeyboardModifier.AltModifier)])
        return area_exec(self)

    monkeypatch.setattr(application.VillagePicker, "exec", run_picker)
    monkeypatch.setattr(application.DinsosAreaDialog, "exec", run_area)
    assert ensure_village(ADMIN_OFFICER)
    assert shown == ["picker", "area"]
    assert installation.dinsos_area() == imports.scope() == "31.74"
    window = create_main_window(ADMIN_OFFICER, Runner(synchronous=True))
    qtbot.addWidget(window)
    page = window.dinsos_overview
    assert page is not None and window.pages.currentWidget() is page
    assert page.model.rowCount() == sum(
        1 for v in installation.villages() if v.code.startswith("31.74")
    )
    assert ADMIN not in page.summary.text()
