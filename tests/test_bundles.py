"""Sync bundles between installations (issue 6): round trips, idempotence, incremental export,
conflicts kept and resolved, acknowledgements, gaps, the dry-run preview, tombstones."""

from __future__ import annotations

import pytest
from conftest import ADMIN_OFFICER, FAST_KDF, OFFICER_PASSWORD
from sync_support import Installation, edit, exchange, register

from app.core import merge
from app.core.errors import UserError
from app.db import audit, conflicts, listing
from app.db.connection import database
from app.services import auth, households, installation
from app.services.sync import conflicts as conflict_service
from app.services.sync import imports as bundles
from app.services.sync import peer_status
from app.services.sync.errors import SyncError
from app.services.sync.export import export_ack, export_bundle


@pytest.fixture
def dinsos(tmp_path):
    inst = Installation(tmp_path, "dinsos", village="31.71.01.1001")
    with inst:
        installation.set_dinsos(None, inst.officer)  # the province: takes in all of DKI Jakarta
    return inst


def test_field_laptop_to_kelurahan_to_dinsos_and_statuses_back(laptop, kelurahan, dinsos):
    exchange((laptop, kelurahan), (kelurahan, dinsos))
    with laptop:
        ani = register("Ani", address="Gg. Langgar 3")
        budi = register("Budi")
        to_kelurahan = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(to_kelurahan)
        assert report.counts["new"] == 2 and report.sender == "laptop"
        assert households.load_household(ani["household_id"])["address"] == "Gg. Langgar 3"
        to_dinsos = kelurahan.export(dinsos)
    with dinsos:
        [report] = dinsos.take(to_dinsos)
        assert report.counts["new"] == 2
        edit(ani["household_id"], status="matched")
        back = dinsos.export(kelurahan)
        assert back.stat().st_size > 0
    with kelurahan:
        [report] = kelurahan.take(back)
        assert report.counts == {
            "new": 0,
            "updated": 1,
            "unchanged": 1,
            "conflict": 0,
            "rejected": 0,
        }
        assert households.load_household(ani["household_id"])["status"] == "matched"
        assert households.load_household(budi["household_id"])["status"] == "draft"
        assert conflicts.households_in_conflict() == []
        actions = [e.action for e in audit.entries()]
        assert actions.count("bundle.import.households") == 2
        assert "bundle.export.households" in actions


def test_imported_names_are_searchable_and_the_name_index_stays_whole(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        ani = register("Ani Suryani")
        register("Budi Santoso")
        first = laptop.export(kelurahan)
        doc = households.load_household(ani["household_id"])
        doc["members"][0]["name"] = "Ani Wulandari"
        households.save_household(doc, final=False, officer=ADMIN_OFFICER)
        second = laptop.export(kelurahan)
    with kelurahan:
        kelurahan.take(first, second)
        assert [r.head_name for r in households.search_households("Wulan")] == ["Ani Wulandari"]
        assert households.search_households("Suryani") == []
        assert [r.head_name for r in households.search_households("Santoso")] == ["Budi Santoso"]
        database.execute_sql(
            "INSERT INTO member_name_fts (member_name_fts) VALUES ('integrity-check')"
        )


def test_importing_twice_is_a_no_op_that_says_so(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        register("Ani")
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [first] = kelurahan.take(bundle)
        [again] = kelurahan.take(bundle)
        assert first.already_imported_at is None
        assert again.already_imported_at is not None and again.counts["new"] == 1
        assert listing.count() == 1


def test_export_is_incremental_per_peer_and_full_on_request(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        ani = register("Ani")
        register("Budi")
        first = laptop.export(kelurahan)
        edit(ani["household_id"], address="Jl. Baru")
        second = laptop.export(kelurahan)
        nothing = laptop.export(kelurahan)
        full = laptop.export(kelurahan, full=True)
    with kelurahan:
        counts = [
            bundles.inspect(f)["manifest"]["counts"]["households"]
            for f in (first, second, nothing, full)
        ]
        assert counts == [2, 1, 0, 2]
        reports = kelurahan.take(second, first, nothing, full)  # order does not matter
        assert [r.counts["new"] for r in reports] == [1, 1, 0, 0]
        assert households.load_household(ani["household_id"])["address"] == "Jl. Baru"


def test_the_dry_run_previews_without_changing_anything(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        register("Ani")
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [preview] = kelurahan.take(bundle, dry_run=True)
        assert preview.dry_run and preview.counts["new"] == 1
        assert listing.count() == 0
        assert not list(kelurahan.paths.backups.glob("*import*"))
        [report] = kelurahan.take(bundle)
        assert report.already_imported_at is None and listing.count() == 1
        assert list(kelurahan.paths.backups.glob("*import*"))  # a backup before applying


def test_two_edits_of_one_household_are_both_kept_and_resolved_field_by_field(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        ani = register("Ani")
        hid = ani["household_id"]
        first = laptop.export(kelurahan)
    with kelurahan:
        kelurahan.take(first)
        edit(hid, address="Jl. Versi Kelurahan", phone="0811111111")
        to_laptop = kelurahan.export(laptop)
    with laptop:
        edit(hid, address="Jl. Versi Laptop")
        to_kelurahan = laptop.export(kelurahan)
        [report] = laptop.take(to_laptop)
        assert report.counts["conflict"] == 1
        laptop_shows = households.load_household(hid)
    with kelurahan:
        [report] = kelurahan.take(to_kelurahan)
        assert report.counts["conflict"] == 1
        winner, kept = conflict_service.versions(hid)
        assert winner["rev"] == laptop_shows["rev"]  # the same winner on both sides
        addresses = {winner["address"], kept[0]["address"]}
        assert addresses == {"Jl. Versi Kelurahan", "Jl. Versi Laptop"}  # nothing lost
        [row] = conflict_service.households_in_conflict()
        assert row.household_id == hid and row.versions == 2 and row.head_name == "Ani"

        # the supervisor keeps the laptop's address and the kelurahan's phone number
        by_address = {v["address"]: v for v in (winner, kept[0])}
        assert "address" in merge.differing_fields(winner, kept[0])
        chosen = merge.take_fields(winner, by_address["Jl. Versi Laptop"], ["address"])
        chosen = merge.take_fields(chosen, by_address["Jl. Versi Kelurahan"], ["phone"])
        with pytest.raises(auth.AuthError):
            petugas = auth.create_officer(
                "budi", "Budi", "petugas", OFFICER_PASSWORD, kelurahan.officer, FAST_KDF
            )
            conflict_service.resolve(hid, chosen, petugas)
        resolved = conflict_service.resolve(hid, chosen, kelurahan.officer)
        assert conflicts.households_in_conflict() == []
        assert (resolved["address"], resolved["phone"]) == ("Jl. Versi Laptop", "0811111111")
        resolution = kelurahan.export(laptop)
    with laptop:
        [report] = laptop.take(resolution)
        assert report.counts["updated"] == 1  # the resolution settles both versions
        assert conflicts.households_in_conflict() == []
        assert households.load_household(hid)["rev"] == resolved["rev"]


def test_an_edit_of_a_version_replaced_meanwhile_is_kept_as_a_conflict(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with kelurahan:
        ani = register("Ani")
        to_laptop = kelurahan.export(laptop)
    with laptop:
        laptop.take(to_laptop)
        edit(ani["household_id"], address="Jl. Lapangan")
        update = laptop.export(kelurahan)
    with kelurahan:
        form = households.load_household(ani["household_id"])  # an officer opens the form
        kelurahan.take(update)  # meanwhile the supervisor imports the field edit
        form["phone"] = "0812000000"
        households.save_household(form, final=False, officer=ADMIN_OFFICER)
        winner, kept = conflict_service.versions(ani["household_id"])
        versions = [winner, *kept]
        assert {v.get("address") for v in versions} == {"Jl. Lapangan", None}
        assert {v.get("phone") for v in versions} == {"0812000000", None}


def test_acknowledgements_tell_the_sender_what_arrived(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        register("Ani")
        register("Budi", village_code="31.74.01.1002")
        bundle = laptop.export(kelurahan)
        [status] = peer_status.status()
        assert status.unacknowledged == 1
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["new"] == 1 and report.counts["rejected"] == 1
        assert "31.74.01.1002" in report.rejected[0][1]
        ack = kelurahan.outbox / "ack.bundle"
        export_ack("laptop", ack, kelurahan.officer)
        with pytest.raises(SyncError, match="belum dikonfirmasi"):
            export_ack("laptop", kelurahan.outbox / "again.bundle", kelurahan.officer)
    with laptop:
        [report] = laptop.take(ack)
        assert report.kind == "ack" and report.counts["new"] == 1
        [status] = peer_status.status()
        assert status.unacknowledged == 0
        assert status.last_sent.ack_counts["rejected"] == 1


def test_a_missing_bundle_is_reported_until_it_arrives(laptop, kelurahan):
    exchange((laptop, kelurahan))
    files = []
    with laptop:
        for name in ("Ani", "Budi", "Citra"):
            register(name)
            files.append(laptop.export(kelurahan))
    with kelurahan:
        [report] = kelurahan.take(files[2])
        assert report.missing == [(1, 2)]  # ranges (issue 15)
        [report] = kelurahan.take(files[0])
        assert report.missing == [(2, 2)]
        assert peer_status.status()[0].missing == [(2, 2)]
        kelurahan.take(files[1])
        assert peer_status.status()[0].missing == []
        assert listing.count() == 3


def test_a_full_export_fills_every_gap_before_it(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        register("Ani")
        laptop.export(kelurahan)  # lost on the way
        full = laptop.export(kelurahan, full=True)
    with kelurahan:
        [report] = kelurahan.take(full)
        assert report.missing == [] and listing.count() == 1


def test_deletions_travel_as_tombstones(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        ani = register("Ani")
        first = laptop.export(kelurahan)
    with kelurahan:
        kelurahan.take(first)
        with pytest.raises(UserError):
            households.delete_household(ani["household_id"], "", kelurahan.officer)
        households.delete_household(ani["household_id"], "Terdaftar dua kali", kelurahan.officer)
        assert listing.count() == 0
        back = kelurahan.export(laptop)
    with laptop:
        [report] = laptop.take(back)
        assert report.counts["updated"] == 1
        assert listing.count() == 0 and households.load_household(ani["household_id"])["deleted"]


def test_only_officers_with_the_right_role_export_and_import(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        petugas = auth.create_officer(
            "budi", "Budi", "petugas", OFFICER_PASSWORD, laptop.officer, FAST_KDF
        )
        with pytest.raises(auth.AuthError):
            export_bundle("kelurahan", laptop.outbox / "x.bundle", petugas)
        with pytest.raises(auth.AuthError):
            bundles.import_bundles(laptop.paths, [], petugas)
        with pytest.raises(SyncError, match="tidak dikenal"):
            export_bundle("Dinsos", laptop.outbox / "x.bundle", laptop.officer)


def test_the_winner_is_the_same_whatever_the_order():
    a = {"rev": "2-" + "a" * 32, "revs": ["2-" + "a" * 32, "1-" + "0" * 32], "deleted": False}
    b = {"rev": "2-" + "b" * 32, "revs": ["2-" + "b" * 32, "1-" + "0" * 32], "deleted": False}
    gone = {"rev": "3-" + "c" * 32, "revs": ["3-" + "c" * 32, a["rev"]], "deleted": True}
    assert merge.merge([a], b).winner is b and merge.merge([b], a).winner is b
    assert merge.merge([b], gone).winner is b  # a live version beats a deletion
    assert merge.merge([a], gone).outcome == merge.UPDATED  # a deletion on top of a
    assert merge.merge([b, gone], a).outcome == merge.UNCHANGED
