"""Re-importing a bundle (issue 20): a household whose revision is the one stored costs one
look-up and is neither validated nor hashed, so only what will be applied is verified. The
attacks are made by a tampered sender writing straight into its own database and sending a
real bundle (as tests/test_revisions.py)."""

from __future__ import annotations

import orjson
import pytest
from sync_support import Installation, edit, exchange, register

from app.bundle.file import BundleError
from app.bundle.household_records import peek
from app.bundle.payload import read_records
from app.core.revisions import content_hash
from app.db import bundle_log
from app.db import households as rows
from app.db.connection import database
from app.services import households
from app.services.sync import keys
from app.services.versions import HouseholdApplier


@pytest.fixture
def pair(tmp_path):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    return laptop, kelurahan


def _shared(laptop: Installation, kelurahan: Installation, count: int) -> list[str]:
    with laptop:
        ids = [
            register(f"Warga {i}", address=f"Gg. Asli {i}")["household_id"] for i in range(count)
        ]
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["new"] == count
    return ids


def _stored(hid: str) -> tuple[dict, int]:
    seq = database.execute_sql("SELECT change_seq FROM household WHERE id = ?", (hid,))
    return households.load_household(hid), seq.fetchone()[0]


def test_a_re_import_applies_exactly_the_changed_households(pair):
    laptop, kelurahan = pair
    ids = _shared(laptop, kelurahan, 6)
    with laptop:
        for hid in ids[:2]:
            edit(hid, address="Jl. Pindah 2")
        again = laptop.export(kelurahan, full=True)
    with kelurahan:
        before = {hid: _stored(hid) for hid in ids}
        [report] = kelurahan.take(again)
        assert report.counts == {
            "new": 0, "updated": 2, "unchanged": 4, "conflict": 0, "rejected": 0
        }  # fmt: skip
        after = {hid: _stored(hid) for hid in ids}
        assert [after[h][0]["address"] for h in ids[:2]] == ["Jl. Pindah 2"] * 2
        assert all(after[h] == before[h] for h in ids[2:])  # not rewritten, no new change number
        outcomes = {o[0]: o[2] for o in bundle_log.outcomes(report.bundle_id)}
        assert outcomes == {h: "updated" if h in ids[:2] else "unchanged" for h in ids}


def test_content_altered_under_the_stored_revision_is_not_applied(pair):
    laptop, kelurahan = pair
    [hid, other] = _shared(laptop, kelurahan, 2)
    with laptop:  # tampered: new content, the revision left as it was
        doc = households.load_household(hid)
        rows.save({**doc, "address": "Jl. Palsu 9"})
        bundle = laptop.export(kelurahan, full=True)
    with kelurahan:
        before = _stored(hid)
        for dry_run in (True, False):
            [report] = kelurahan.take(bundle, dry_run=dry_run)
            assert report.counts["unchanged"] == 2 and report.counts["updated"] == 0
        assert _stored(hid) == before
        assert households.load_household(hid)["address"] == "Gg. Asli 0"


def test_altered_content_under_a_new_revision_or_a_borrowed_one_is_verified_and_rejected(pair):
    laptop, kelurahan = pair
    [made_up, borrower, lender] = _shared(laptop, kelurahan, 3)
    with laptop:
        doc = households.load_household(made_up)
        # a made-up next revision over altered content (its hash is not the content's)
        fake = f"2-{content_hash({**doc, 'address': 'Jl. Asli'})}"
        rows.save({**doc, "address": "Jl. Palsu 9", "rev": fake, "revs": [fake, doc["rev"]]})
        # altered content under the revision the receiver stores for another household
        lent = households.load_household(lender)
        rows.save({**households.load_household(borrower), "address": "Jl. Palsu 10",
                   "rev": lent["rev"], "revs": lent["revs"]})  # fmt: skip
        bundle = laptop.export(kelurahan, full=True)
    with kelurahan:
        before = {h: _stored(h) for h in (made_up, borrower, lender)}
        [report] = kelurahan.take(bundle)
        assert report.counts["rejected"] == 2 and report.counts["unchanged"] == 1
        assert {h for h, _ in report.rejected} == {made_up, borrower}
        assert all("does not match the content" in reason for _, reason in report.rejected)
        assert {h: _stored(h) for h in (made_up, borrower, lender)} == before


def test_a_record_without_a_household_id_still_refuses_the_bundle(pair):
    laptop, kelurahan = pair
    [hid] = _shared(laptop, kelurahan, 1)
    with kelurahan:
        doc = households.load_household(hid)
        applier = HouseholdApplier("test", None, lambda _n: None, "laptop")
        with pytest.raises(BundleError, match="record 1 is not a valid household document"):
            applier.add({**doc, "household_id": 7})
        applier.add(doc)  # the stored revision: noted unchanged at the flush, nothing written
        applier.flush()
        assert applier.counts["unchanged"] == 1
        assert applier.outcomes == [(hid, doc["rev"], "unchanged", None)]


def test_peek_reads_a_household_line_as_bundles_write_it_and_nothing_else(pair):
    laptop, kelurahan = pair
    [hid] = _shared(laptop, kelurahan, 1)
    with kelurahan:
        doc = households.load_household(hid)
    line = orjson.dumps(doc)  # a document as a bundle carries it
    assert peek(line) == (hid, doc["rev"])
    # the line's last "rev" key is read: one made so only keeps its sender's change out (a
    # line whose revision is the stored one is not applied: the test below)
    other = "1-" + "0" * 32
    nested = line.replace(b'"deleted":', b'"x":{"rev":"' + other.encode() + b'","y":1},"deleted":')
    assert peek(nested) == (hid, other)
    reordered = orjson.dumps({"household_id": hid, **doc})
    carried = orjson.dumps({"record": "meeting", **doc})
    bad_rev = line.replace(doc["rev"].encode(), b"1-XYZ")
    assert [peek(x) for x in (reordered, carried, bad_rev, b"{}", b"")] == [None] * 5


def test_a_line_read_unparsed_is_parsed_and_checked_when_it_changes_something(pair):
    laptop, kelurahan = pair
    [hid] = _shared(laptop, kelurahan, 1)
    with kelurahan:
        doc = households.load_household(hid)
        changed = {**doc, "rev": "2-" + "0" * 32, "revs": ["2-" + "0" * 32, doc["rev"]]}
        line = orjson.dumps(changed)
        for bad, words in (
            (line[:-5], "record 1 is not JSON"),  # cut short
            (line[:-1] + b',"household_id":"' + b"0" * 36 + b'"}', "names two household ids"),
        ):
            applier = HouseholdApplier("test", None, lambda _n: None, "laptop")
            applier.add(bad, peek(bad))
            with pytest.raises(BundleError, match=words):
                applier.flush()
        applier = HouseholdApplier("test", None, lambda _n: None, "laptop")
        cut = orjson.dumps(doc)[:-5]  # the stored revision: not parsed, nothing applied
        applier.add(cut, (hid, doc["rev"]))
        applier.flush()
        assert applier.outcomes == [(hid, doc["rev"], "unchanged", None)]


def test_every_household_line_of_an_exported_bundle_is_read_without_parsing(pair):
    laptop, kelurahan = pair
    ids = _shared(laptop, kelurahan, 3)
    with laptop:
        edit(ids[0], address="Jl. Pindah 3")  # an ancestry of two
        bundle = laptop.export(kelurahan, full=True)
        revs = {hid: households.load_household(hid)["rev"] for hid in ids}
    with kelurahan:
        lines: list[bytes] = []
        read_records(bundle, keys.identity().age_identity, lines.append, 100, raw=True)
        heads = [peek(line) for line in lines if b'"household_id"' in line[:40]]
        assert None not in heads and sorted(h for h in heads if h) == sorted(revs.items())
