"""A household's timeline (issue 19): registered, matched, the musyawarah, a withdrawal and
Dinsos' events, with dates and who did or sent it; the builder is pure, the service audits the
view, the CLI prints plain lines or JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD
from helpers.households import head, household

from app.cli.main import main
from app.core import timeline as builder
from app.core.dinsos_events import (
    DETERMINED,
    DTKS_ID,
    DUPLICATE_CLEARED,
    DUPLICATE_NOTICE,
    IN_SIKS_NG,
    REJECTED,
    TARGET_LIST,
    VERIFIED,
    event,
    with_events,
)
from app.db import audit
from app.receipts.formatting import WIB, date_short
from app.services import auth, dinsos_status, households, installation, timeline
from app.services.actions import AuthError

HEAD_NIK = "3174016705800004"
DINSOS = "Dinas Sosial Provinsi DKI Jakarta"
TODAY = dt.datetime.now(WIB).date()  # registered today: the later steps come after it


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


ALL_STEPS = [
    "registered", "matched", "musyawarah", TARGET_LIST, IN_SIKS_NG, VERIFIED, DETERMINED, DTKS_ID,
]  # fmt: skip


def decided_household() -> str:
    """Registered by the admin, matched (no car, NJOP Rp 500 juta, the head's NIK not found by
    Dukcapil), decided eligible in the musyawarah today (BA 12/2026)."""
    doc = households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    hid = doc["household_id"]
    installation.set_dinsos(None, ADMIN_OFFICER)  # matching is recorded at Dinsos only
    households.record_matching(
        hid, ADMIN_OFFICER, car=False, njop_idr=500_000_000, nik_not_found=[HEAD_NIK]
    )
    doc = households.load_household(hid)
    doc["musyawarah"] = {"decision": "eligible", "date": day(0), "minutes_number": "12/2026"}
    households.save_household(doc, final=True, officer=ADMIN_OFFICER)
    return hid


def send_dinsos_news(hid: str, *events) -> None:
    """Dinsos records its news (as the lead's service does on a Dinsos installation)."""
    installation.set_dinsos(None, ADMIN_OFFICER)
    dinsos_status.record({hid: list(events)}, ADMIN_OFFICER)


def test_the_builder_words_each_step_in_order():
    doc = {
        "household_id": "h1",
        "registration_number": "3174011001-399F0205-000007",
        "created_at": "2026-10-31T18:30:00Z",
        "matching": {
            "checked_at": "2026-11-02T03:00:00Z",
            "source": "Dinsos",
            "car_per_bapenda": True,
            "njop_per_bapenda_idr": 900_000_000,
            "nik_not_found": [HEAD_NIK],
        },  # fmt: skip
        "musyawarah": {
            "decision": "not_poor",
            "date": "2026-11-04",
            "minutes_number": "3/2026",
            "reason": "rumah luas",
        },  # fmt: skip
        "dinsos_events": [
            event(REJECTED, "2026-11-03", DINSOS, reason="NIK ganda di SIKS-NG"),
            event(DUPLICATE_NOTICE, "2026-11-01", DINSOS, reference="Kelurahan Bukit Duri"),
        ],
    }
    facts = builder.Facts("2026-10-31T18:30:00Z", "Siti Aminah")
    entries = builder.build(doc, facts)
    assert [e.step for e in entries] == [
        "registered",
        DUPLICATE_NOTICE,
        "matched",
        REJECTED,
        "musyawarah",
    ]
    registered, notice, matched, rejected, decided = entries
    assert (registered.day, registered.what, registered.by) == (
        "2026-10-31",
        "Terdaftar",
        "Siti Aminah",
    )
    assert registered.detail == "No. registrasi 3174011001-399F0205-000007"
    assert matched.detail == (
        "Bapenda: memiliki mobil; NJOP tidak di atas Rp 1 M; "
        "Dukcapil: NIK 3174********0004 tidak ditemukan"
    )
    assert HEAD_NIK not in repr(entries)
    assert rejected.detail == "alasan: NIK ganda di SIKS-NG" and rejected.by == DINSOS
    assert decided.what == "Musyawarah: Dinilai tidak miskin"
    assert decided.detail == "BA No. 3/2026; alasan: rumah luas"
    assert notice.detail == "di Kelurahan Bukit Duri"
    assert builder.duplicate_notice_text(doc) == (
        "NIK/No. KK keluarga ini juga terdaftar di Kelurahan Bukit Duri — hubungi Dinsos."
    )
    cleared = with_events(doc, [event(DUPLICATE_CLEARED, "2026-11-06", DINSOS)])
    assert cleared is not None and builder.duplicate_notice_text(cleared) is None
    # a household that arrived in a bundle: nobody here registered it
    arrived = builder.build({**doc, "matching": None, "musyawarah": None}, builder.Facts())
    assert arrived[0].by == builder.FROM_BUNDLE and arrived[0].day == "2026-10-31"


def test_the_service_shows_the_whole_path_and_audits_the_view(store, admin):
    hid = decided_household()
    send_dinsos_news(
        hid,
        event(TARGET_LIST, day(1), DINSOS, reference="DST-3174-001"),
        event(IN_SIKS_NG, day(2), DINSOS),
        event(VERIFIED, day(3), DINSOS),
        event(DETERMINED, day(4), DINSOS),
        event(DTKS_ID, day(4), DINSOS, reference="3174-0000123"),
    )
    views = len([e for e in audit.entries(hid) if e.action == "household.view"])

    shown = timeline.timeline(hid, admin)

    assert [e.step for e in shown.entries] == ALL_STEPS
    assert (
        shown.status
        == f"Sudah ditetapkan sebagai penerima ({date_short(TODAY + dt.timedelta(days=4))})."
    )
    registered = shown.entries[0]
    assert registered.by == "Admin Kelurahan" and registered.detail.startswith("No. registrasi")
    assert "NJOP tidak di atas Rp 1 M" in shown.entries[1].detail
    assert shown.entries[2].detail == "BA No. 12/2026" and shown.entries[2].day == day(0)
    assert shown.entries[-1].detail == "ID DTKS 3174-0000123"
    assert all(e.by == DINSOS for e in shown.entries[3:])
    assert HEAD_NIK not in json.dumps(shown.as_json())
    assert shown.notice is None
    after = [e for e in audit.entries(hid) if e.action == "household.view"]
    assert len(after) == views + 1 and after[-1].officer == ADMIN


def test_nobody_logged_in_is_refused_and_nothing_is_audited(store, admin):
    hid = decided_household()
    count = audit.verify()[0]
    with pytest.raises(AuthError):
        timeline.timeline(hid, None)
    assert audit.verify() == (count, None)


def test_the_cli_prints_plain_lines_and_json(store, admin, capsys, monkeypatch):
    hid = decided_household()
    send_dinsos_news(
        hid,
        event(REJECTED, day(1), DINSOS, reason="Tidak lolos verifikasi lapangan"),
        event(DUPLICATE_NOTICE, day(2), DINSOS, reference="Kelurahan Manggarai"),
    )
    auth.log_out()
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    args = ["--home", str(store.home), "--user", ADMIN, "household", "timeline", hid]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "Tidak ditetapkan oleh Kemensos: Tidak lolos verifikasi lapangan "
        f"({date_short(TODAY + dt.timedelta(days=1))})."
    )
    assert lines[1].startswith("NIK/No. KK keluarga ini juga terdaftar di Kelurahan Manggarai")
    number = households.load_household(hid)["registration_number"]
    assert lines[2] == f"{day(0)}  Terdaftar  oleh Admin Kelurahan  (No. registrasi {number})"
    assert lines[-2].startswith(f"{day(1)}  Ditolak  oleh Dinas Sosial")
    assert "(alasan: Tidak lolos verifikasi lapangan)" in lines[-2]
    assert HEAD_NIK not in "\n".join(lines)
    assert main([*args, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["household_id"] == hid
    assert [e["step"] for e in printed["entries"]][-2:] == [REJECTED, DUPLICATE_NOTICE]
    assert main([*args[:-1], "no-such-household"]) != 0
    assert "tidak ditemukan" in capsys.readouterr().err
