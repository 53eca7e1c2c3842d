"""Who sent a step of a household's timeline (issue 19): a step that came in a bundle names the
trusted peer whose bundle brought it and the day it arrived, never only the `by` written inside
the event; a step recorded here keeps its `by`. Round trip kelurahan -> Dinsos -> kelurahan on
real encrypted homes, the CLI's lines and the *Riwayat* dialog."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import ADMIN, ADMIN_PASSWORD
from sync_support import Installation, register

from app.bundle.keys import from_file
from app.cli.main import main
from app.core import dinsos_events
from app.core import timeline as builder
from app.core.dinsos_events import DETERMINED, DTKS_ID, IN_SIKS_NG, TARGET_LIST, VERIFIED, event
from app.db import bundle_log
from app.db.connection import database
from app.receipts.formatting import WIB, date_or_dash
from app.services import dinsos_status, installation, timeline
from app.services.sync import keys as peer_keys
from app.services.sync.export import export_bundle

OFFICE = "Dinas Sosial DKI Jakarta"  # the name the kelurahan trusted the Dinsos key under
CLAIMED = "Kementerian Sosial RI"  # what the Dinsos installation writes inside its events
KELURAHAN = "Kelurahan Tebet Timur"  # the name Dinsos trusted the kelurahan key under
TODAY = dt.datetime.now(WIB).date().isoformat()


def day(offset: int) -> str:
    return (dt.date.fromisoformat(TODAY) + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def pair(tmp_path):
    """A kelurahan and its Dinsos, each trusting the other under a name of its own; the
    kelurahan registered one household and sent it to Dinsos."""
    office = Installation(tmp_path, "dinsos", village=None)
    with office:
        installation.set_dinsos(None, office.officer)
    kel = Installation(tmp_path, "kelurahan")
    with office:
        peer_keys.trust_peer(from_file(kel.key_file), KELURAHAN, office.officer, "kelurahan")
    with kel:
        peer_keys.trust_peer(from_file(office.key_file), OFFICE, kel.officer, "dinsos")
        hid = register("Warga Satu")["household_id"]
        bundle = _export(kel, OFFICE)
    with office:
        office.take(bundle)
    return office, kel, hid


def _export(inst: Installation, to: str) -> Path:
    """A bundle to the peer trusted as `to` (sync_support's `export` names peers by their
    installation's name)."""
    inst.made += 1
    out = inst.outbox / f"{inst.name}-{inst.made}.bundle"
    export_bundle(to, out, inst.officer)
    return out


def _news(office: Installation, hid: str, *events: dict) -> None:
    with office:
        assert dinsos_status.record({hid: list(events)}, office.officer) == [hid]


def _back(office: Installation, kel: Installation) -> str:
    """Dinsos sends the kelurahan what changed; the kelurahan takes it in. The bundle's id."""
    with office:
        bundle = _export(office, KELURAHAN)
    with kel:
        [report] = kel.take(bundle)
        assert report.counts["updated"] == 1 and not report.rejected
        return str(report.bundle_id)


def _target_list_three_days_ago(office: Installation, kel: Installation, hid: str) -> str:
    """Dinsos puts the household on a target list (dated three days ago) and sends it back in a
    bundle the kelurahan took in three days ago: that bundle's id."""
    _news(office, hid, event(TARGET_LIST, day(-3), CLAIMED, reference="DST-3174-001"))
    first = _back(office, kel)
    with kel:
        three_days_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).isoformat()
        database.execute_sql(
            "UPDATE bundle_log SET created_at = ?, logged_at = ? WHERE bundle_id = ?",
            (three_days_ago, three_days_ago, first),
        )
    return first


def test_a_step_from_a_bundle_names_the_trusted_peer_not_the_events_claim(pair):
    office, kel, hid = pair
    _news(
        office,
        hid,
        event(TARGET_LIST, TODAY, CLAIMED, reference="DST-3174-001"),
        event(DTKS_ID, TODAY, CLAIMED, reference="3174-0000123"),
    )
    _back(office, kel)
    with kel:
        shown = timeline.timeline(hid, kel.officer)
        came = [e for e in shown.entries if e.step in (TARGET_LIST, DTKS_ID)]
        assert [e.by for e in came] == [OFFICE, OFFICE]  # the trusted name, not the claim
        assert all(e.received == TODAY for e in came)
        assert came[0].who(date_or_dash) == f"dari {OFFICE}, diterima {date_or_dash(TODAY)}"
        assert CLAIMED not in json.dumps(shown.as_json())
        assert shown.as_json()["entries"][-1]["received"] == TODAY
        registered = shown.entries[0]  # registered here: by the officer, not from a bundle
        assert registered.by == "Admin Kelurahan" and registered.received == ""
    with office:  # at Dinsos the events are its own (kept as written), the household came in
        shown = timeline.timeline(hid, office.officer)
        assert [e.by for e in shown.entries if e.step == TARGET_LIST] == [CLAIMED]
        assert [e.received for e in shown.entries if e.step == TARGET_LIST] == [""]
        assert shown.entries[0].by == KELURAHAN and shown.entries[0].received == TODAY


def test_later_news_in_a_later_bundle_keeps_each_step_with_its_own_bundle(pair):
    office, kel, hid = pair
    _target_list_three_days_ago(office, kel, hid)
    _news(office, hid, event(IN_SIKS_NG, day(-1), CLAIMED), event(VERIFIED, TODAY, CLAIMED))
    _back(office, kel)
    with kel:
        arrived = {e.step: e.received for e in timeline.timeline(hid, kel.officer).entries}
        assert arrived[TARGET_LIST] == day(-3)
        assert arrived[IN_SIKS_NG] == arrived[VERIFIED] == TODAY
        assert len(bundle_log.arrivals(hid, timeline.WROTE)) == 2
        asked: list[str] = []  # every statement the timeline runs
        database.connection().set_trace_callback(asked.append)
        try:
            timeline.timeline(hid, kel.officer)
        finally:
            database.connection().set_trace_callback(None)
        assert len([q for q in asked if "bundle_outcome" in q]) == 1  # not one per event


def test_an_older_dated_event_sent_later_is_shown_with_the_bundle_that_brought_it(pair):
    """A SIKS-NG result dated before the first bundle but recorded after it came in the second
    bundle: the count of events each bundle left (migration 28) says so, not the dates."""
    office, kel, hid = pair
    first = _target_list_three_days_ago(office, kel, hid)
    _news(office, hid, event(DETERMINED, day(-5), CLAIMED))  # dated before the first bundle
    second = _back(office, kel)
    with kel:
        noted = dict(database.execute_sql(
            "SELECT bundle_id, events FROM bundle_outcome WHERE household_id = ?", (hid,)
        ).fetchall())  # fmt: skip
        assert (noted[first], noted[second]) == (1, 2)
        arrived = {e.step: e.received for e in timeline.timeline(hid, kel.officer).entries}
        assert arrived[TARGET_LIST] == day(-3) and arrived[DETERMINED] == TODAY
    with office:  # bundles from a kelurahan bring no Dinsos events: nothing noted
        rows = database.execute_sql("SELECT events FROM bundle_outcome").fetchall()
        assert rows and all(events is None for (events,) in rows)


def test_the_cli_says_from_whom_and_when_it_arrived(pair, capsys, monkeypatch):
    office, kel, hid = pair
    _news(office, hid, event(DETERMINED, TODAY, CLAIMED))
    _back(office, kel)
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    args = ["--home", str(kel.paths.home), "--user", ADMIN, "household", "timeline", hid]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"{TODAY}  Ditetapkan  dari {OFFICE}, diterima {TODAY}"
    assert any(line.startswith(f"{TODAY}  Draf dibuat  oleh Admin Kelurahan") for line in lines)
    assert CLAIMED not in "\n".join(lines)


def test_the_dialog_shows_the_peer_and_the_day_in_the_oleh_column(pair, qtbot):
    from app.ui.household.timeline_dialog import COLUMNS, TimelineDialog

    office, kel, hid = pair
    _news(office, hid, event(VERIFIED, TODAY, CLAIMED))
    _back(office, kel)
    with kel:
        shown = timeline.timeline(hid, kel.officer)
    dialog = TimelineDialog(shown)
    qtbot.addWidget(dialog)
    table = dialog.table
    last = table.rowCount() - 1
    column = COLUMNS.index("Oleh")
    assert table.item(last, 1).text() == dinsos_events.STEPS[VERIFIED]
    assert table.item(last, column).text() == f"dari {OFFICE}, diterima {date_or_dash(TODAY)}"
    assert table.item(0, column).text() == "Admin Kelurahan"


def arrival(sent: str, kind: str | None = "dinsos", new: bool = False) -> builder.Arrival:
    return builder.Arrival("Dinsos", kind, f"{sent}T03:00:00+00:00", f"{sent}T05:00:00+00:00", new)


def test_the_builder_reads_which_bundle_brought_which_event():
    a = event(TARGET_LIST, "2026-11-01", CLAIMED)
    b = event(VERIFIED, "2026-11-05", CLAIMED)
    c = event(DETERMINED, "2026-11-02", CLAIMED)  # an older day, recorded after b
    first, second = arrival("2026-11-01"), arrival("2026-11-06")
    laptop = arrival("2026-11-03", kind="laptop")  # a laptop cannot bring Dinsos' news
    found = builder.carriers([a, b, c], [first, laptop, second], builder.iso_day)
    assert found == [first, second, second]  # never before the event before it
    assert builder.carriers([a], [laptop], builder.iso_day) == [None]  # recorded here
    late = event(DTKS_ID, "2026-12-01", CLAIMED)  # after every bundle (a sender's clock)
    assert builder.carriers([late], [first, second], builder.iso_day) == [second]
    # noted counts (migration 28) decide, not the days: c came in the second bundle
    counted = [builder.Arrival("Dinsos", "dinsos", a.sent_at, a.received_at, False, n)
               for a, n in ((first, 1), (second, 3))]  # fmt: skip
    assert builder.carriers([a, b, c], counted, builder.iso_day) == [counted[0], *counted[1:] * 2]
    old = event(DETERMINED, "2026-10-01", CLAIMED)  # dated before both, the second event
    assert builder.carriers([a, old], counted, builder.iso_day) == counted
    gone = builder.Arrival("perangkat", None, "2026-11-01", "2026-11-01", True)
    assert builder.carriers([a], [gone], builder.iso_day) == [gone]  # checked when it came
    doc = {"household_id": "h", "created_at": "2026-10-30T01:00:00+00:00",
           "dinsos_events": [a]}  # fmt: skip
    entries = builder.build(doc, builder.Facts(arrivals=[arrival("2026-10-31", "kelurahan", True),
                                                         first]))  # fmt: skip
    assert (entries[0].by, entries[0].received) == ("Dinsos", "2026-10-31")
    assert entries[1].who() == "dari Dinsos, diterima 2026-11-01"
