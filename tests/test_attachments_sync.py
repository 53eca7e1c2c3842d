"""Attachments in bundles (issue 18): the references of a bundle's households always travel,
their bytes only with `--with-attachments`; the receiver checks every blob's SHA-256, keeps
references only for households the sender may change, and stores everything encrypted."""

from __future__ import annotations

import hashlib

import pytest
from conftest import ADMIN, ADMIN_PASSWORD
from sync_support import Installation, exchange, register
from test_attachments import JFIF, noisy_photo

from app.bundle import file as bundle_file
from app.cli.main import main as cli_main
from app.core.errors import UserError
from app.db.connection import database
from app.services import attachments, households
from app.services.sync import imports as bundles
from app.services.sync.errors import SyncError
from app.services.sync.export import export_bundle


@pytest.fixture
def pair(tmp_path):
    laptop = Installation(tmp_path, "laptop1")
    kelurahan = Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    return laptop, kelurahan


def _photographed(laptop: Installation) -> tuple[str, dict[str, str]]:
    """A household on the laptop with a KTP scan and a house photo: (id, kind -> sha256)."""
    with laptop:
        hid = register("Dewi Lestari")["household_id"]
        ktp = attachments.add_attachment(
            hid, noisy_photo(900, 600, gps=False), "ktp", laptop.officer
        )
        front = noisy_photo(1200, 900)
        house = attachments.add_attachment(hid, front, "house-front", laptop.officer)
    return hid, {"ktp": ktp.sha256, "house-front": house.sha256}


def _contents(inst: Installation, hid: str) -> dict[str, bytes | None]:
    with inst:
        found = {}
        for a in attachments.list_attachments(hid, inst.officer):
            found[a.kind] = attachments.content(a.id, inst.officer)[1] if a.has_data else None
        return found


def test_a_ktp_scan_and_house_photo_survive_the_round_trip_unreadable_on_disk(pair):
    laptop, kelurahan = pair
    hid, sent = _photographed(laptop)
    with laptop:
        out = laptop.outbox / "with.bundle"
        export_bundle(kelurahan.name, out, laptop.officer, with_attachments=True)
        assert households.load_household(hid)["house_photo"] is True  # set at export
    counts = bundle_file.read_manifest(out)[0]["counts"]
    assert (counts["attachments"], counts["attachment_blobs"]) == (2, 2)
    with kelurahan:
        [report] = kelurahan.take(out)
        assert (report.carried.attachments, report.carried.attachment_blobs) == (2, 2)
        assert households.load_household(hid)["house_photo"] is True
    got = _contents(kelurahan, hid)
    assert {k: hashlib.sha256(v or b"").hexdigest() for k, v in got.items()} == sent
    assert got == _contents(laptop, hid)  # the same bytes
    files = [p for p in kelurahan.paths.home.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert JFIF not in path.read_bytes(), path.name


def test_without_attachments_only_references_travel_and_a_later_bundle_fills_them(
    pair, monkeypatch
):
    laptop, kelurahan = pair
    hid, sent = _photographed(laptop)
    first = laptop.export(kelurahan)
    counts = bundle_file.read_manifest(first)[0]["counts"]
    assert counts["attachments"] == 2 and "attachment_blobs" not in counts
    with kelurahan:
        kelurahan.take(first)
    assert _contents(kelurahan, hid) == {"ktp": None, "house-front": None}
    with kelurahan:
        [ktp] = [a for a in attachments.list_attachments(hid, kelurahan.officer) if a.kind == "ktp"]
        with pytest.raises(UserError, match="belum ada"):
            attachments.content(ktp.id, kelurahan.officer)
    # the CLI's flag: nothing changed since, yet the bytes not sent yet travel now
    later = laptop.outbox / "later.bundle"
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    home = str(laptop.paths.home)
    args = ["export", "--to", kelurahan.name, "--out", str(later), "--with-attachments"]
    code = cli_main(["--home", home, "--user", ADMIN, "bundle", *args])
    assert code == 0
    assert bundle_file.read_manifest(later)[0]["counts"]["attachment_blobs"] == 2
    with kelurahan:
        [report] = kelurahan.take(later)
        assert (report.carried.attachments, report.carried.attachment_blobs) == (0, 2)
    got = _contents(kelurahan, hid)
    assert {k: hashlib.sha256(v or b"").hexdigest() for k, v in got.items()} == sent


def test_a_tampered_blob_refuses_the_bundle_with_one_line(pair):
    laptop, kelurahan = pair
    hid, sent = _photographed(laptop)
    with laptop:  # the laptop's stored bytes no longer match their hash (damage, or an attack)
        database.execute_sql(
            "UPDATE attachment_blob SET data = ? WHERE sha256 = ?", (b"\xff\xd8forged", sent["ktp"])
        )
        out = laptop.outbox / "tampered.bundle"
        export_bundle(kelurahan.name, out, laptop.officer, with_attachments=True)
    with kelurahan:
        [result] = bundles.import_bundles(kelurahan.paths, [out], kelurahan.officer)
        assert isinstance(result, SyncError)
        assert "lampiran" in str(result) and "\n" not in str(result) and "Dewi" not in str(result)
        assert not households.is_stored(hid)  # nothing of the bundle was kept
        assert attachments.stored_totals() == (0, 0)


def test_a_laptop_cannot_attach_to_households_it_may_not_change(tmp_path):
    laptop = Installation(tmp_path, "laptop2", village="31.74.01.1002")  # another kelurahan's
    kelurahan = Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    hid, _sent = _photographed(laptop)
    with laptop:
        out = laptop.outbox / "other.bundle"
        export_bundle(kelurahan.name, out, laptop.officer, with_attachments=True)
    with kelurahan:
        [report] = kelurahan.take(out)
        assert report.rejected and report.carried.attachments_rejected == 2
        assert (report.carried.attachments, report.carried.attachment_blobs) == (0, 0)
        assert attachments.stored_totals() == (0, 0)  # no reference, and no bytes left over


def test_the_send_dialogs_checkbox_carries_the_bytes(qtbot, pair, tmp_path):
    from app.ui.runner import Runner
    from app.ui.sync.dialogs import ExportDialog

    laptop, kelurahan = pair
    _photographed(laptop)
    with laptop:
        dialog = ExportDialog(Runner(synchronous=True), laptop.officer)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.attachments.isVisible() and not dialog.attachments.isChecked()
        dialog.attachments.setChecked(True)
        dialog.set_path(tmp_path / "dengan-lampiran.bundle")
        dialog.send.click()
        dialog.close()
    counts = bundle_file.read_manifest(tmp_path / "dengan-lampiran.bundle")[0]["counts"]
    assert (counts["attachments"], counts["attachment_blobs"]) == (2, 2)
