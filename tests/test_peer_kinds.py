"""Peers are trusted as a kind (issue 15, DESIGN §11): a bundle may change only the fields its
sender's kind owns; the rest of that household is rejected with a reason, in the report and in
the acknowledgement. Registration numbers are bound to the device code inside them."""

from __future__ import annotations

import pytest
from conftest import ADMIN, ADMIN_OFFICER, TEST_VILLAGE
from helpers.families import household
from sync_support import Installation, exchange

from app.cli.main import main
from app.core.revisions import next_revision
from app.db import bundle_log, registration
from app.db import households as rows
from app.services import households, installation, overrides
from app.services.sync import imports as bundles
from app.services.sync.export import export_ack

DECIDED = {"decision": "not_poor", "date": "2025-01-10", "minutes_number": "BA-7/2025"}


@pytest.fixture
def pair(tmp_path):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    return laptop, kelurahan


def _with_car() -> dict:
    doc = household()
    doc["assets"]["car"] = True
    return households.save_household(doc, final=True, officer=ADMIN_OFFICER)


def _decide(hid: str) -> None:
    doc = households.load_household(hid)
    households.save_household({**doc, "musyawarah": DECIDED}, final=False, officer=ADMIN_OFFICER)


def _make_eligible(hid: str) -> None:
    doc = households.load_household(hid)
    households.save_household({**doc, "status": "eligible"}, final=False, officer=ADMIN_OFFICER)


def _override(hid: str) -> None:
    overrides.override_exclusion(
        hid, "car", "Mobil sudah dijual tahun lalu menurut BPKB", "AJB 12/2024", ADMIN_OFFICER
    )


def _delete(hid: str) -> None:
    households.delete_household(hid, "Salah input, keluarga ganda", ADMIN_OFFICER)


CHANGES = {
    "musyawarah": _decide,
    "status": _make_eligible,
    "exclusion_overrides": _override,
    "deleted": _delete,
}


def _shared(sender: Installation, receiver: Installation) -> str:
    """A household registered at the sender and taken in by the receiver."""
    with sender:
        hid = _with_car()["household_id"]
        bundle = sender.export(receiver)
    with receiver:
        [report] = receiver.take(bundle)
        assert report.counts["new"] == 1
    return hid


@pytest.mark.parametrize("field", list(CHANGES))
def test_a_laptop_bundle_cannot_decide_what_the_kelurahan_owns(field, pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with kelurahan:
        before = households.load_household(hid)
    with laptop:
        CHANGES[field](hid)
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["rejected"] == 1
        [(rejected_id, reason)] = report.rejected
        assert rejected_id == hid and "trusted as laptop may not change" in reason
        assert field in reason
        assert households.load_household(hid) == before
        ack = kelurahan.outbox / "ack.bundle"
        export_ack("laptop", ack, kelurahan.officer)
    with laptop:
        laptop.take(ack)
        [outcome] = [o for o in bundle_log.outcomes(_bundle_id(bundle)) if o[0] == hid]
        assert outcome[2] == "rejected" and field in (outcome[3] or "")


def _bundle_id(path) -> str:
    return str(bundles.inspect(path)["manifest"]["bundle_id"])


@pytest.mark.parametrize("field", list(CHANGES))
def test_a_kelurahan_bundle_may(field, pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with kelurahan:
        CHANGES[field](hid)
        changed = households.load_household(hid)
        bundle = kelurahan.export(laptop)
    with laptop:
        [report] = laptop.take(bundle)
        assert report.counts["updated"] == 1 and not report.rejected
        assert households.load_household(hid) == changed


def test_an_update_cannot_move_a_household_to_another_kelurahan(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with kelurahan:
        before = households.load_household(hid)
    with laptop:  # a tampered laptop: the app itself never moves a household
        moved = households.load_household(hid)
        rows.save(next_revision({**moved, "village_code": "31.74.01.1002"}))
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["rejected"] == 1 and "village_code" in report.rejected[0][1]
        assert households.load_household(hid) == before


def test_a_bundle_cannot_take_this_devices_registration_numbers(pair):
    laptop, kelurahan = pair
    with kelurahan:
        code = installation.device_code()
    with laptop:  # a tampered laptop numbers a household with the kelurahan's device code
        doc = household()
        doc["registration_number"] = registration.format_number(TEST_VILLAGE, code, 1)
        doc["status"] = "registered"
        rows.save(next_revision(doc))
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["rejected"] == 1
        assert "registration_number" in report.rejected[0][1]
        mine = households.save_household(household(), final=True, officer=ADMIN_OFFICER)
        assert mine["registration_number"] == registration.format_number(TEST_VILLAGE, code, 1)


def test_a_peer_cannot_renumber_a_household(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with laptop:
        doc = households.load_household(hid)
        number = doc["registration_number"].rsplit("-", 1)[0] + "-000099"
        rows.save(next_revision({**doc, "registration_number": number}))
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert "registration_number" in report.rejected[0][1]


def test_registration_data_from_a_laptop_still_arrives(pair):
    laptop, kelurahan = pair
    hid = _shared(laptop, kelurahan)
    with laptop:
        doc = households.load_household(hid)
        households.save_household(
            {**doc, "address": "Jl. Baru No. 1"}, final=True, officer=ADMIN_OFFICER
        )
        bundle = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["updated"] == 1
        assert households.load_household(hid)["address"] == "Jl. Baru No. 1"


def test_keys_trust_needs_a_kind_and_keys_show_names_it(pair, tmp_path, capsys, monkeypatch):
    laptop, kelurahan = pair
    other = Installation(tmp_path, "dinsos")
    key = tmp_path / "dinsos.key"
    key.write_bytes(other.key_file)
    monkeypatch.setenv("LOKET_PASSWORD", "rahasia-admin-1")
    cli = ["--home", str(kelurahan.paths.home), "--user", ADMIN]
    trust = [*cli, "keys", "trust", str(key), "--name", "Dinsos DKI", "--yes"]
    for wrong in ([], ["--as", "mayor"]):  # --as is required, one of the three kinds
        with pytest.raises(SystemExit) as exit_:
            main([*trust, *wrong])
        assert exit_.value.code == 2
    assert main([*trust, "--as", "dinsos"]) == 0
    capsys.readouterr()
    assert main([*cli, "keys", "show"]) == 0
    out = capsys.readouterr().out
    assert "Dinsos DKI" in out and "as dinsos" in out and "as laptop" in out
