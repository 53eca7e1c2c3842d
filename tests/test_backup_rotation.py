"""Backup rotation keeps what matters (issue 15): 14 `backup create` by a petugas once rotated
away the supervisor's backup. Each backup is marked with its reason and its taker's role, and
rotation never removes the newest taken before an import, before a restore or by a supervisor."""

from __future__ import annotations

import datetime as dt
import json

from conftest import officer_named

from app.services import backups

DAY = dt.datetime(2026, 11, 23, 8, 0, 0)


def at(minutes: int) -> dt.datetime:
    return DAY + dt.timedelta(minutes=minutes)


def test_many_imports_by_a_petugas_do_not_push_out_the_supervisors_backup(store):
    supervisors = backups.create_backup(store, "import", now=at(0), taker="supervisor")
    for i in range(1, backups.KEEP + 5):
        backups.create_backup(store, "import", now=at(i), taker="petugas")
    kept = backups.list_backups(store)
    assert supervisors.path in {b.path for b in kept}
    assert sum(b.reason == "import" for b in kept) == backups.KEEP + 1
    assert backups.protected(kept) == {supervisors.path, kept[0].path}
    # the petugas's oldest went, sidecar and all
    assert not (store.backups / f"loket-{at(1):%Y%m%d-%H%M%S}-import.db").exists()
    assert not list(store.backups.glob(f"loket-{at(1):%Y%m%d-%H%M%S}-*"))


def test_the_newest_before_an_import_or_a_restore_survives_any_number_of_others(store):
    before_import = backups.create_backup(store, "import", now=at(0), taker="petugas")
    before_restore = backups.create_backup(store, "before-restore", now=at(1))
    for i in range(2, backups.KEEP + 20):
        backups.create_backup(store, "daily", now=at(i))
    kept = {b.path for b in backups.list_backups(store)}
    assert {before_import.path, before_restore.path} <= kept
    assert backups.protected(backups.list_backups(store)) == {
        before_import.path,
        before_restore.path,
    }


def test_ordinary_rotation_still_keeps_the_newest_of_each_reason(store):
    for i in range(backups.KEEP + 3):
        backups.create_backup(store, "daily", now=at(i))
    kept = backups.list_backups(store)
    assert len(kept) == backups.KEEP
    assert kept[-1].taken_at == at(3)  # the three oldest daily backups went
    assert len(list(store.backups.glob("*.db.json"))) == backups.KEEP


def test_a_backup_says_its_reason_and_the_takers_role_and_no_name(store):
    supervisor = officer_named("sri", "supervisor")
    taken = backups.take_backup(store, supervisor)
    assert taken.taker == "supervisor"
    sidecar = taken.path.with_name(taken.path.name + ".json")
    assert json.loads(sidecar.read_text()) == {"reason": "manual", "taker": "supervisor"}
    assert "sri" not in sidecar.read_text()
    [listed] = backups.list_backups(store)
    assert (listed.reason, listed.taker) == ("manual", "supervisor")
    daily = backups.daily_backup(store, now=at(0))
    assert daily is not None and daily.taker == backups.SYSTEM


def test_a_backup_without_sidecar_rotates_as_before(store):
    """Backups of earlier versions carry no sidecar: they are unmarked, and rotate by reason."""
    old = backups.create_backup(store, "manual", now=at(0), taker="supervisor")
    old.path.with_name(old.path.name + ".json").unlink()
    for i in range(1, backups.KEEP + 1):
        backups.create_backup(store, "manual", now=at(i), taker="petugas")
    assert not old.path.exists()
