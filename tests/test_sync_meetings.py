"""Meeting records in bundles (issue 17): a kelurahan's locked musyawarah travels to Dinsos (and
between devices of one kelurahan) with its signed lock; the receiver keeps a read-only copy
attributed to the sender; only a kelurahan may send meetings; a meeting's decision for a
household another meeting here decided is a conflict; a household Dinsos matched before the
meeting comes back `eligible` and is taken in; "diubah setelah musyawarah" shows on Dinsos' copy.
All on real encrypted homes exchanging real bundle files."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.households import complete
from sync_support import Installation, exchange

from app.core import status
from app.core.document import new_household, new_member
from app.core.errors import UserError
from app.services import (
    households,
    installation,
    musyawarah,
    musyawarah_docs,
    musyawarah_lock,
    roster,
)
from app.services import listing as listing_service
from app.services.sync import conflicts as sync_conflicts
from app.services.sync import received

DINSOS_VILLAGE = "31.71.01.1001"


def family(officer, name: str) -> dict:
    doc = new_household(installation.village_code(), rw=5, rt=3, address="Jl. Tebet Raya No. 3")
    doc["members"] = [new_member(name=name, relationship=1), new_member(name=f"Anak {name}")]
    return households.save_household(complete(doc), final=True, officer=officer)


def locked_meeting(officer, decisions: dict[str, str], day: int = 7) -> str:
    """A meeting that decided `decisions` (household id -> eligible / not_poor / postpone),
    its berita acara printed, locked by `officer`."""
    date = dt.date.today() + dt.timedelta(days=day)
    meeting = musyawarah.create_meeting(officer=officer, date=date, place="Aula Kelurahan")
    for hid, decision in decisions.items():
        reason = "Rumah layak, usaha warung besar" if decision == "not_poor" else None
        musyawarah.decide(meeting.id, hid, decision, officer, reason=reason)
    paper = musyawarah_docs.prepare_document(meeting.id, "berita-acara", officer)
    musyawarah_docs.issue_document(paper, officer)
    musyawarah_lock.lock_meeting(meeting.id, officer)
    return meeting.id


def dinsos_of(tmp_path) -> Installation:
    dinsos = Installation(tmp_path, "dinsos", village=DINSOS_VILLAGE)
    with dinsos:
        installation.set_dinsos(None, dinsos.officer)  # the province: all of DKI Jakarta
    return dinsos


def test_a_locked_meeting_and_its_signed_lock_reach_dinsos(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        ani, budi, citra = (family(kelurahan.officer, n) for n in ("Ani", "Budi", "Citra"))
        ids = [ani["household_id"], budi["household_id"], citra["household_id"]]
        mid = locked_meeting(
            kelurahan.officer, dict(zip(ids, ["eligible", "not_poor", "postpone"], strict=True))
        )
        _state, checks = roster.verify_decisions(kelurahan.officer, mid)
        assert [(c.kind, c.valid) for c in checks] == [("musyawarah.lock", True)]
        to_dinsos = kelurahan.export(dinsos)
    with dinsos:
        [report] = dinsos.take(to_dinsos)
        assert report.carried.meetings == 1 and report.carried.conflicts == 0
        assert report.carried.roster == "pinned" and report.carried.unverified == 0
        assert households.load_household(ids[0])["status"] == "eligible"
        assert households.load_household(ids[1])["status"] == "not_poor"
        seen = received.meetings_received(dinsos.officer)
        [(sender, copy)] = seen.meetings
        assert sender == "kelurahan" and copy.id == mid and copy.verification
        assert copy.record["counts"]["eligible"] == 1 and copy.record["counts"]["postpone"] == 1
        assert [d["household_id"] for d in copy.record["decisions"]] == ids
        got = received.peer_decisions("kelurahan", dinsos.officer)
        assert got.roster == "valid"
        kinds = {(c.kind, c.subject): c.valid for c in got.checks}
        assert kinds[("musyawarah.lock", mid)] is True
        assert kinds[("musyawarah.decide", ids[0])] is True
        # the same bundle again changes nothing; a second export carries the meeting again
        [again] = dinsos.take(to_dinsos)
        assert again.already_imported_at


def test_a_laptops_meeting_records_are_rejected_with_the_reason(tmp_path):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    with laptop:
        hid = family(laptop.officer, "Dodi")["household_id"]
        mid = locked_meeting(laptop.officer, {hid: "eligible"})
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.carried.rejected == [
            (mid, "a peer trusted as laptop may not send musyawarah meeting records")
        ]
        assert dict(report.rejected)[hid].startswith("a peer trusted as laptop may not change")
        assert received.meetings_received(kelurahan.officer).meetings == []
        assert received.peer_decisions("laptop", kelurahan.officer).checks == []


def test_two_devices_meetings_deciding_one_household_are_a_kept_conflict(tmp_path):
    one, two = Installation(tmp_path, "kelurahan-a"), Installation(tmp_path, "kelurahan-b")
    exchange((one, two))
    with one:
        hid = family(one.officer, "Eka")["household_id"]
        first = one.export(two)
    with two:
        two.take(first)
        theirs = locked_meeting(two.officer, {hid: "not_poor"}, day=8)
    with one:
        ours = locked_meeting(one.officer, {hid: "eligible"})
        second = one.export(two)
    with two:
        [report] = two.take(second)
        assert report.carried.conflicts == 1
        [conflict] = received.meetings_received(two.officer).conflicts
        assert (conflict.meeting_id, conflict.household_id, conflict.other_meeting_id) == (
            ours,
            hid,
            theirs,
        )
        # the household's two versions are kept too, as every concurrent edit is
        assert hid in {r.household_id for r in sync_conflicts.households_in_conflict()}
        received.settle_meeting_conflict(conflict.id, two.officer)
        assert received.meetings_received(two.officer).conflicts == []
        with pytest.raises(UserError, match="Tidak ada konflik musyawarah"):
            received.settle_meeting_conflict(conflict.id, two.officer)


def test_a_household_dinsos_matched_comes_back_eligible_and_is_taken_in(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        hid = family(kelurahan.officer, "Fajar")["household_id"]
        up = kelurahan.export(dinsos)
    with dinsos:
        dinsos.take(up)
        assert households.record_matching(hid, dinsos.officer)["status"] == "matched"
        down = dinsos.export(kelurahan)
    with kelurahan:
        kelurahan.take(down)
        locked_meeting(kelurahan.officer, {hid: "eligible"})
        up_again = kelurahan.export(dinsos)
    with dinsos:
        [report] = dinsos.take(up_again)
        assert report.rejected == [] and report.counts["updated"] == 1
        assert households.load_household(hid)["status"] == "eligible"


def test_dinsos_copy_flags_a_household_changed_after_its_decision(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        hid = family(kelurahan.officer, "Gita")["household_id"]
        locked_meeting(kelurahan.officer, {hid: "eligible"})
        decided = kelurahan.export(dinsos)
        doc = households.load_household(hid)
        doc["address"] = "Jl. Kebon Baru No. 9"
        households.save_household(doc, final=True, officer=kelurahan.officer)
        assert musyawarah_lock.changed_after_decision(hid)
        [row] = listing_service.household_rows([hid])  # the list, here
        label = status.household_status(row.status, row.exclusions, row.changed_after_decision)
        assert label.text == "Layak (musyawarah), diubah setelah musyawarah"
        changed = kelurahan.export(dinsos)
    with dinsos:
        dinsos.take(decided)
        assert not listing_service.changed_after_decision(hid)
        dinsos.take(changed)
        assert listing_service.changed_after_decision(hid)
        assert musyawarah_lock.changed_after_decision(hid)  # the backend, on Dinsos' copy
        assert listing_service.household_page()[0].changed_after_decision
