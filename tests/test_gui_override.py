"""A supervisor sets aside the car exclusion through the dialog; the badge flips. A petugas
sees no button."""

from __future__ import annotations

from conftest import FAST_KDF, OFFICER_PASSWORD
from PySide6.QtCore import Qt, QTimer
from test_overrides import REASON, REFERENCE, excluded_household

from app.services import auth, households
from app.ui.application import create_main_window
from app.ui.runner import Runner


def window_for(qtbot, officer):
    window = create_main_window(officer, Runner(synchronous=True))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    return window


def test_supervisor_overrides_the_car_exclusion_and_petugas_cannot(qtbot, admin):
    saved = excluded_household()
    petugas = auth.create_officer("budi", "Budi", "petugas", OFFICER_PASSWORD, admin, FAST_KDF)
    ani = auth.create_officer("ani", "Ani Wijaya", "supervisor", OFFICER_PASSWORD, admin, FAST_KDF)

    window = window_for(qtbot, petugas)
    window.open_household(saved["household_id"])
    assert not window.form.findings.override_button.isVisible()

    window = window_for(qtbot, ani)
    window.open_household(saved["household_id"])
    panel = window.form.findings
    assert panel.override_button.isVisible() and panel.override_button.isEnabled()
    assert panel.badge.text().startswith("Tidak dapat diusulkan")

    def fill_in():
        dialog = window.records.override_dialog
        dialog.reason.setPlainText("dijual")
        dialog._check()  # too short: refused with a message, dialog stays
        assert "minimal 20" in dialog.error.text() and dialog.isVisible()
        dialog.reason.setPlainText(REASON)
        dialog.reference.setText(REFERENCE)
        dialog._check()

    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(panel.override_button, Qt.MouseButton.LeftButton)
    assert panel.badge.text() == "Dapat diusulkan (dengan pengecualian diabaikan)"
    [shown] = [m for m in panel.messages() if m.startswith("Pengecualian diabaikan")]
    assert REFERENCE in shown and "ani" in shown
    assert households.load_household(saved["household_id"])["status"] == "registered"
    assert not panel.override_button.isEnabled()  # nothing left to set aside
