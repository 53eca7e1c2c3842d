"""*Daftar sasaran tetap* (issue 19) on screen: real widgets on a real store that locked its
musyawarah and then became a Dinsos installation. The draft per kelurahan shows, the lock asks
first with *Batal* as the default (Enter locks nothing), the answer *Kunci daftar* locks it and
opens the penetapan; Alt keys are unique; a kelurahan installation sees the service's refusal."""

from __future__ import annotations

from conftest import ADMIN_OFFICER
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from test_gui_mnemonics import clashes, window_keys, without_key
from test_sync_meetings import family, locked_meeting

from app.core import dinsos_events
from app.services import households, installation, target_lists
from app.ui.dinsos.target_list_dialog import HEADERS, PenetapanPreview, TargetListDialog
from app.ui.runner import Runner

KOTA = "31.74"


def message_box() -> QMessageBox:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    shown = [b for b in shown if b.isVisible()]
    assert len(shown) == 1
    return shown[0]


def opened(qtbot) -> TargetListDialog:
    dialog = TargetListDialog(Runner(synchronous=True), ADMIN_OFFICER)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kota.setCurrentIndex(dialog.kota.findData(KOTA))
    return dialog


def test_draft_lock_asks_first_and_opens_the_penetapan(qtbot, store):
    ids = [family(ADMIN_OFFICER, name)["household_id"] for name in ("Ani", "Budi")]
    locked_meeting(ADMIN_OFFICER, {ids[0]: "eligible", ids[1]: "not_poor"})
    installation.set_dinsos(None, ADMIN_OFFICER)
    dialog = opened(qtbot)
    assert clashes(window_keys(dialog)) == {} and without_key(dialog) == []
    assert dialog.table.rowCount() == 1
    cells = {HEADERS[c]: dialog.table.item(0, c).text() for c in range(len(HEADERS))}
    assert cells["Kelurahan"] == "Tebet Timur" and cells["Masuk\n(KK)"] == "1"
    assert cells["Tidak\nmiskin"] == "1" and "Masuk daftar: 1 keluarga" in dialog.summary.text()

    dialog.lock_button.click()  # no number yet: said under the table, nothing asked
    assert "nomor penetapan" in dialog.error.text()
    dialog.number.setText("001/DST/31.74/2026")
    dialog.lock_button.click()
    box = message_box()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # the safe answer
    assert target_lists.lists(ADMIN_OFFICER) == []

    dialog.lock_button.click()
    message_box().button(QMessageBox.StandardButton.Yes).click()
    [made] = target_lists.lists(ADMIN_OFFICER)
    assert made.number == "001/DST/31.74/2026" and made.households == 1
    [event] = dinsos_events.events_of(households.load_household(ids[0]))
    assert event["reference"] == made.number
    preview = dialog.preview
    assert isinstance(preview, PenetapanPreview) and preview.page_count() >= 1
    assert dialog.locked.count() == 1 and dialog.table.item(0, 2).text() == ""
    assert not dialog.lock_button.isEnabled()  # nobody left to put on a list


def test_a_kelurahan_installation_sees_the_refusal(qtbot, store):
    dialog = opened(qtbot)
    assert "instalasi Dinas Sosial" in dialog.error.text()
    assert dialog.table.rowCount() == 0 and not dialog.lock_button.isEnabled()
