"""Musyawarah kelurahan as a meeting (issue 17), through the services on a real encrypted store:
the agenda chooses the right households, decisions are refused where they must be, locking
writes the decisions into the households through the ordinary save, and every role is held in
the service."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ADMIN_OFFICER, officer_named
from helpers.households import complete

from app.core import musyawarah as words
from app.core.document import new_household, new_member
from app.core.errors import UserError
from app.db import audit as audit_log
from app.db import households as stored
from app.db import meetings as meeting_rows
from app.services import (
    households,
    installation,
    marks,
    musyawarah,
    musyawarah_docs,
    musyawarah_lock,
)
from app.services import receipts as receipt_service
from app.services.actions import AuthError

VILLAGE = "31.74.01.1001"
SUPERVISOR = officer_named("sri", "supervisor")
PETUGAS = officer_named("budi", "petugas")


def family(name: str, rw: int = 5, rt: int = 3, village: str = VILLAGE, final: bool = True,
           **values) -> dict:  # fmt: skip
    doc = new_household(village, rw=rw, rt=rt, address=f"Jl. Tebet Raya No. {rt}")
    doc["members"] = [new_member(name=name, relationship=1), new_member(name=f"Anak {name}")]
    doc.update(values)
    return households.save_household(complete(doc), final=final, officer=ADMIN_OFFICER)


def excluded_family(name: str, rw: int = 5) -> dict:
    doc = new_household(VILLAGE, rw=rw, rt=1, address="Jl. Tebet Raya No. 1")
    doc["members"] = [new_member(name=name, relationship=1)]
    doc["assets"]["car"] = True
    return households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)


def meeting(**values):
    base = {"date": dt.date.today() + dt.timedelta(days=7), "place": "Aula Kelurahan"}
    return musyawarah.create_meeting(officer=SUPERVISOR, **{**base, **values})


def print_ba(meeting_id: str) -> str:
    paper = musyawarah_docs.prepare_document(meeting_id, "berita-acara", SUPERVISOR)
    musyawarah_docs.issue_document(paper, SUPERVISOR)
    return paper.verification


def ids(rows) -> list[str]:
    return [row.household_id for row in rows]


def test_agenda_lists_registered_households_by_rw_and_rt_and_excluded_ones_apart(store):
    late = family("Ani Late", rw=7, rt=2)
    early = family("Budi Early", rw=2, rt=9)
    middle = family("Citra Middle", rw=2, rt=10)
    draft = family("Dodi Draft", final=False)
    gone = family("Eko Gone")
    marks.withdraw_household(gone["household_id"], "Salah daftar, keluarga ganda", ADMIN_OFFICER)
    car = excluded_family("Fajar Mobil")
    deleted = family("Gita Hapus")
    households.delete_household(deleted["household_id"], "Data uji yang salah ketik", ADMIN_OFFICER)
    family("Hadi Lain", village="31.74.01.1002")  # another kelurahan

    agenda = musyawarah.agenda(meeting().id, PETUGAS)

    assert ids(agenda.households) == [early["household_id"], middle["household_id"],
                                      late["household_id"]]  # fmt: skip
    assert ids(agenda.excluded) == [car["household_id"]]
    first = agenda.households[0]
    assert (first.head_name, first.rw, first.rt, first.member_count) == ("Budi Early", 2, 9, 2)
    assert agenda.excluded[0].exclusions == ["car"]
    assert draft["household_id"] not in ids(agenda.households + agenda.excluded)
    assert agenda.counts == {"eligible": 0, "not_poor": 0, "postpone": 0, "undecided": 3}


def test_agenda_of_one_rw_and_what_matching_says(store):
    family("Ani", rw=1)
    matched = family("Budi", rw=3)
    installation.set_dinsos(None, ADMIN_OFFICER)  # matching is recorded at Dinsos only
    households.record_matching(matched["household_id"], ADMIN_OFFICER, njop_idr=650_000_000)

    agenda = musyawarah.agenda(meeting(rw=3).id, PETUGAS)

    assert ids(agenda.households) == [matched["household_id"]]
    row = agenda.households[0]
    assert words.notes(row.exclusions, row.overridden, row.matching) == ["Bapenda: NJOP Rp 650 jt"]


def test_setting_the_meeting_date_sets_the_date_receipts_promise(store):
    day = dt.date.today() + dt.timedelta(days=12)
    created = meeting(date=day.isoformat())
    assert receipt_service.musyawarah_date() == day
    later = day + dt.timedelta(days=2)
    musyawarah.update_meeting(created.id, SUPERVISOR, date=later)
    assert receipt_service.musyawarah_date() == later
    sooner = meeting(date=day - dt.timedelta(days=5), rw=4)  # the earliest open one is promised
    assert receipt_service.musyawarah_date() == day - dt.timedelta(days=5)
    doc = family("Ani", rw=4)
    musyawarah.decide(sooner.id, doc["household_id"], "eligible", SUPERVISOR)
    print_ba(sooner.id)
    musyawarah_lock.lock_meeting(sooner.id, SUPERVISOR)  # locked: the next open one
    assert receipt_service.musyawarah_date() == later
    musyawarah.update_meeting(created.id, SUPERVISOR, date=dt.date.today() - dt.timedelta(days=1))
    assert receipt_service.musyawarah_date() is None  # none ahead: no promise of a past date


def test_decisions_are_recorded_and_counted(store):
    a, b, c = family("Ani"), family("Budi"), family("Citra")
    m = meeting()
    musyawarah.decide(m.id, a["household_id"], "eligible", SUPERVISOR)
    musyawarah.decide(m.id, b["household_id"], "not_poor", SUPERVISOR, "Punya usaha toko besar")
    musyawarah.decide(m.id, b["household_id"], "postpone", SUPERVISOR)  # changed their mind
    assert musyawarah.agenda(m.id, SUPERVISOR).counts == {
        "eligible": 1, "not_poor": 0, "postpone": 1, "undecided": 1}  # fmt: skip
    musyawarah.undecide(m.id, b["household_id"], SUPERVISOR)
    assert [d.household_id for d in meeting_rows.decisions(m.id)] == [a["household_id"]]
    assert stored.load(c["household_id"])["musyawarah"]["decision"] is None  # not until locked


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_kelurahan", "kelurahan lain"),
        ("withdrawn", "dibatalkan"),
        ("excluded", "pengecualian"),
        ("draft", "draf"),
        ("other_rw", "hanya untuk RW 9"),
        ("not_poor_without_reason", "memerlukan alasan"),
        ("unknown", "tidak ditemukan"),
    ],
)
def test_a_decision_that_may_not_be_taken_is_refused_clearly(store, case, message):
    name = "Zainal Rahasia"
    doc = {
        "other_kelurahan": lambda: family(name, village="31.74.01.1002"),
        "withdrawn": lambda: marks.withdraw_household(
            family(name)["household_id"], "Salah daftar, keluarga ganda", ADMIN_OFFICER),
        "excluded": lambda: excluded_family(name),
        "draft": lambda: family(name, final=False),
        "other_rw": lambda: family(name, rw=4),
        "not_poor_without_reason": lambda: family(name, rw=9),
        "unknown": lambda: {"household_id": "0190-no-such"},
    }[case]()  # fmt: skip
    m = meeting(rw=9 if case in ("other_rw", "not_poor_without_reason") else None)
    decision = "not_poor" if case == "not_poor_without_reason" else "eligible"

    with pytest.raises(UserError, match=message) as refused:
        musyawarah.decide(m.id, doc["household_id"], decision, SUPERVISOR)

    assert name not in str(refused.value) and name not in refused.value.detail
    assert meeting_rows.decisions(m.id) == []


def test_two_open_meetings_cannot_decide_the_same_household(store):
    doc = family("Ani")
    first, second = meeting(), meeting()
    musyawarah.decide(first.id, doc["household_id"], "eligible", SUPERVISOR)
    with pytest.raises(UserError, match="musyawarah lain"):
        musyawarah.decide(second.id, doc["household_id"], "eligible", SUPERVISOR)
    assert [r.elsewhere for r in musyawarah.agenda(second.id, SUPERVISOR).households] == [True]
    assert [r.elsewhere for r in musyawarah.agenda(first.id, SUPERVISOR).households] == [False]


def test_locking_writes_the_decisions_into_the_households(store):
    a, b, c = family("Ani", rw=1), family("Budi", rw=2), family("Citra", rw=3)
    m = meeting(minutes_number="007/BA-MK/2026")
    musyawarah.decide(m.id, a["household_id"], "eligible", SUPERVISOR)
    musyawarah.decide(m.id, b["household_id"], "not_poor", SUPERVISOR, "Punya usaha toko besar")
    musyawarah.decide(m.id, c["household_id"], "postpone", SUPERVISOR)
    code = print_ba(m.id)

    locked = musyawarah_lock.lock_meeting(m.id, SUPERVISOR)

    assert (locked.status, locked.verification, locked.locked_by) == ("locked", code, "sri")
    eligible, not_poor, postponed = (stored.load(x["household_id"]) for x in (a, b, c))
    assert eligible["status"] == "eligible"
    assert eligible["musyawarah"] == {"decision": "eligible", "date": m.date,
        "minutes_number": "007/BA-MK/2026", "meeting_id": m.id, "reason": None}  # fmt: skip
    assert eligible["rev"].startswith("2-")  # a new revision: it syncs
    assert not_poor["status"] == "not_poor"
    assert not_poor["musyawarah"]["reason"] == "Punya usaha toko besar"
    assert "judged_not_poor" in not_poor["exclusions"]  # the fifth criterion now applies
    assert postponed == c  # postponed: untouched, and on the next agenda
    assert ids(musyawarah.agenda(meeting().id, SUPERVISOR).households) == [c["household_id"]]
    entries = [e for e in audit_log.page(limit=50) if e.action in ("musyawarah.lock",
               "household.save") and e.officer == "sri"]  # fmt: skip
    assert sorted(e.action for e in entries) == ["household.save"] * 2 + ["musyawarah.lock"]


def test_a_locked_meeting_cannot_be_changed(store):
    a, b = family("Ani"), family("Budi")
    m = meeting()
    musyawarah.decide(m.id, a["household_id"], "eligible", SUPERVISOR)
    print_ba(m.id)
    musyawarah_lock.lock_meeting(m.id, SUPERVISOR)
    for change in (
        lambda: musyawarah.decide(m.id, b["household_id"], "eligible", SUPERVISOR),
        lambda: musyawarah.undecide(m.id, a["household_id"], SUPERVISOR),
        lambda: musyawarah.add_participant(m.id, "Siti", "lpm", SUPERVISOR),
        lambda: musyawarah.update_meeting(m.id, SUPERVISOR, place="Masjid"),
        lambda: musyawarah_lock.lock_meeting(m.id, SUPERVISOR),
    ):
        with pytest.raises(UserError, match="sudah dikunci"):
            change()
    # a decided household is not decided again, except by a correction of that meeting
    with pytest.raises(UserError, match="musyawarah sebelumnya"):
        musyawarah.decide(meeting().id, a["household_id"], "not_poor", SUPERVISOR, "Toko besar")
    fix = meeting(corrects=m.id)
    musyawarah.decide(fix.id, a["household_id"], "not_poor", SUPERVISOR, "Ternyata toko besar")
    print_ba(fix.id)
    musyawarah_lock.lock_meeting(fix.id, SUPERVISOR)
    assert stored.load(a["household_id"])["status"] == "not_poor"


def test_lock_needs_the_berita_acara_printed_with_exactly_these_decisions(store):
    a, b = family("Ani"), family("Budi")
    m = meeting()
    musyawarah.decide(m.id, a["household_id"], "eligible", SUPERVISOR)
    with pytest.raises(UserError, match="Cetak berita acara"):
        musyawarah_lock.lock_meeting(m.id, SUPERVISOR)
    print_ba(m.id)
    musyawarah.decide(m.id, b["household_id"], "eligible", SUPERVISOR)  # after printing
    with pytest.raises(UserError, match="Cetak berita acara"):
        musyawarah_lock.lock_meeting(m.id, SUPERVISOR)
    assert stored.load(a["household_id"])["status"] == "registered"


def test_a_household_withdrawn_after_its_decision_stops_the_lock_and_nothing_is_written(store):
    a, b = family("Ani"), family("Budi")
    m = meeting()
    musyawarah.decide(m.id, a["household_id"], "eligible", SUPERVISOR)
    musyawarah.decide(m.id, b["household_id"], "eligible", SUPERVISOR)
    print_ba(m.id)
    marks.withdraw_household(b["household_id"], "Pindah ke luar Jakarta", ADMIN_OFFICER)
    with pytest.raises(UserError, match=f"Keluarga {b['registration_number']}.*dibatalkan"):
        musyawarah_lock.lock_meeting(m.id, SUPERVISOR)
    assert stored.load(a["household_id"])["status"] == "registered"
    assert musyawarah.get_meeting(m.id).status == "open"


def test_a_petugas_prepares_but_may_not_decide_or_lock(store):
    doc = family("Ani")
    m = musyawarah.create_meeting(dt.date.today(), "Aula", PETUGAS)  # plan: a petugas may
    musyawarah.add_participant(m.id, "Siti Aminah", "lpm", PETUGAS)
    assert len(musyawarah.agenda(m.id, PETUGAS).households) == 1
    with pytest.raises(AuthError, match="tidak berwenang"):
        musyawarah.decide(m.id, doc["household_id"], "eligible", PETUGAS)
    musyawarah.decide(m.id, doc["household_id"], "eligible", SUPERVISOR)
    print_ba(m.id)
    with pytest.raises(AuthError, match="tidak berwenang"):
        musyawarah_lock.lock_meeting(m.id, PETUGAS)
    pendamping = officer_named("tono", "pendamping")
    with pytest.raises(AuthError):
        musyawarah.create_meeting(dt.date.today(), "Aula", pendamping)
    assert musyawarah.get_meeting(m.id).status == "open"
    assert stored.load(doc["household_id"])["status"] == "registered"


def test_a_participant_needs_a_known_role_and_a_name_never_echoed(store):
    m = meeting()
    with pytest.raises(UserError, match="Peran peserta tidak dikenal") as refused:
        musyawarah.add_participant(m.id, "Siti Aminah", "camat", SUPERVISOR)
    assert "Siti" not in str(refused.value)
    number = musyawarah.add_participant(m.id, "Siti Aminah", "lpm", SUPERVISOR, "Ketua LPM")
    musyawarah.add_participant(m.id, "H. Mulyadi", "lurah", SUPERVISOR)
    people = musyawarah.participants(m.id, SUPERVISOR)
    assert [(p.name, p.role) for p in people] == [("Siti Aminah", "lpm"), ("H. Mulyadi", "lurah")]
    assert musyawarah.chair_name(m, people) == "H. Mulyadi"
    musyawarah.remove_participant(m.id, number, SUPERVISOR)
    assert len(musyawarah.participants(m.id, SUPERVISOR)) == 1


def test_a_household_changed_after_its_decision_is_flagged(store):
    a, b = family("Ani"), family("Budi")
    m = meeting()
    musyawarah.decide(m.id, a["household_id"], "eligible", SUPERVISOR)
    musyawarah.decide(m.id, b["household_id"], "eligible", SUPERVISOR)
    print_ba(m.id)
    musyawarah_lock.lock_meeting(m.id, SUPERVISOR)
    assert not musyawarah_lock.changed_after_decision(a["household_id"])
    edited = stored.load(a["household_id"])
    edited["address"] = "Jl. Tebet Barat No. 99"
    households.save_household(edited, final=True, officer=PETUGAS)
    assert musyawarah_lock.changed_after_decision(a["household_id"])
    assert not musyawarah_lock.changed_after_decision(b["household_id"])
