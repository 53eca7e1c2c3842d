"""A bundle import's update of a household whose members did not change (issue 20): the digest
of the members kept in the household's row (`households.members_digest`) says so without the
members being read, and their rows stay as they are; members that changed are written. A row
written before the digest (NULL) is compared by its members, and gets one."""

from __future__ import annotations

import pytest
from sync_support import Installation, edit, exchange, register

from app.db import canonical
from app.db import households as rows
from app.db.connection import database
from app.services import households


def note_member_deletions() -> None:
    """From now on, the household of each member row deleted is noted (in this test's database)."""
    database.execute_sql("CREATE TABLE gone (household_id TEXT)")
    database.execute_sql(
        "CREATE TRIGGER note_gone AFTER DELETE ON member"
        " BEGIN INSERT INTO gone VALUES (old.household_id); END"
    )


def deleted_members() -> list[str]:
    return [r[0] for r in database.execute_sql("SELECT household_id FROM gone").fetchall()]


def stored_digest(household_id: str) -> bytes | None:
    found = database.execute_sql(
        "SELECT members_digest FROM household WHERE id = ?", (household_id,)
    ).fetchone()
    return found[0]


@pytest.mark.parametrize("digests", ["kept", "from before migration 29"])
def test_unchanged_members_keep_their_rows_and_changed_ones_are_written(
    tmp_path, monkeypatch, digests
):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    with laptop:
        moved, renamed = (register(f"Warga {i}")["household_id"] for i in range(2))
        first = laptop.export(kelurahan)
    with kelurahan:
        kelurahan.take(first)
        note_member_deletions()
        if digests != "kept":
            database.execute_sql("UPDATE household SET members_digest = NULL")
    with laptop:
        edit(moved, address="Jl. Pindah 7")
        doc = households.load_household(renamed)
        members = [{**doc["members"][0], "name": "Warga Ganti Nama"}, *doc["members"][1:]]
        edit(renamed, members=members)
        sent = {hid: households.load_household(hid) for hid in (moved, renamed)}
        bundle = laptop.export(kelurahan, full=True)
    read: list[str] = []  # households whose whole stored documents the import reads
    load_many = canonical.load_many
    monkeypatch.setattr(canonical, "load_many", lambda ids: read.extend(ids) or load_many(ids))
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert set(read) == ({renamed} if digests == "kept" else {moved, renamed})
        assert report.counts["updated"] == 2
        assert deleted_members() == [renamed]  # the moved one's are not written again
        for hid in (moved, renamed):
            stored = households.load_household(hid)
            assert stored == sent[hid]
            assert stored_digest(hid) == rows.members_digest(rows.member_rows(stored))
        assert households.load_household(renamed)["members"][0]["name"] == "Warga Ganti Nama"
