"""Possible duplicates of a whole bundle are flagged in bulk (issue 20): the same pairs the
one-household check (`find_duplicates`) finds, and an import report that keeps a count and
only the first `SHOWN_DUPLICATES` pairs, however many a bundle brings."""

from __future__ import annotations

import random

import pytest
from conftest import ADMIN_OFFICER, ADMIN_PASSWORD
from helpers.families import HASANAH, LESTARI, household
from sync_support import exchange

from app.cli import main as cli
from app.core.document import new_id
from app.db import duplicates as duplicate_rows
from app.db.connection import database
from app.services import duplicates, households, marks, versions
from app.services.actions import Officer
from app.services.sync import decoder

SUPERVISOR = Officer("sri", "Sri Wahyuni", "supervisor")
REASON = "Pecah KK sedang diproses di Dukcapil"
SHARED_NIK = "3174014107900002"  # two households of the same bundle hold it, nobody else


def draft(no_kk: str | None, *niks: str) -> dict:
    """A draft household with this No. KK and one member per NIK."""
    doc = household(LESTARI, no_kk=no_kk)
    head, child = doc["members"]
    doc["members"] = [
        dict(head if n == 0 else child, member_id=new_id(), nik=value)
        for n, value in enumerate(niks)
    ]
    return households.save_household(doc, final=False, officer=ADMIN_OFFICER)


def one_by_one(household_ids: list[str]) -> dict[frozenset[str], set[str]]:
    """What the one-household check says of each: unordered pairs and what they share."""
    found: dict[frozenset[str], set[str]] = {}
    for hid in household_ids:
        for match in duplicates.find_duplicates(households.load_household(hid)):
            found.setdefault(frozenset((hid, match.other.household_id)), set()).update(
                match.matched
            )
    return found


@pytest.mark.parametrize("batch", [duplicates.RECORD_BATCH, 1])  # noted in one go, one by one
def test_bulk_flagging_finds_the_pairs_the_one_household_check_finds(
    laptop, kelurahan, monkeypatch, batch
):
    monkeypatch.setattr(duplicates, "RECORD_BATCH", batch)
    exchange((laptop, kelurahan))
    with kelurahan:
        held = households.save_household(household(), final=True, officer=ADMIN_OFFICER)
        gone = households.save_household(household(LESTARI), final=True, officer=ADMIN_OFFICER)
        marks.withdraw_household(gone["household_id"], "Salah ketik, didaftar ulang", SUPERVISOR)
        deleted = draft("3174019999990001", "3174015508700001")
        households.delete_household(deleted["household_id"], "Terdaftar dua kali", ADMIN_OFFICER)
    with laptop:
        x = draft(HASANAH.no_kk, HASANAH.members[0].nik)
        first = laptop.export(kelurahan)
    h, xid = held["household_id"], x["household_id"]
    with kelurahan:
        [report] = kelurahan.take(first)
        assert report.duplicate_count == 1 and one_by_one([xid]) == {
            frozenset((xid, h)): {"No. KK 3174********0007", "NIK 3174********0004"}
        }
        marks.keep_both(h, REASON, SUPERVISOR)  # the supervisor accepts the pair here
    with laptop:
        households.save_household({**x, "phone": "081234567890"}, False, ADMIN_OFFICER)
        x2 = draft(HASANAH.no_kk)  # arrives with x: that pair is noted once, one way round
        y = draft(LESTARI.no_kk, LESTARI.members[0].nik)  # only the withdrawn one holds these
        z = draft(None, "3174015508700001")  # only the deleted one holds it
        w1 = draft(None, SHARED_NIK)
        w2 = draft("3174012202220002", SHARED_NIK)
        bundle = laptop.export(kelurahan)
    sent = [d["household_id"] for d in (x, x2, y, z, w1, w2)]
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.rejected == [] and report.counts["updated"] == 1
        expected = one_by_one(sent)
        pairs = {
            frozenset((p.household.household_id, p.other.household_id)): set(p.matched)
            for p in duplicates.possible_duplicates(kelurahan.officer)
        }
        stored = duplicate_rows.flagged()
    x2id = x2["household_id"]
    new_pairs = {
        frozenset((x2id, h)),
        frozenset((x2id, xid)),
        frozenset((w1["household_id"], w2["household_id"])),
    }
    assert set(expected) == new_pairs  # the accepted, withdrawn and deleted ones are not
    assert pairs == expected
    assert len(stored) == 4  # with the accepted pair's first note; each pair noted once
    assert report.duplicate_count == 3 and len(report.duplicates) == 3
    assert {
        frozenset((p.household.household_id, p.other.household_id)) for p in report.duplicates
    } == new_pairs
    assert all(set(p.matched) == expected[frozenset((p.household.household_id,
               p.other.household_id))] for p in report.duplicates)  # fmt: skip


def test_a_report_keeps_the_count_and_only_the_first_pairs(laptop, kelurahan, monkeypatch, capsys):
    monkeypatch.setattr(duplicates, "SHOWN_DUPLICATES", 2)
    exchange((laptop, kelurahan))
    with kelurahan:
        held = draft(HASANAH.no_kk)["household_id"]
    with laptop:
        sent = [draft(HASANAH.no_kk)["household_id"] for _ in range(5)]
        bundle = laptop.export(kelurahan)
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    home = ["--home", str(kelurahan.paths.home), "--user", "admin"]
    assert cli.main([*home, "bundle", "import", "--dry-run", str(bundle)]) == 0
    assert "  possible duplicates: 15 (see household duplicates)" in capsys.readouterr().out
    with kelurahan:
        [preview] = kelurahan.take(bundle, dry_run=True)
        assert preview.duplicate_count == 5 + 10  # with the held one, and among themselves
        [report] = kelurahan.take(bundle)
        assert report.duplicate_count == 15 and len(report.duplicates) == 2
        assert all(d.other.describe() for d in report.duplicates)
        listed = duplicates.possible_duplicates(kelurahan.officer)
        assert len(listed) == 15  # every pair is kept for the supervisor
        every = {frozenset((p.household.household_id, p.other.household_id)) for p in listed}
        assert every == {frozenset((a, b)) for a in (*sent, held) for b in sent if a != b}
        for shown in report.duplicates:
            assert shown.household.household_id in sent
            assert frozenset((shown.household.household_id, shown.other.household_id)) in every
            assert shown.other.describe() == "draf (tanpa nama, RW 003/RT 007)"  # its list row


@pytest.mark.parametrize("batch, child", [(500, False), (6, False), (6, True)])
def test_many_overlapping_households_are_flagged_as_the_one_household_check_says(
    laptop, kelurahan, monkeypatch, batch, child
):
    """40 households drawing No. KK and NIKs from small pools (shared with each other and with
    households the kelurahan holds, some of those withdrawn, deleted or accepting): the bulk
    look-up, noted 7 pairs at a time, stores exactly the pairs the one-household check finds;
    also when the bundle is written a few households at a time (a value shared across two
    batches is seen when the second is written: `Screen`), and read by a child process."""
    monkeypatch.setattr(duplicates, "RECORD_BATCH", 7)
    monkeypatch.setattr(versions, "BATCH", batch)
    monkeypatch.setattr(decoder, "CHILD_FROM", 0 if child else 10**9)
    pick = random.Random(20)
    kks = [f"31740199999900{n:02d}" for n in range(1, 9)]
    niks = [f"31740141079000{n:02d}" for n in range(1, 30)]

    def drawn() -> dict:
        no_kk = pick.choice([*kks, None])
        return draft(no_kk, *pick.sample(niks, pick.randint(1, 3)))

    exchange((laptop, kelurahan))
    with kelurahan:
        held = [drawn()["household_id"] for _ in range(12)]
        marks.withdraw_household(held[0], "Salah ketik, didaftar ulang", SUPERVISOR)
        households.delete_household(held[1], "Terdaftar dua kali", ADMIN_OFFICER)
    with laptop:
        sent = [drawn()["household_id"] for _ in range(40)]
        bundle = laptop.export(kelurahan)
    with kelurahan:
        shared = [h for h in held[2:] if duplicates.find_duplicates(households.load_household(h))]
        marks.keep_both(shared[0], REASON, SUPERVISOR)  # the pools make sure there is one
        [report] = kelurahan.take(bundle)
        expected = one_by_one(sent)
        listed = {
            frozenset((p.household.household_id, p.other.household_id)): set(p.matched)
            for p in duplicates.possible_duplicates(kelurahan.officer)
        }
    assert len(expected) > 40 and listed == expected
    assert report.duplicate_count == len(expected)


def test_a_conflict_that_keeps_the_stored_winner_is_looked_up_as_before(laptop, kelurahan):
    """A household whose stored version wins over the one a bundle brings is not written again
    (only its kept versions change), so none of its values were seen while writing: it is
    still looked up whole, and a pair it had is counted in the report as before."""
    exchange((laptop, kelurahan))
    with laptop:
        x = draft(HASANAH.no_kk, HASANAH.members[0].nik)
        first = laptop.export(kelurahan)
    with kelurahan:
        y = draft(None, HASANAH.members[0].nik)
        [report] = kelurahan.take(first)
        assert report.duplicate_count == 1
        mine = households.load_household(x["household_id"])
        for phone in ("081234567890", "081234567891"):  # two edits here: a later generation
            mine = households.save_household({**mine, "phone": phone}, False, ADMIN_OFFICER)
    with laptop:
        households.save_household({**x, "address": "Jl. Laptop 1"}, False, ADMIN_OFFICER)
        second = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(second)
        assert report.counts["conflict"] == 1
        assert households.load_household(x["household_id"])["phone"] == "081234567891"
        assert report.duplicate_count == 1
        assert {p.other.household_id for p in report.duplicates} == {y["household_id"]}


def test_an_update_that_keeps_the_members_is_looked_up_as_before(laptop, kelurahan):
    """A household updated in a field of its own keeps its stored member rows (not written
    again): their NIKs are still told to the look-up, and a pair is counted as before."""
    exchange((laptop, kelurahan))
    with laptop:
        x = draft(None, HASANAH.members[0].nik)
        first = laptop.export(kelurahan)
    with kelurahan:
        y = draft(None, HASANAH.members[0].nik)
        [report] = kelurahan.take(first)
        assert report.duplicate_count == 1
    with laptop:
        households.save_household({**x, "address": "Jl. Pindah 4"}, False, ADMIN_OFFICER)
        second = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(second)
        assert report.counts["updated"] == 1 and report.duplicate_count == 1
        assert {p.other.household_id for p in report.duplicates} == {y["household_id"]}


def test_the_bundle_look_up_knows_the_others_state_from_the_partial_index(store):
    """Migration 26: whether another household is deleted, withdrawn or holds an acceptance
    comes from the partial index of such households, scanned once per look-up — not from a
    look-up of that household's wide row for each NIK it shares."""
    assert list(duplicate_rows.shared_values([])) == []  # makes the temporary table
    plan = [
        r[3] for r in database.execute_sql(f"EXPLAIN QUERY PLAN {duplicate_rows._PAIRS}", ("[]",))
    ]
    searches = sorted(step.split(" USING")[0] for step in plan if step.startswith("SEARCH"))
    assert searches == ["SEARCH h", "SEARCH m", "SEARCH o", "SEARCH om"]  # no household by id
    assert "SEARCH o USING INDEX household_no_kk (no_kk=?)" in plan
    scans = [step for step in plan if step.startswith("SCAN household")]
    assert scans and all(s.endswith("USING INDEX household_duplicate_marks") for s in scans)
