"""Restoring a backup from the GUI: it says which households would be lost and restores only
after the officer confirms; the window then shows the restored data."""

from __future__ import annotations

from conftest import ADMIN_OFFICER
from helpers.households import ANSWERS, complete

from app.core.document import new_member
from app.db import audit
from app.db import audit as audit_log
from app.services import backups, households
from app.ui.admin.restore_dialog import RestoreDialog
from app.ui.main_window import MainWindow
from app.ui.runner import Runner


def register(name: str, nik: str) -> dict:
    doc = households.new_household()
    doc["no_kk"] = "317401010126" + nik[-4:]  # one family each: no duplicate (issue 14)
    doc["members"] = [new_member(nik=nik, name=name, relationship=1)]
    return households.save_household(complete(doc), True, ADMIN_OFFICER)


def test_restore_shows_what_would_be_lost_and_needs_confirmation(qtbot, store, admin):
    dewi = register("Dewi", "3174015708850003")
    snapshot = backups.create_backup(store, "manual")
    budi = register("Budi", "3174011203100001")  # after the backup
    dewi["address"] = "Jl. Baru No. 1"
    households.save_household(dewi, True, ADMIN_OFFICER)  # changed after the backup

    window = MainWindow(Runner(synchronous=True), admin, paths=store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)  # the view fetches lazily
    window.admin_menu.restore_action.trigger()
    dialog = window.admin_menu.dialog
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    table = dialog.table
    assert [table.item(0, c).text() for c in range(3)] == [
        f"{snapshot.taken_at:%d-%m-%Y %H:%M:%S}",
        "Manual",
        "1",
    ]

    dialog.choose(0)
    assert "2 keluarga" in dialog.loss_summary.text()
    lost = [dialog.loss_list.item(i).text() for i in range(dialog.loss_list.count())]
    assert [line.split(" — ")[0] for line in lost] == [  # oldest change first
        budi["registration_number"],
        dewi["registration_number"],
    ]
    assert not dialog.restore_button.isEnabled()
    dialog.restore()  # not without the tick
    assert households.household_count() == 2

    dialog.understood.setChecked(True)
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert not dialog.isVisible()
    assert households.household_count() == 1
    assert households.load_household(dewi["household_id"])["address"] == ANSWERS["address"]
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)  # the window reloaded its list
    assert "dipulihkan" in window.statusBar().currentMessage()
    [safety] = [b for b in backups.list_backups(store) if b.reason == "before-restore"]
    assert safety.households == 2  # the newer data is still kept
    restored = audit.entries()[-1]
    assert (restored.action, restored.officer) == ("backup.restore", "admin")
    assert restored.detail == {
        "backup": snapshot.path.name,
        "lost": 2,
        "kept_in": safety.path.name,
    }
    assert audit_log.verify()[1] is None


def test_a_backup_that_loses_nothing_still_asks_and_a_vanished_one_is_explained(
    qtbot, store, admin
):
    register("Dewi", "3174015708850003")
    snapshot = backups.create_backup(store, "daily")
    dialog = RestoreDialog(Runner(synchronous=True), store, admin)
    qtbot.addWidget(dialog)
    dialog.choose(0)
    assert "tidak ada data keluarga yang hilang" in dialog.loss_summary.text()
    assert dialog.table.item(0, 1).text() == "Harian"
    assert not dialog.restore_button.isEnabled()

    snapshot.path.unlink()
    dialog.understood.setChecked(True)
    dialog.restore()
    assert "tidak ada lagi" in dialog.error.text()
    assert households.household_count() == 1
