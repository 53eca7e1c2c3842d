"""*Ditunda* in the household list (issue 17): a household postponed in an open or a locked
musyawarah says "Ditunda (musyawarah)" in the list's status column until a later decision;
one query a page. Real encrypted store, real services."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ADMIN_OFFICER, officer_named
from helpers.households import complete

from app.core.document import new_household, new_member
from app.core.errors import UserError
from app.core.status import household_status
from app.db import listing as listing_rows
from app.db import meetings as meeting_rows
from app.services import households, listing, musyawarah, musyawarah_docs, musyawarah_lock
from app.services.actions import AuthError

VILLAGE = "31.74.01.1001"
SUPERVISOR = officer_named("sri", "supervisor")


def family(name: str) -> str:
    doc = new_household(VILLAGE, rw=5, rt=3, address="Jl. Tebet Raya No. 3")
    doc["members"] = [new_member(name=name, relationship=1)]
    saved = households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)
    return str(saved["household_id"])


def meeting(days: int = 7) -> str:
    when = dt.date.today() + dt.timedelta(days=days)
    return musyawarah.create_meeting(date=when, place="Aula", officer=SUPERVISOR).id


def status_text(household_id: str) -> str:
    row = listing.household_rows([household_id])[0]
    return household_status(
        row.status, row.exclusions, row.changed_after_decision, row.postponed
    ).text


def lock(meeting_id: str) -> None:
    paper = musyawarah_docs.prepare_document(meeting_id, "berita-acara", SUPERVISOR)
    musyawarah_docs.issue_document(paper, SUPERVISOR)
    musyawarah_lock.lock_meeting(meeting_id, SUPERVISOR)


def test_postponed_in_open_meeting_shows_ditunda_and_taking_it_back_clears_it(store):
    waiting, other = family("Ani Tunda"), family("Budi Belum")
    m = meeting()
    musyawarah.decide(m, waiting, "postpone", SUPERVISOR)
    assert status_text(waiting) == "Ditunda (musyawarah)"
    assert status_text(other) == household_status("registered").text
    page = {r.id: r.postponed for r in listing.household_page()}
    assert page == {waiting: True, other: False}
    musyawarah.undecide(m, waiting, SUPERVISOR)
    assert status_text(waiting) == household_status("registered").text


def test_postponed_in_locked_meeting_stays_ditunda_until_a_later_meeting_decides(store):
    waiting = family("Ani Tunda")
    first = meeting(days=1)
    musyawarah.decide(first, waiting, "postpone", SUPERVISOR)
    lock(first)
    assert status_text(waiting) == "Ditunda (musyawarah)"
    second = meeting(days=8)
    musyawarah.decide(second, waiting, "eligible", SUPERVISOR)
    assert status_text(waiting) != "Ditunda (musyawarah)"  # decided again, not yet locked
    lock(second)
    assert status_text(waiting) == "Layak (musyawarah)"


def test_postponed_lookup_marks_exactly_the_postponed_of_a_page(store):
    ids = [family(f"Keluarga {i}") for i in range(5)]
    m = meeting()
    for hid in ids[:3]:
        musyawarah.decide(m, hid, "postpone", SUPERVISOR)
    assert listing_rows.postponed(ids) == set(ids[:3])
    assert listing_rows.postponed([]) == set()


def test_deciding_a_list_is_all_or_nothing(store):
    """*Semua sisa layak*: one household refused part-way (held by another open meeting), and
    none of the list is decided; the refusal names no one."""
    first, held, last = family("Ani Satu"), family("Budi Dua"), family("Cici Tiga")
    elsewhere, m = meeting(days=3), meeting()
    musyawarah.decide(elsewhere, held, "postpone", SUPERVISOR)
    with pytest.raises(UserError) as refused:
        musyawarah.decide_many(m, [first, held, last], "eligible", SUPERVISOR)
    line = str(refused.value)
    assert "Tidak ada keputusan yang dicatat" in line and "\n" not in line
    assert not any(name in line for name in ("Ani", "Budi", "Cici"))
    assert meeting_rows.decisions(m) == []
    decided = musyawarah.decide_many(m, [first, last], "eligible", SUPERVISOR)
    assert {d.household_id for d in decided} == {first, last}
    assert {d.household_id for d in meeting_rows.decisions(m)} == {first, last}


def test_deciding_a_list_needs_the_decide_role(store):
    hid = family("Ani Satu")
    m = meeting()
    with pytest.raises(AuthError):
        musyawarah.decide_many(m, [hid], "eligible", officer_named("budi", "petugas"))
    assert meeting_rows.decisions(m) == []
