"""Attachments travelling (issue 18, second part): a deletion travels as a tombstone of the
reference and an older bundle does not bring the attachment back; the signed BA scan of a
musyawarah travels with its meeting; bundle format 3, with format 2 still read and 4 refused.
All on real encrypted homes exchanging real bundle files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sync_support import Installation, exchange
from test_attachments import JFIF, small_pdf
from test_attachments_sync import _contents, _photographed, pair  # noqa: F401 (a fixture)
from test_sync_meetings import dinsos_of, family, locked_meeting

from app.bundle import file as bundle_file
from app.core.errors import UserError
from app.db import attachments as stored
from app.services import attachments, households, installation
from app.services.sync import imports as bundles
from app.services.sync.errors import SyncError
from app.services.sync.export import export_bundle


def _with_blobs(sender: Installation, to: Installation, name: str) -> Path:
    out = sender.outbox / name
    with sender:
        export_bundle(to.name, out, sender.officer, full=True, with_attachments=True)
    return out


def _no_jpeg_on_disk(inst: Installation) -> None:
    files = [p for p in inst.paths.home.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert JFIF not in path.read_bytes(), path.name


def test_a_deletion_travels_and_an_older_bundle_does_not_bring_it_back(pair):  # noqa: F811
    laptop, kelurahan = pair
    hid, sent = _photographed(laptop)
    first = _with_blobs(laptop, kelurahan, "first.bundle")
    older = _with_blobs(laptop, kelurahan, "older.bundle")  # taken only after the deletion
    with kelurahan:
        kelurahan.take(first)
    assert set(_contents(kelurahan, hid)) == {"ktp", "house-front"}
    with laptop:
        [ktp] = [a for a in attachments.list_attachments(hid, laptop.officer) if a.kind == "ktp"]
        attachments.delete_attachment(ktp.id, laptop.officer)
        assert stored.data(sent["ktp"]) is None  # gone here at once
    later = laptop.export(kelurahan)  # no bytes asked for: the tombstone travels anyway
    with kelurahan:
        [report] = kelurahan.take(later)
        assert report.carried.attachments_deleted == 1
        tomb = stored.get(ktp.id)
        assert tomb is not None and tomb.deleted and tomb.deleted_by == laptop.officer.username
        assert stored.data(sent["ktp"]) is None  # the bytes are dropped
        with pytest.raises(UserError, match="tidak ditemukan"):
            attachments.content(ktp.id, kelurahan.officer)
        [report] = kelurahan.take(older)  # the live reference and its bytes again
        assert (report.carried.attachments, report.carried.attachments_deleted) == (0, 0)
        assert stored.data(sent["ktp"]) is None and stored.get(ktp.id).deleted
    got = _contents(kelurahan, hid)
    assert list(got) == ["house-front"]
    assert hashlib.sha256(got["house-front"] or b"").hexdigest() == sent["house-front"]
    _no_jpeg_on_disk(kelurahan)
    # and back: the kelurahan's next bundle to the laptop carries the tombstone, no resurrection
    back = kelurahan.export(laptop, full=True)
    with laptop:
        laptop.take(back)
        assert [a.kind for a in attachments.list_attachments(hid, laptop.officer)] == [
            "house-front"
        ]


def test_a_tombstone_from_a_peer_that_does_not_own_the_attachment_is_refused(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        hid = family(kelurahan.officer, "Ani")["household_id"]
        scan = attachments.add_attachment(hid, small_pdf(), "ktp", kelurahan.officer)
    to_dinsos = _with_blobs(kelurahan, dinsos, "to-dinsos.bundle")
    with dinsos:
        installation.set_dinsos(None, dinsos.officer)
        dinsos.take(to_dinsos)
        with pytest.raises(UserError, match="Dinas Sosial"):  # Dinsos does not delete them
            attachments.delete_attachment(scan.id, dinsos.officer)
        stored.mark_deleted(scan.id, "2026-11-30T12:00:00+07:00", "dinsos-admin")  # forced
    with dinsos:
        back = dinsos.export(kelurahan, full=True)
    with kelurahan:
        [report] = kelurahan.take(back)
        assert report.carried.attachments_deleted == 0
        assert report.carried.attachments_rejected >= 1
        assert [a.id for a in attachments.list_attachments(hid, kelurahan.officer)] == [scan.id]
        assert attachments.content(scan.id, kelurahan.officer)[1] == small_pdf()


def test_the_signed_ba_scan_travels_with_its_meeting(qtbot, tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        hid = family(kelurahan.officer, "Ani")["household_id"]
        mid = locked_meeting(kelurahan.officer, {hid: "eligible"})
        scan = attachments.add_attachment(mid, small_pdf(), "ba-scan", kelurahan.officer)
        refs_only = kelurahan.export(dinsos)
    counts = bundle_file.read_manifest(refs_only)[0]["counts"]
    assert counts["attachments"] == 1 and "attachment_blobs" not in counts
    with dinsos:
        [report] = dinsos.take(refs_only)
        assert report.carried.meetings == 1 and report.carried.attachments == 1
        [seen] = attachments.list_attachments(mid, dinsos.officer)  # on the received meeting
        assert (seen.id, seen.kind, seen.meeting_id, seen.has_data) == (
            scan.id,
            "ba-scan",
            mid,
            False,
        )
    with_bytes = _with_blobs(kelurahan, dinsos, "ba-with-bytes.bundle")
    with dinsos:
        [report] = dinsos.take(with_bytes)
        assert report.carried.attachment_blobs == 1
        assert attachments.content(scan.id, dinsos.officer)[1] == small_pdf()
        assert b"%PDF-1.4\n1 0 obj" not in dinsos.paths.db.read_bytes()  # encrypted
        # and on screen: the received meeting's *Lihat pindaian BA…*, read-only
        from app.ui.musyawarah.received_panel import ReceivedPanel
        from app.ui.runner import Runner

        panel = ReceivedPanel(Runner(synchronous=True), dinsos.officer)
        qtbot.addWidget(panel)
        panel.reload()
        assert panel.scan_button.isEnabled() and panel.meetings_table.rowCount() == 1
        dialog = panel.open_scan()
        assert dialog is not None and dialog.items.count() == 1
        assert "Pindaian berita acara" in dialog.items.item(0).text()
        assert "belum diterima" not in dialog.items.item(0).text()
        assert dialog.add_button.isHidden() and dialog.remove_button.isHidden()
        dialog.close()


def test_a_meetings_scan_is_not_taken_from_a_laptop(pair):  # noqa: F811
    laptop, kelurahan = pair
    with laptop:
        hid = family(laptop.officer, "Budi")["household_id"]
        mid = locked_meeting(laptop.officer, {hid: "eligible"})
        attachments.add_attachment(mid, small_pdf(), "ba-scan", laptop.officer)
    out = _with_blobs(laptop, kelurahan, "laptop-meeting.bundle")
    with kelurahan:
        [report] = kelurahan.take(out)
        assert report.carried.attachments_rejected == 1
        assert attachments.list_attachments(mid, kelurahan.officer) == []
        assert attachments.stored_totals() == (0, 0)


def test_format_2_bundles_are_still_read_and_format_4_refused(pair, monkeypatch):  # noqa: F811
    laptop, kelurahan = pair
    hid, sent = _photographed(laptop)
    assert bundle_file.FORMAT_VERSION == 3
    with monkeypatch.context() as patched:  # as an installation of the previous release writes
        patched.setattr(bundle_file, "FORMAT_VERSION", 2)
        old = _with_blobs(laptop, kelurahan, "format2.bundle")
    assert bundle_file.read_manifest(old)[0]["format_version"] == 2
    with monkeypatch.context() as patched:  # as a newer release would write
        patched.setattr(bundle_file, "FORMAT_VERSION", 4)
        newer = _with_blobs(laptop, kelurahan, "format4.bundle")
    with kelurahan:
        [result] = bundles.import_bundles(kelurahan.paths, [newer], kelurahan.officer)
        assert isinstance(result, SyncError) and result.reason == "version"
        assert "Perbarui aplikasi" in str(result) and "\n" not in str(result)
        assert not households.is_stored(hid)
        [report] = kelurahan.take(old)
        assert (report.carried.attachments, report.carried.attachment_blobs) == (2, 2)
    got = _contents(kelurahan, hid)
    assert {k: hashlib.sha256(v or b"").hexdigest() for k, v in got.items()} == sent


def test_bundle_import_prints_the_attachments_deleted(pair, capsys, monkeypatch):  # noqa: F811
    from conftest import ADMIN, ADMIN_PASSWORD

    from app.cli.main import main

    laptop, kelurahan = pair
    hid, _sent = _photographed(laptop)
    first = _with_blobs(laptop, kelurahan, "first.bundle")
    with kelurahan:
        kelurahan.take(first)
    with laptop:
        [ktp] = [a for a in attachments.list_attachments(hid, laptop.officer) if a.kind == "ktp"]
        attachments.delete_attachment(ktp.id, laptop.officer)
    later = laptop.export(kelurahan)
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    capsys.readouterr()
    home = str(kelurahan.paths.home)
    assert main(["--home", home, "--user", ADMIN, "bundle", "import", str(later)]) == 0
    [line] = [s for s in capsys.readouterr().out.splitlines() if "attachments:" in s]
    assert "0 new, 0 contents received, 1 deleted, 0 rejected" in line
