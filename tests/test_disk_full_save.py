"""A full disk during an ordinary save (issue 15) says "Disk penuh ..., tidak ada data yang
hilang", not "unexpected": nothing stored changes and the form keeps what was typed.

The disk fills for real inside SQLite: `PRAGMA max_page_count` set to the database's size makes
every write that needs a new page fail with SQLITE_FULL, the error a full disk gives."""

from __future__ import annotations

import pytest
from conftest import ADMIN_OFFICER

from app.core.document import new_member
from app.core.faults import DiskFullError
from app.db import audit
from app.db.connection import database
from app.services import households


def big_household() -> dict:
    """A household of 50 members with long names: it needs new pages to be stored."""
    doc = households.new_household()
    doc["address"] = "Jl. Kebon Kacang Raya Gang Kelinci No. 17 " * 4
    doc["members"] = [
        new_member(name=f"Anggota Keluarga Besar Nomor {i} " * 3, relationship=1 if i == 0 else 3)
        for i in range(50)
    ]
    return doc


def fill_the_disk() -> None:
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")


def free_the_disk() -> None:
    database.execute_sql("PRAGMA max_page_count = 1073741823")


def test_a_full_disk_during_a_save_says_so_and_changes_nothing(store):
    kept = households.save_household(households.new_household(), False, ADMIN_OFFICER)
    entries = len(audit.entries())
    doc = big_household()
    typed = {**doc, "members": [dict(m) for m in doc["members"]]}
    fill_the_disk()
    try:
        with pytest.raises(DiskFullError) as full:
            households.save_household(doc, final=False, officer=ADMIN_OFFICER)
        with pytest.raises(DiskFullError):
            households.autosave(doc)
    finally:
        free_the_disk()
    assert "Disk penuh" in str(full.value) and "tidak ada data yang hilang" in str(full.value)
    assert "Anggota" not in str(full.value) and "Anggota" not in full.value.detail
    assert doc == typed  # what was typed is untouched
    assert households.household_count() == 1 and households.is_stored(kept["household_id"])
    assert not households.is_stored(doc["household_id"])
    assert len(audit.entries()) == entries and audit.verify()[1] is None
    saved = households.save_household(doc, final=False, officer=ADMIN_OFFICER)  # room again
    assert len(saved["members"]) == 50


def test_the_form_says_disk_full_and_keeps_what_was_typed(qtbot, window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr("app.ui.errors.QMessageBox.warning", lambda *a: shown.append(a[2]))
    window.show_form(big_household())
    address = window.form.fields["address"]
    address.setFocus()
    address.selectAll()
    qtbot.keyClicks(address, "Jl. Rawa Bunga No. 3")
    fill_the_disk()
    try:
        window.save(final=False)
    finally:
        free_the_disk()
    assert shown and all("Disk penuh" in text for text in shown), shown
    assert not any("tidak terduga" in text for text in shown)
    assert window.pages.currentWidget() is window.form
    assert window.form.fields["address"].text() == "Jl. Rawa Bunga No. 3"
    assert len(window.form.document()["members"]) == 50
    assert window.save_state.text() == "Gagal menyimpan"
    assert households.household_count() == 0


def test_a_full_disk_during_a_bundle_import_says_so_and_changes_nothing(tmp_path):
    """The import's transaction shares the one translation (app/db/transaction.py)."""
    from sync_support import Installation, exchange

    from app.services.sync.errors import SyncError

    kelurahan, other = Installation(tmp_path, "kelurahan"), Installation(tmp_path, "kelurahan-b")
    exchange((kelurahan, other))
    with kelurahan:
        for _ in range(20):
            households.save_household(big_household(), final=False, officer=ADMIN_OFFICER)
        bundle = kelurahan.export(other)
    with other:
        entries = len(audit.entries())
        fill_the_disk()
        try:
            [result] = households_import(other, bundle)
        finally:
            free_the_disk()
        assert isinstance(result, SyncError), result
        assert "Disk penuh" in str(result) and "tidak ada data yang hilang" in str(result)
        assert households.household_count() == 0 and len(audit.entries()) == entries
        [report] = other.take(bundle)  # room again: the same bundle is taken in whole
        assert report.counts["new"] == 20


def households_import(inst, bundle):
    from app.services.sync import imports

    return imports.import_bundles(inst.paths, [bundle], inst.officer)
