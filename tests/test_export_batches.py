"""A full export's documents made by SQLite a batch per query (issue 20, app/db/canonical.py):
the batches' ids, revisions and documents agree however the batches fall, an export that fails
midway leaves no file and raises its own error, a revision that would shift the batch stops it,
and members come in their order whatever the order their rows were written in."""

from __future__ import annotations

import orjson
import pytest
import sqlcipher3
from conftest import ADMIN_OFFICER
from sync_support import edit, exchange, register

from app.bundle import payload
from app.core.document import new_member
from app.db import canonical, households
from app.db.connection import database
from app.services import households as service
from app.services.demo import load_demo
from app.services.sync import keys
from app.services.sync.export import export_bundle


def records_of(bundle, identity) -> list[dict]:
    found: list[dict] = []
    payload.read_records(bundle, identity, found.append, 10**6)
    return found


def test_small_batches_write_the_bundle_one_batch_writes(laptop, kelurahan, monkeypatch):
    exchange((laptop, kelurahan))
    with laptop:
        load_demo(40, seed=4, officer=laptop.officer)
        ani = register("Ani")["household_id"]
        first = laptop.export(kelurahan)
    with kelurahan:
        kelurahan.take(first)
        edit(ani, address="kelurahan's")
    with laptop:
        edit(ani, address="laptop's")
        second = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(second)
        assert report.counts["conflict"] == 1  # a kept conflict version travels after Ani
        whole = kelurahan.export(laptop, full=True)
        monkeypatch.setattr(canonical, "BATCH", 7)  # Ani's batch is split, the others are not
        batched = kelurahan.export(laptop, full=True)
        identity = keys.identity().age_identity
        stored = [doc for _, doc in households.changed_since(0)]
    found = records_of(batched, identity)
    assert found == records_of(whole, identity)
    docs = [r for r in found if "record" not in r]
    assert len(docs) == 42 and [d for d in docs if d["household_id"] != ani] == [
        d for d in stored if d["household_id"] != ani
    ]


def test_an_export_that_fails_midway_leaves_no_file_and_raises_its_own_error(
    laptop, kelurahan, monkeypatch
):
    exchange((laptop, kelurahan))
    monkeypatch.setattr(canonical, "BATCH", 5)
    with laptop:
        load_demo(60, seed=2, officer=laptop.officer)
        out = laptop.outbox / "stopped.bundle"

        def progress(done: int, total: int) -> None:
            if 0 < done < total:
                raise RuntimeError("stopped by the test")

        # age's encryption reads the records: their error, not age's wrapping of it
        with pytest.raises(RuntimeError, match="stopped by the test"):
            export_bundle(kelurahan.name, out, laptop.officer, full=True, progress=progress)
        assert list(laptop.outbox.iterdir()) == []  # neither the bundle nor a partial file
        assert database.execute_sql("SELECT COUNT(*) FROM bundle_log").fetchone() == (0,)
        read = canonical._read
        made: list[int] = []

        def failing(after: int, through: int) -> canonical.Documents | None:
            made.append(after)
            if len(made) == 3:
                raise sqlcipher3.OperationalError("disk I/O error")
            return read(after, through)

        monkeypatch.setattr(canonical, "_read", failing)
        with pytest.raises(sqlcipher3.OperationalError, match="disk I/O error"):
            export_bundle(kelurahan.name, out, laptop.officer, full=True)
        assert list(laptop.outbox.iterdir()) == []


def test_a_revision_that_would_shift_the_batch_stops_it(store, admin):
    for name in ("Ani", "Budi", "Citra"):
        doc = service.new_household()
        doc["members"] = [new_member(name=name, relationship=1)]
        service.save_household(doc, final=False, officer=ADMIN_OFFICER)
    middle = database.execute_sql("SELECT id FROM household ORDER BY change_seq").fetchall()[1]
    for rev in (None, "2-a\n2-b"):  # the ids and revisions joined by newlines would not agree
        database.execute_sql("UPDATE household SET rev = ? WHERE id = ?", (rev, middle[0]))
        with pytest.raises(RuntimeError, match="a revision is unreadable"):
            list(canonical.changed_since(0, households.last_change()))


def test_members_come_in_their_order_whatever_order_their_rows_were_written(store, admin):
    doc = service.new_household()
    doc["members"] = [new_member(name=f"Anggota {i}", relationship=1 + min(i, 2)) for i in range(4)]
    doc = service.save_household(doc, final=False, officer=ADMIN_OFFICER)
    # the rows' positions reversed: the row written first is now the last member
    database.execute_sql(
        "UPDATE member SET position = 3 - position WHERE household_id = ?", (doc["household_id"],)
    )
    stored = households.load(doc["household_id"])
    assert [m["name"] for m in stored["members"]][-1] == doc["members"][0]["name"]
    [batch] = canonical.changed_since(0, households.last_change())
    assert batch.json == orjson.dumps(stored)
