"""Dinsos' news on households (issue 19): the pure events and the service that records them."""

from __future__ import annotations

import pytest
from conftest import ADMIN_OFFICER, officer_named
from helpers.households import head, household

from app.core import dinsos_events, document
from app.core.ownership import refused_for_kind
from app.db import audit
from app.services import dinsos_status, households, installation
from app.services.actions import AuthError

E = dinsos_events


def test_the_steps_match_the_schema_labels():
    schema = document.load_schema()["properties"]["dinsos_events"]["items"]["properties"]
    assert schema["step"]["x-labels"] == E.STEPS
    assert schema["step"]["enum"] == list(E.STEPS)


def test_events_move_status_and_id_and_a_repeat_changes_nothing():
    doc = {"status": "eligible", "dtks_id": None}
    first = E.with_events(doc, [E.event(E.IN_SIKS_NG, "2026-11-01", "Dinsos")])
    assert first is not None and first["status"] == "in_siks_ng"
    again = E.with_events(first, [E.event(E.IN_SIKS_NG, "2026-11-09", "Dinsos")])
    assert again is None  # the same news on another day is not news
    given = E.with_events(first, [E.event(E.DTKS_ID, "2026-11-10", "Dinsos", reference="D-1")])
    assert given is not None and given["dtks_id"] == "D-1" and given["status"] == "in_siks_ng"
    withdrawn = E.with_events({"status": "withdrawn"}, [E.event(E.VERIFIED, "2026-11-10", "x")])
    assert withdrawn is not None and withdrawn["status"] == "withdrawn"
    with pytest.raises(ValueError):
        E.event("approved", "2026-11-10", "x")


def test_a_duplicate_notice_stays_open_until_cleared():
    notice = E.event(E.DUPLICATE_NOTICE, "2026-11-01", "Dinsos", reference="Kelurahan Bukit Duri")
    doc = E.with_events({}, [notice])
    assert doc is not None and E.open_duplicate_notice(doc) == notice
    cleared = E.with_events(doc, [E.event(E.DUPLICATE_CLEARED, "2026-11-02", "Dinsos")])
    assert cleared is not None and E.open_duplicate_notice(cleared) is None


def test_only_dinsos_peers_may_send_events_or_an_id_dtks():
    before = {"status": "eligible", "dtks_id": None, "dinsos_events": []}
    after = E.with_events(before, [E.event(E.DTKS_ID, "2026-11-10", "Dinsos", reference="D-1")])
    assert after is not None
    assert refused_for_kind("kelurahan", before, after) == ["dinsos_events", "dtks_id"]
    assert refused_for_kind("dinsos", before, after) == []


def test_recorded_at_dinsos_saved_audited_and_refused_elsewhere(store, admin):
    hid = households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)[
        "household_id"
    ]
    news = {hid: [E.event(E.DETERMINED, "2026-11-20", "Dinsos")], "no-such-id": []}
    with pytest.raises(AuthError, match="Dinas Sosial"):
        dinsos_status.record(news, admin)  # a kelurahan installation
    installation.set_dinsos(None, ADMIN_OFFICER)
    with pytest.raises(AuthError, match="dinsos.status"):
        dinsos_status.record(news, officer_named("budi", "petugas"))
    assert dinsos_status.record(news, admin, audit_detail={"profile": "x"}) == [hid]
    saved = households.load_household(hid)
    assert saved["status"] == "determined" and saved["dinsos_events"][0]["step"] == "determined"
    assert document.validate(saved) is saved
    assert dinsos_status.record(news, admin) == []  # idempotent
    entries = [e for e in audit.entries() if e.action == "dinsos.status"]
    assert len(entries) == 2 and "profile" in str(entries[0].detail)
