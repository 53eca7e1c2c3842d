"""Household documents as JSON made by SQLite for exports (issue 20, app/db/canonical.py): for
every way a household is saved, the bytes are those of `orjson.dumps` of the document its rows
read back (`households.load`), and an exported bundle carries exactly those documents."""

from __future__ import annotations

import orjson
from conftest import ADMIN_OFFICER
from helpers.households import head, household
from sync_support import edit, exchange, register
from test_migrations import HOUSEHOLD_ID, KEY, make_v1_database

from app.bundle import payload
from app.core import dinsos_events
from app.db import canonical, households, open_database
from app.db.connection import close_db, database
from app.services import dinsos_status, installation
from app.services import households as service
from app.services.demo import load_demo
from app.services.sync import keys


def made_json(unknown_digests: bool = False) -> dict[str, bytes]:
    """Every household's document as canonical.changed_since makes it, checked against the
    document its rows read back, as is what canonical.load_many parses; by household id. The
    digest of each one's members is that of its member rows (None only with `unknown_digests`:
    rows written before migration 29)."""
    upto = households.last_change()
    batches = list(canonical.changed_since(0, upto, batch=7))
    made = {one.ids[0]: one.json for batch in batches for one in batch.each()}
    loaded = canonical.load_many(list(made))
    for hid, json in made.items():
        assert json == orjson.dumps(households.load(hid)), hid
        assert orjson.dumps(loaded[hid]) == json, hid  # the same types: 1 is not 1.0 or True
    (count,) = database.execute_sql("SELECT COUNT(*) FROM household").fetchone()
    assert len(made) == count
    # what the members hash to, kept in the row for a bundle import (households.members_digest)
    digests = dict(database.execute_sql("SELECT id, members_digest FROM household").fetchall())
    for hid, digest in digests.items():
        rows = households.member_rows(households.load(hid))
        assert digest == households.members_digest(rows) or (digest is None and unknown_digests)
    return made


def test_local_saves_and_the_demo_give_the_stored_document(store, admin):
    load_demo(40, seed=3, officer=admin)  # the bulk insert
    hid = service.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    hid = hid["household_id"]
    edit(hid, address='Gg. "Kenari" 4\\5\n\t\x01 — Jalan Ü\u2028')  # what JSON escapes
    service.set_house_photo(hid, True, ADMIN_OFFICER)
    made = made_json()
    assert len(made) == 41
    saved = orjson.loads(made[hid])
    assert saved["address"].startswith('Gg. "Kenari"') and saved["house_photo"] is True
    # empty optional keys are left out, as rows read them back; set ones are there
    service.save_household(
        {**service.load_household(hid), "exclusion_overrides": [], "withdrawal": None},
        final=True,
        officer=ADMIN_OFFICER,
    )
    assert "withdrawal" not in orjson.loads(made_json()[hid])


def test_bundle_apply_and_conflicts(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        ani = register("Ani")["household_id"]
        register("Budi")
        first = laptop.export(kelurahan)
    with kelurahan:
        kelurahan.take(first)  # new households
        assert len(made_json()) == 2
        edit(ani, address="kelurahan's")
    with laptop:
        edit(ani, address="laptop's")
        second = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(second)  # an update against a local edit: a conflict
        assert report.counts["conflict"] == 1
        assert len(made_json()) == 2
        back = kelurahan.export(laptop, full=True)
        identity = keys.identity().age_identity
        winner = households.load(ani)
    records: list[dict] = []
    payload.read_records(back, identity, records.append, 10**6)
    # the conflict version kept comes right after its household, which comes as it is stored
    at = [i for i, r in enumerate(records) if r.get("household_id") == ani and "record" not in r]
    assert len(at) == 2 and at[1] == at[0] + 1 and records[at[0]] == winner
    assert {records[i]["address"] for i in at} == {"laptop's", "kelurahan's"}


def test_dinsos_news_recorded_in_bulk(store, admin):
    hid = service.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    hid = hid["household_id"]
    installation.set_dinsos(None, ADMIN_OFFICER)
    news = {hid: [dinsos_events.event(dinsos_events.DETERMINED, "2026-11-20", "Dinsos")]}
    assert dinsos_status.record(news, admin) == [hid]
    saved = orjson.loads(made_json()[hid])
    assert saved["status"] == "determined" and saved["dinsos_events"][0]["step"] == "determined"


def test_a_database_migrated_from_version_1(tmp_path):
    path = tmp_path / "loket.db"
    make_v1_database(path)  # JSON columns written with spaces, later columns by defaults
    try:
        open_database(path, KEY)
        # migration 27 minified the JSON columns written with spaces; nothing else changed
        (housing,) = database.execute_sql("SELECT housing FROM household").fetchone()
        assert housing == '{"tenure":1,"power_va":[900]}'
        assert list(made_json(unknown_digests=True)) == [HOUSEHOLD_ID]
        [found] = list(canonical.of([HOUSEHOLD_ID, "no-such-id"]))
        assert found.ids == [HOUSEHOLD_ID] and found.revs == [households.load(HOUSEHOLD_ID)["rev"]]
        assert found.json == orjson.dumps(households.load(HOUSEHOLD_ID))
        assert canonical.load_many(["no-such-id", HOUSEHOLD_ID]) == {
            HOUSEHOLD_ID: households.load(HOUSEHOLD_ID)
        }
    finally:
        close_db()


def test_an_exported_bundle_carries_the_stored_documents(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        load_demo(25, seed=5, officer=laptop.officer)
        citra = register("Citra")["household_id"]
        bundle = laptop.export(kelurahan, full=True)
        stored = {hid: households.load(hid) for hid in made_json()}
        identity = keys.identity().age_identity
    records: list[dict] = []
    payload.read_records(bundle, identity, records.append, 10**6)
    docs = [r for r in records if "record" not in r]
    assert {d["household_id"]: d for d in docs} == stored and len(docs) == 26
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["new"] == 26
        assert households.load(citra) == stored[citra]
