"""Revision ids are checked against their content and ancestry (issue 15): a peer cannot win a
conflict, or make a household unsendable, with a made-up generation. The attacks are made by a
tampered installation writing straight into its own database and sending a real bundle."""

from __future__ import annotations

import pytest
from conftest import ADMIN_OFFICER
from helpers.families import household
from sync_support import Installation, edit, exchange

from app.core import merge
from app.core.errors import UserError
from app.core.revisions import (
    EMPTY_OPTIONAL,
    MAX_ANCESTRY,
    content_hash,
    next_revision,
    verify_revision,
)
from app.db import bundle_log, canonical, conflicts
from app.db import households as rows
from app.db.models import Household
from app.services import households, installation, overrides
from app.services.demo import load_demo
from app.services.sync import conflicts as resolving
from app.services.sync import imports as bundles
from app.services.sync.export import export_ack


@pytest.fixture
def pair(tmp_path):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    return laptop, kelurahan


def _shared(sender: Installation, receiver: Installation) -> str:
    with sender:
        hid = households.save_household(household(), final=True, officer=ADMIN_OFFICER)
        hid = hid["household_id"]
        bundle = sender.export(receiver)
    with receiver:
        [report] = receiver.take(bundle)
        assert report.counts["new"] == 1
    return hid


def forged(doc: dict, generation: int, window: int = 1, anchor: bool = False, **changes) -> dict:
    """`doc` changed, as revision `generation` with a hash that matches its content and a
    made-up parent: `window` made-up ancestors, newest first (the last one `doc`'s own
    revision when `anchor`)."""
    made_up = [f"{generation - i}-{i:032x}" for i in range(1, window + 1)]
    made_up[-1] = doc["rev"] if anchor else made_up[-1]
    body = {**doc, **changes, "rev": made_up[0]}
    rev = f"{generation}-{content_hash(body)}"
    return {**body, "rev": rev, "revs": [rev, *made_up]}


def _refused(receiver: Installation, bundle, hid: str, before: dict, words: str) -> None:
    """The preview and then the import reject the household, which stays as it was."""
    for dry_run in (True, False):
        [report] = receiver.take(bundle, dry_run=dry_run)
        assert report.counts["rejected"] == 1
        [(rejected_id, reason)] = report.rejected
        assert rejected_id == hid and words in reason and len(reason) <= 200
    assert households.load_household(hid) == before
    assert not conflicts.versions(hid)


@pytest.mark.parametrize(
    ("window", "anchor"), [(1, False), (MAX_ANCESTRY, False), (MAX_ANCESTRY, True)]
)
def test_a_made_up_generation_does_not_win_a_conflict(pair, window, anchor):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with kelurahan:
        before = edit(hid, address="Jl. Kelurahan 1")  # a genuine edit: generation 2
    with laptop:  # tampered: an edit claiming generation 999,999
        doc = households.load_household(hid)
        # anchored: a full window ending on the shared revision, generations jumping over
        rows.save(forged(doc, 999_999, window, anchor, address="Jl. Palsu 9"))
        bundle = laptop.export(kelurahan)
    with kelurahan:
        words = "not supported by" + (" any" if window > 1 and not anchor else " its ancestry")
        _refused(kelurahan, bundle, hid, before, words)
        ack = kelurahan.outbox / "ack.bundle"
        export_ack("laptop", ack, kelurahan.officer)
    with laptop:
        laptop.take(ack)
        bundle_id = str(bundles.inspect(bundle)["manifest"]["bundle_id"])
        [outcome] = [o for o in bundle_log.outcomes(bundle_id) if o[0] == hid]
        assert outcome[2] == "rejected" and "generation 999999" in (outcome[3] or "")


def test_generation_999999999_is_refused_and_later_edits_still_travel(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with laptop:
        doc = households.load_household(hid)
        rows.save(forged(doc, 999_999_999, MAX_ANCESTRY, address="Jl. Palsu 9"))
        bundle = laptop.export(kelurahan)
    with kelurahan:
        before = households.load_household(hid)
        _refused(kelurahan, bundle, hid, before, "not supported by any revision held here")
        later = edit(hid, address="Jl. Kelurahan 2")
        assert merge.generation(later["rev"]) == 2 and verify_revision(later) is None


def test_a_new_household_with_a_made_up_generation_is_refused(pair):
    laptop, kelurahan = pair
    with laptop:
        doc = households.save_household(household(), final=True, officer=ADMIN_OFFICER)
        rows.save(forged(doc, 999_999, MAX_ANCESTRY))
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts == {**report.counts, "rejected": 1, "new": 0}
        assert rows.load(doc["household_id"]) is None


def test_content_changed_under_a_genuine_revision_is_refused(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with laptop:
        genuine = edit(hid, address="Jl. Asli 1")
        rows.save({**genuine, "address": "Jl. Diubah 2"})  # same rev, other content
        bundle = laptop.export(kelurahan)
    with kelurahan:
        before = households.load_household(hid)
        _refused(kelurahan, bundle, hid, before, "does not match the content")


def test_a_chain_of_genuine_edits_fast_forwards(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with laptop:
        for n in range(3):
            last = edit(hid, address=f"Jl. Baru {n}")
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["updated"] == 1 and not report.rejected
        stored = households.load_household(hid)
        assert stored["rev"] == last["rev"] and merge.generation(stored["rev"]) == 4
        assert verify_revision(stored) is None


def test_a_genuine_conflict_resolves_as_before_and_the_resolution_travels(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with laptop:
        theirs = edit(hid, address="Jl. Laptop 1")
        bundle = laptop.export(kelurahan)
    with kelurahan:
        ours = edit(hid, phone="081234567890")
        [report] = kelurahan.take(bundle)
        assert report.counts["conflict"] == 1 and not report.rejected
        winner, losers = merge.rank([ours, theirs])
        assert households.load_household(hid)["rev"] == winner["rev"]
        assert [v["rev"] for v in conflicts.versions(hid)] == [losers[0]["rev"]]
        shown, kept = resolving.versions(hid)
        settled = resolving.resolve(hid, {**shown, "address": "Jl. Laptop 1"}, kelurahan.officer)
        assert verify_revision(settled) is None
        back = kelurahan.export(laptop)
    with laptop:
        [report] = laptop.take(back)
        assert report.counts["updated"] == 1 and not report.rejected
        assert households.load_household(hid)["rev"] == settled["rev"]


def test_a_tombstone_with_a_made_up_revision_is_refused(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with kelurahan:  # a kelurahan may delete, but not with a made-up revision
        doc = households.load_household(hid)
        rows.save(forged(doc, 999_999, deleted=True))
        bundle = kelurahan.export(laptop)
    with laptop:
        before = households.load_household(hid)
        _refused(laptop, bundle, hid, before, "not supported by its ancestry")


def test_a_genuine_tombstone_follows_the_senders_kind(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with laptop:  # a laptop's genuine deletion: the revision is fine, the kind is not
        households.delete_household(hid, "Salah input, keluarga ganda", ADMIN_OFFICER)
        bundle = laptop.export(kelurahan)
    with kelurahan:
        before = households.load_household(hid)
        _refused(kelurahan, bundle, hid, before, "may not change deleted")
        households.delete_household(hid, "Salah input, keluarga ganda", ADMIN_OFFICER)
        back = kelurahan.export(laptop)
    with laptop:
        [report] = laptop.take(back)
        assert not report.rejected and households.load_household(hid)["deleted"]


def test_every_local_save_makes_a_verifiable_revision(store):
    def stored() -> dict:
        doc = households.load_household(hid)
        assert verify_revision(doc) is None, doc["rev"]
        return doc

    doc = households.save_household(household(), final=False, officer=ADMIN_OFFICER)
    hid = doc["household_id"]
    stored()
    doc = households.save_household({**stored(), "assets": {**doc["assets"], "car": True}},
                                     final=True, officer=ADMIN_OFFICER)  # fmt: skip
    overrides.override_exclusion(
        hid, "car", "Mobil sudah dijual tahun lalu menurut BPKB", "AJB 12/2024", ADMIN_OFFICER
    )
    stored()
    overrides.withdraw_override(hid, "car", ADMIN_OFFICER)  # an emptied list
    stored()
    installation.set_dinsos(None, ADMIN_OFFICER)  # matching is recorded at Dinsos only
    households.record_matching(hid, ADMIN_OFFICER, car=False, njop_idr=500_000_000)
    stored()
    households.import_household({**stored(), "address": "Jl. CLI 3"}, ADMIN_OFFICER)
    stored()
    households.delete_household(hid, "Salah input, keluarga ganda", ADMIN_OFFICER)
    assert stored()["deleted"]


def test_demo_households_carry_verifiable_revisions(empty_store):
    load_demo(30, seed=3, officer=ADMIN_OFFICER)
    loaded = canonical.load_many([row.id for row in Household.select(Household.id)])
    assert len(loaded) == 30
    assert all(verify_revision(doc) is None for doc in loaded.values())


def test_a_local_edit_on_a_made_up_revision_is_refused(store):
    doc = households.save_household(household(), final=False, officer=ADMIN_OFFICER)
    before = households.load_household(doc["household_id"])
    fake = forged(before, 999_999, address="Jl. Palsu 9")
    with pytest.raises(UserError, match="Revisi data keluarga tidak sah"):
        households.import_household(fake, ADMIN_OFFICER)
    assert households.load_household(doc["household_id"]) == before


def test_household_add_of_a_new_household_with_a_made_up_revision_is_refused(store):
    doc = forged(next_revision(household()), 999_999_999)  # would make the next id 10 digits
    with pytest.raises(UserError, match="Revisi data keluarga tidak sah"):
        households.import_household(doc, ADMIN_OFFICER)
    assert rows.load(doc["household_id"]) is None
    genuine = next_revision(household())  # a `household show` of another installation
    stored, is_new = households.import_household(genuine, ADMIN_OFFICER)
    assert is_new and stored["revs"][1] == genuine["rev"] and verify_revision(stored) is None


# --- the check itself ---------------------------------------------------------------------------


def _chain(edits: int) -> dict:
    doc = next_revision(household())
    for n in range(edits):
        doc = next_revision({**doc, "address": f"Jl. {n}"})
    return doc


def test_a_linear_history_verifies_and_each_flaw_is_named():
    doc = _chain(4)
    assert verify_revision(doc) is None and merge.generation(doc["rev"]) == 5
    revs = doc["revs"]
    flaws = {
        "first entry": {**doc, "revs": revs[1:]},
        "malformed": {**doc, "revs": [*revs[:-1], "1-XYZ"]},
        "repeats": {**doc, "revs": [*revs, revs[-1]]},
        "newest first": {**doc, "revs": [revs[0], revs[1], revs[3], revs[2], revs[4]]},
        "does not follow": {**doc, "revs": [revs[0], *revs[2:]]},
        "does not match": {**doc, "address": "Jl. Lain"},
        "its ancestry": {**doc, "revs": revs[:3]},
    }
    for words, bad in flaws.items():
        assert words in (verify_revision(bad) or ""), words


def test_a_full_window_verifies_when_contiguous():
    doc = _chain(MAX_ANCESTRY + 20)
    assert len(doc["revs"]) == MAX_ANCESTRY and verify_revision(doc) is None
    gap = [*doc["revs"][:50], *doc["revs"][51:], f"1-{0:032x}"]
    assert "not supported" in (verify_revision({**doc, "revs": gap}) or "")


def test_the_hash_leaves_out_what_the_store_leaves_out():
    assert EMPTY_OPTIONAL == rows.OPTIONAL_KEYS
    doc = next_revision(household())
    assert content_hash({**doc, "matching": None, "exclusion_overrides": []}) == content_hash(doc)


def test_a_resolution_settling_a_newer_deletion_verifies():
    base = _chain(1)  # generation 2
    live = next_revision({**base, "address": "Jl. Hidup"})  # 3
    gone = base
    for _ in range(4):
        gone = next_revision({**gone, "deleted": True})  # up to 6
    winner, losers = merge.rank([live, gone])
    assert winner is live
    settled = merge.settle(next_revision(dict(winner)), losers)  # generation 4
    assert gone["rev"] in settled["revs"] and verify_revision(settled) is None
    assert merge.merge([gone], settled).outcome == merge.UPDATED
