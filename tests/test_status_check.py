"""*Cek status* at the counter (issue 19): a registration number, the receipt's QR as a USB
scanner types it, or a NIK gives the status in one line; a NIK shows nothing else of the
household, one not found is named masked; every look-up is audited without the NIK; the slip
prints."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, officer_named
from helpers.households import head, household

from app.cli.main import main
from app.core import status_lookup
from app.core.dinsos_events import DETERMINED, IN_SIKS_NG, TARGET_LIST, VERIFIED, event
from app.core.errors import UserError
from app.db import audit
from app.receipts.content import verification_code
from app.services import auth, households, status_check
from app.services.actions import AuthError

HEAD_NIK = "3174016705800004"
UNKNOWN_NIK = "3174019999990001"


def registered() -> dict:
    return households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)


def status_checks() -> list[audit.Entry]:
    return [e for e in audit.entries() if e.action == "status.check"]


def pdf_text(pdf: bytes) -> str:
    found = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True)
    return found.stdout.decode()


def test_what_was_typed_or_scanned_is_read():
    number = "3174011001-399F0205-000001"
    qr = f"DTKS:{number}:0123456789ABCDEF"
    assert status_lookup.parse(number) == status_lookup.Lookup("registration", number)
    assert status_lookup.parse(f" {number.lower()}\n") == status_lookup.Lookup(
        "registration", number
    )
    # a scanner typing on another layout or with Caps Lock, ending with Enter
    for scanned in (qr, qr.lower() + "\r\n", qr.replace(":", ";")):
        assert status_lookup.parse(scanned) == status_lookup.Lookup(
            "qr", number, "0123456789ABCDEF"
        )
    assert status_lookup.parse("3174 0167 0580 0004") == status_lookup.Lookup("nik", HEAD_NIK)
    for bad in ("", "Nur Hasanah", "317401670580000", "DTKS:xyz", "3174011001-399F0205"):
        assert status_lookup.parse(bad) is None


def test_each_status_in_a_residents_words():
    def line(doc, applying=()):
        return status_lookup.resident_status(doc, applying).line(lambda day: f"<{day}>")

    assert line({"status": "registered"}) == "Menunggu musyawarah kelurahan."
    assert line({"status": "matched"}) == "Menunggu musyawarah kelurahan."
    assert line({"status": "excluded"}, ["car"]) == "Tidak dapat diusulkan (mobil)."
    assert line({"status": "draft"}).startswith("Pendaftaran belum selesai")
    eligible = {"status": "eligible", "musyawarah": {"date": "2026-11-05"}}
    assert line(eligible).startswith("Layak menurut musyawarah kelurahan")
    listed = {**eligible, "dinsos_events": [event(TARGET_LIST, "2026-11-09", "Dinsos")]}
    assert line(listed).endswith("(<2026-11-09>).")
    in_siks = {**listed, "status": "in_siks_ng",
               "dinsos_events": [event(IN_SIKS_NG, "2026-11-12", "Dinsos")]}  # fmt: skip
    assert line(in_siks) == "Sedang diverifikasi Kemensos (<2026-11-12>)."
    verified = {"status": "verified", "dinsos_events": [event(VERIFIED, "2026-11-15", "D")]}
    assert line(verified).startswith("Sudah diverifikasi; menunggu penetapan Kemensos")
    done = {"status": "determined", "dinsos_events": [event(DETERMINED, "2026-11-20", "D")]}
    assert line(done) == "Sudah ditetapkan sebagai penerima (<2026-11-20>)."
    withdrawn = {"status": "withdrawn", "withdrawal": {"at": "2026-11-02T01:00:00Z"}}
    assert line(withdrawn).startswith("Pendaftaran ini dibatalkan (ditarik)")
    assert line({"status": "registered", "deleted": True}).startswith("Data pendaftaran ini")
    postponed = status_lookup.resident_status({"status": "matched"}, (), "2026-12-03")
    assert postponed.line(lambda day: f"<{day}>") == (
        "Ditunda pada musyawarah kelurahan <2026-12-03>; akan dibahas lagi."
    )
    assert postponed.line(lambda day: "") == "Ditunda pada musyawarah kelurahan; akan dibahas lagi."


def test_a_household_postponed_in_the_last_locked_musyawarah_says_so(store, admin):
    import datetime as dt

    from test_sync_meetings import locked_meeting

    from app.receipts.formatting import date_or_dash

    doc = registered()
    locked_meeting(admin, {doc["household_id"]: "postpone"}, day=3)
    on = date_or_dash((dt.date.today() + dt.timedelta(days=3)).isoformat())
    said = f"Ditunda pada musyawarah kelurahan {on}; akan dibahas lagi."
    assert status_check.check_status(doc["registration_number"], admin).line == said
    assert status_check.check_status(HEAD_NIK, admin).line == said
    locked_meeting(admin, {doc["household_id"]: "eligible"}, day=10)  # decided at the next one
    line = status_check.check_status(HEAD_NIK, admin).line
    assert line.startswith("Layak menurut musyawarah kelurahan")


def test_a_registration_number_or_qr_shows_status_and_timeline(store, admin):
    doc = registered()
    number = doc["registration_number"]

    by_number = status_check.check_status(number, officer_named("budi", "petugas"))

    assert by_number.found and by_number.line == "Menunggu musyawarah kelurahan."
    assert by_number.timeline is not None and by_number.timeline.entries[0].what == "Terdaftar"
    assert by_number.note == ""
    scanned = f"DTKS:{number}:{verification_code(doc)}".lower() + "\n"
    by_qr = status_check.check_status(scanned, officer_named("rina", "pendamping"))
    assert by_qr.found and by_qr.line == by_number.line and by_qr.note == ""
    forged = status_check.check_status(f"DTKS:{number}:0000000000000000", admin)
    assert forged.found and forged.note == status_check.OTHER_RECEIPT
    details = [(e.officer, e.household_id, e.detail) for e in status_checks()]
    assert details == [
        ("budi", doc["household_id"], {"by": "registration", "found": True}),
        ("rina", doc["household_id"], {"by": "qr", "found": True}),
        (ADMIN, doc["household_id"], {"by": "qr", "found": True}),
    ]
    missing = status_check.check_status("3174011001-399F0205-999999", admin)
    assert not missing.found and "tidak ditemukan" in missing.line and missing.timeline is None


def test_a_nik_shows_the_status_line_only_and_never_the_nik(store, admin):
    doc = registered()

    found = status_check.check_status(HEAD_NIK, officer_named("budi", "petugas"))

    assert found.found and found.line == "Menunggu musyawarah kelurahan."
    assert found.timeline is None and found.subject == "NIK 3174********0004"
    shown = json.dumps(found.as_json())
    for private in (HEAD_NIK, "Nur Hasanah", doc["registration_number"], doc["no_kk"]):
        assert private not in shown
    unknown = status_check.check_status(UNKNOWN_NIK, admin)
    assert not unknown.found and unknown.timeline is None
    assert unknown.line == "NIK 3174********0001 tidak terdaftar di kelurahan ini."
    assert [e.detail for e in status_checks()] == [
        {"by": "nik", "found": True},
        {"by": "nik", "found": False},
    ]
    every_entry = json.dumps([e.detail for e in audit.entries()])
    assert UNKNOWN_NIK not in every_entry and HEAD_NIK not in json.dumps(
        [e.detail for e in status_checks()]
    )


def test_a_nik_of_a_withdrawn_and_a_registered_household_names_the_registered(store, admin):
    first = registered()
    withdrawn = households.load_household(first["household_id"])
    withdrawn["status"] = "withdrawn"
    withdrawn["withdrawal"] = {"reason": "Salah daftar", "by": ADMIN, "at": "2026-11-01T00:00Z"}
    households.import_household(withdrawn, admin)
    again = households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    assert again["household_id"] != first["household_id"]
    touched = households.load_household(first["household_id"])  # the newest change now
    households.import_household({**touched, "address": "Jl. Melati 7"}, admin)
    rows = households.search_households(HEAD_NIK, -1)
    assert rows[0].id == first["household_id"]  # the search's order would name it first
    assert status_check.check_status(HEAD_NIK, admin).line == "Menunggu musyawarah kelurahan."


def test_refusals_say_one_line_and_record_nothing(store, admin):
    registered()
    count = audit.verify()[0]
    with pytest.raises(UserError) as refused:
        status_check.check_status("Nur Hasanah 31740167", admin)
    assert str(refused.value) == status_lookup.NOT_UNDERSTOOD
    assert "Nur" not in str(refused.value)
    with pytest.raises(AuthError):
        status_check.check_status(HEAD_NIK, None)
    assert audit.verify() == (count, None)


def test_the_slip_prints_the_status_and_the_timeline(store, admin):
    doc = registered()
    check = status_check.check_status(doc["registration_number"], admin)
    text = pdf_text(status_check.status_slip(check, admin))
    assert "CEK STATUS PENDAFTARAN DTKS" in text and "Menunggu musyawarah kelurahan." in text
    assert "Terdaftar" in text and "Admin Kelurahan" in text and "Tebet Timur" in text
    by_nik = status_check.check_status(HEAD_NIK, admin)
    text = pdf_text(status_check.status_slip(by_nik, admin))
    assert "NIK 3174********0004" in text and HEAD_NIK not in text
    assert "Riwayat" not in text and "Nur Hasanah" not in text
    with pytest.raises(AuthError):
        status_check.status_slip(check, None)


def test_the_cli_answers_in_one_line_and_exits_1_when_not_found(store, admin, capsys, monkeypatch):
    doc = registered()
    auth.log_out()
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    args = ["--home", str(store.home), "--user", ADMIN, "status"]
    assert main([*args, doc["registration_number"]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Menunggu musyawarah kelurahan." and "Terdaftar  oleh Admin" in lines[1]
    assert main([*args, HEAD_NIK]) == 0
    assert capsys.readouterr().out == "Menunggu musyawarah kelurahan.\n"
    assert main([*args, UNKNOWN_NIK, "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["found"] is False and UNKNOWN_NIK not in json.dumps(printed)
    assert main([*args, "siapa saja"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.splitlines()) == 1
