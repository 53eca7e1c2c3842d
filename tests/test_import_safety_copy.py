"""The safety copy an import takes (issue 20): one per import run however many bundles it
takes in, and on a Dinsos installation one a day (its copy is all of Jakarta's data); what
protects a Dinsos database between copies is the import's one transaction: a bundle that
fails half-way leaves nothing behind. The disk fills for real inside SQLite, as in
tests/test_disk_full_save.py."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sync_support import Installation, exchange, register

from app.db import audit
from app.db.connection import database
from app.services import backups, households, installation
from app.services.sync import imports as bundles


@pytest.fixture
def dinsos(tmp_path):
    inst = Installation(tmp_path, "dinsos", village="31.71.01.1001")
    with inst:
        installation.set_dinsos(None, inst.officer)
    return inst


def logged() -> int:
    return database.execute_sql("SELECT COUNT(*) FROM bundle_log").fetchone()[0]


def import_copies(inst: Installation) -> list[backups.Backup]:
    return [b for b in backups.list_backups(inst.paths) if b.reason == "import"]


def bundles_of(sender: Installation, to: Installation, n: int) -> list:
    """`n` bundles from `sender`, each with one new household."""
    made = []
    with sender:
        for i in range(n):
            register(f"Warga {i}")
            made.append(sender.export(to))
    return made


def test_many_bundles_in_one_run_take_one_safety_copy(laptop, kelurahan):
    exchange((laptop, kelurahan))
    first, second, third, fourth = bundles_of(laptop, kelurahan, 4)
    with kelurahan:
        reports = kelurahan.take(first, second, third)
        assert [r.counts["new"] for r in reports] == [1, 1, 1]
        assert len(import_copies(kelurahan)) == 1
        time.sleep(1.1)  # copies are named by the second
        kelurahan.take(fourth)  # a kelurahan's copy is small: every run takes one
        assert len(import_copies(kelurahan)) == 2


def test_a_dinsos_installation_takes_one_safety_copy_a_day(kelurahan, dinsos):
    exchange((kelurahan, dinsos))
    first, second = bundles_of(kelurahan, dinsos, 2)
    with dinsos:
        dinsos.take(first)
        dinsos.take(second)  # a second run the same day: no second copy
        [copy] = import_copies(dinsos)
        assert households.household_count() == 2
        assert backups.protected(backups.list_backups(dinsos.paths)) >= {copy.path}
        tomorrow = copy.taken_at + dt.timedelta(days=1)
        assert backups.begin_before_import(dinsos.paths, "admin", now=copy.taken_at) is None
        safety = backups.begin_before_import(dinsos.paths, "admin", now=tomorrow)
        assert safety is not None and safety.wait().reason == "import"


def test_a_bundle_that_fails_half_way_leaves_the_dinsos_database_unchanged(kelurahan, dinsos):
    exchange((kelurahan, dinsos))
    [first] = bundles_of(kelurahan, dinsos, 1)
    with kelurahan:
        for i in range(40):
            register(f"Warga Baru {i} " * 8, address="Jl. Kebon Kacang Raya Gang Kelinci " * 4)
        big = kelurahan.export(dinsos)
    with dinsos:
        dinsos.take(first)  # the day's safety copy
        before = (households.household_count(), len(audit.entries()), logged())
        pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
        database.execute_sql(f"PRAGMA max_page_count = {pages}")  # the disk is full
        try:
            [failed] = bundles.import_bundles(dinsos.paths, [big], dinsos.officer)
        finally:
            database.execute_sql("PRAGMA max_page_count = 1073741823")
        assert isinstance(failed, Exception) and "Disk penuh" in str(failed)
        assert "Warga" not in str(failed)
        assert (households.household_count(), len(audit.entries()), logged()) == (before)
        assert audit.verify()[1] is None
        assert len(import_copies(dinsos)) == 1  # none taken: the transaction was the net
        [report] = dinsos.take(big)  # room again: the same bundle goes in whole
        assert report.counts["new"] == 40 and households.household_count() == 41
