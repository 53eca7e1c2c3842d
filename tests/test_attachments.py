"""Attachments (issue 18): photos and scans stored encrypted inside the database, shrunk and
stripped of EXIF on entry; hostile files refused with nothing stored; roles; the CLI."""

from __future__ import annotations

import io
import json
import random
import re

import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, log_in_again
from PIL import Image

from app.cli import main as cli
from app.core.document import new_member
from app.db import audit as audit_log
from app.services import attachments, auth, backups, households, musyawarah
from app.services.actions import AuthError, Officer
from app.services.attachment_files import MAX_INPUT_BYTES, TARGET_BYTES, AttachmentError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# a JPEG's start as Pillow (and most cameras' JFIF files) write it, and a camera JPEG starting
# with its EXIF block: long enough that encrypted bytes never match them by chance
JFIF = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
EXIF_JPEG = re.compile(rb"\xff\xd8\xff\xe1..Exif\x00\x00", re.DOTALL)
GPS_IFD = 0x8825


def noisy_photo(width: int = 3000, height: int = 2000, fmt: str = "JPEG", gps: bool = True):
    """A camera-like photo: noise over a gradient (so it does not compress away), with EXIF
    carrying a GPS position when `gps`."""
    rng = random.Random(width * height)
    small = Image.frombytes(
        "RGB",
        (width // 8, height // 8),
        bytes(rng.randrange(256) for _ in range(width * height * 3 // 64)),
    )
    image = small.resize((width, height), Image.Resampling.BILINEAR)
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"  # Make
    if gps:
        exif[GPS_IFD] = {1: "S", 2: (6.0, 14.0, 30.0), 3: "E", 4: (106.0, 51.0, 10.0)}
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


def small_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def family(store):
    doc = households.new_household()  # a draft: attachments need a stored household only
    doc["no_kk"] = "3174010101260001"
    doc["members"] = [new_member(nik="3174015708850003", name="Dewi Lestari", relationship=1)]
    return households.save_household(doc, final=False, officer=ADMIN_OFFICER)


def stored_state():
    return attachments.stored_totals(), audit_log.verify()[0]


def test_a_photo_is_shrunk_stripped_and_comes_back(family, tmp_path):
    photo = noisy_photo()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)  # the input has a position
    added = attachments.add_attachment(family["household_id"], photo, "house-front", ADMIN_OFFICER)

    # at most 1600 px, the aspect kept; over the size budget: lower quality, then 1280 px
    assert added.mime == "image/jpeg" and (added.width, added.height) in ((1600, 1067), (1280, 854))
    assert added.size <= TARGET_BYTES or added.width == 1280
    listed = attachments.list_attachments(family["household_id"], ADMIN_OFFICER)
    assert [a.id for a in listed] == [added.id]
    shown, data = attachments.content(added.id, ADMIN_OFFICER)
    assert shown.sha256 == added.sha256 and len(data) == added.size
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (added.width, added.height)
    assert not image.getexif()  # no EXIF at all: no GPS, no camera
    assert b"Exif" not in data[:200] and b"KameraHP" not in data

    out = attachments.export_attachment(added.id, tmp_path / "rumah.jpg", ADMIN_OFFICER)
    assert out.read_bytes() == data
    actions = [e.action for e in audit_log.entries(family["household_id"])]
    assert actions.count("attachment.add") == 1 and actions.count("attachment.export") == 1
    entry = [e for e in audit_log.entries(family["household_id"]) if e.action.startswith("att")]
    assert entry[0].detail == {
        "attachment": added.id,
        "kind": "house-front",
        "size": added.size,
        "sha256": added.sha256[:12],
    }  # no name, no NIK, no content


def test_a_photo_within_the_budget_keeps_1600_px(family):
    out = io.BytesIO()
    Image.linear_gradient("L").resize((4000, 3000)).convert("RGB").save(out, "PNG")
    added = attachments.add_attachment(family["household_id"], out.getvalue(), "ktp", ADMIN_OFFICER)
    assert (added.width, added.height) == (1600, 1200) and added.size <= TARGET_BYTES


def test_exif_orientation_is_applied_before_it_is_dropped(family):
    image = Image.new("RGB", (400, 200), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    added = attachments.add_attachment(family["household_id"], out.getvalue(), "ktp", ADMIN_OFFICER)
    assert (added.width, added.height) == (200, 400)


def test_nothing_in_the_home_is_readable_after_adding_photos(family, store):
    """Grep every file of the home (database, WAL, key file, backups, logs) for the photos."""
    jpeg = noisy_photo(1200, 900)
    png = noisy_photo(800, 600, fmt="PNG")
    first = attachments.add_attachment(family["household_id"], jpeg, "house-front", ADMIN_OFFICER)
    attachments.add_attachment(family["household_id"], png, "house-inside", ADMIN_OFFICER)
    attachments.add_attachment(family["household_id"], small_pdf(), "kk", ADMIN_OFFICER)
    _shown, stored = attachments.content(first.id, ADMIN_OFFICER)
    backups.take_backup(store, ADMIN_OFFICER)

    files = [p for p in store.home.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert any(n.endswith("-wal") for n in names) and any(p.parent.name == "backups" for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in (JFIF, PNG_SIGNATURE, b"%PDF-1.4", b"KameraHP"):
            assert needle not in data, f"{needle!r} readable in {path.name}"
        assert not EXIF_JPEG.search(data), f"a camera JPEG readable in {path.name}"
        assert stored[200:232] not in data and jpeg[500:532] not in data
        assert png[100:132] not in data


def test_refused_files_store_nothing(family, tmp_path):
    hid = family["household_id"]
    before = stored_state()
    big = tmp_path / "besar.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + bytes(MAX_INPUT_BYTES))
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, "PNG")  # 144 MP in a few kB
    truncated = noisy_photo(600, 400)[:1500]
    text = tmp_path / "foto.jpg"
    text.write_text("bukan gambar", encoding="utf-8")
    cases = [
        (lambda: attachments.add_file(hid, big, "ktp", ADMIN_OFFICER), "terlalu besar"),
        (lambda: attachments.add_file(hid, text, "ktp", ADMIN_OFFICER), "bukan gambar"),
        (
            lambda: attachments.add_attachment(hid, bomb.getvalue(), "ktp", ADMIN_OFFICER),
            "megapiksel",
        ),
        (lambda: attachments.add_attachment(hid, truncated, "ktp", ADMIN_OFFICER), "bukan gambar"),
        (lambda: attachments.add_attachment(hid, b"", "ktp", ADMIN_OFFICER), "kosong"),
        (
            lambda: attachments.add_attachment(hid, small_pdf(), "house-front", ADMIN_OFFICER),
            "bukan PDF",
        ),
        (
            lambda: attachments.add_attachment(hid, small_pdf()[:20], "kk", ADMIN_OFFICER),
            "PDF rusak",
        ),
        (lambda: attachments.add_attachment(hid, small_pdf(), "selfie", ADMIN_OFFICER), "Jenis"),
    ]
    for call, why in cases:
        with pytest.raises(AttachmentError, match=why) as refused:
            call()
        assert "\n" not in str(refused.value) and len(str(refused.value)) < 200
    with pytest.raises(Exception, match="tidak ditemukan"):
        attachments.add_attachment("no-such-household", noisy_photo(300, 200), "ktp", ADMIN_OFFICER)
    assert stored_state() == before
    assert attachments.list_attachments(hid, ADMIN_OFFICER) == []


def test_roles(family):
    hid = family["household_id"]
    petugas = Officer("budi", "Budi", "petugas")
    pendamping = Officer("sari", "Sari", "pendamping")
    supervisor = Officer("rina", "Rina", "supervisor")
    added = attachments.add_attachment(hid, noisy_photo(300, 200), "ktp", petugas)
    attachments.add_attachment(hid, noisy_photo(300, 200, gps=False), "kk", pendamping)
    assert len(attachments.list_attachments(hid, pendamping)) == 2
    before = stored_state()
    for who in (petugas, pendamping, None):
        with pytest.raises(AuthError):
            attachments.delete_attachment(added.id, who)
    with pytest.raises(AuthError):
        attachments.add_attachment(hid, noisy_photo(300, 200), "ktp", None)
    with pytest.raises(AuthError):
        attachments.content(added.id, None)
    assert stored_state() == before
    attachments.delete_attachment(added.id, supervisor)
    assert [a.kind for a in attachments.list_attachments(hid, supervisor)] == ["kk"]


def test_same_bytes_are_stored_once_and_kept_while_referenced(family):
    hid = family["household_id"]
    photo = noisy_photo(500, 400)
    one = attachments.add_attachment(hid, photo, "house-front", ADMIN_OFFICER)
    two = attachments.add_attachment(hid, photo, "house-inside", ADMIN_OFFICER)
    assert one.sha256 == two.sha256
    assert attachments.stored_totals() == (2, one.size)
    attachments.delete_attachment(one.id, ADMIN_OFFICER)
    assert attachments.content(two.id, ADMIN_OFFICER)[1]  # the other reference keeps the bytes
    attachments.delete_attachment(two.id, ADMIN_OFFICER)
    assert attachments.stored_totals() == (0, 0)


def test_a_signed_ba_scan_belongs_to_a_locked_meeting(family):
    from test_sync_meetings import family as registered
    from test_sync_meetings import locked_meeting

    meeting = musyawarah.create_meeting("2026-12-07", "Aula kelurahan", ADMIN_OFFICER)
    with pytest.raises(Exception, match="sudah dikunci"):  # no signed BA before the lock
        attachments.add_attachment(meeting.id, small_pdf(), "ba-scan", ADMIN_OFFICER)
    assert attachments.list_attachments(meeting.id, ADMIN_OFFICER) == []
    decided = registered(ADMIN_OFFICER, "Ani")["household_id"]
    mid = locked_meeting(ADMIN_OFFICER, {decided: "eligible"})
    scan = attachments.add_attachment(mid, small_pdf(), "ba-scan", ADMIN_OFFICER)
    assert scan.mime == "application/pdf" and scan.owner_id == mid
    assert [a.id for a in attachments.list_attachments(mid, ADMIN_OFFICER)] == [scan.id]
    with pytest.raises(Exception, match="tidak ditemukan"):
        attachments.add_attachment(family["household_id"], small_pdf(), "ba-scan", ADMIN_OFFICER)


# --- the command line ----------------------------------------------------------------------


def app(paths, *args: str) -> int:
    return cli.main(["--home", str(paths.home), "--user", ADMIN, *args])


def test_cli_add_list_export_delete(family, store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    hid = family["household_id"]
    auth.log_out()
    photo = tmp_path / "ktp.png"
    photo.write_bytes(noisy_photo(2400, 1500, fmt="PNG"))
    assert app(store, "attachment", "add", hid, str(photo), "--kind", "ktp") == 0
    assert "image/jpeg" in capsys.readouterr().out
    assert app(store, "attachment", "list", hid, "--json") == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["kind"], listed["stored"]) == ("ktp", True) and listed["width"] in (1600, 1280)
    assert app(store, "attachment", "list", hid) == 0
    assert listed["sha256"][:12] in capsys.readouterr().out

    out = tmp_path / "ktp.jpg"
    assert app(store, "attachment", "export", listed["id"], "--out", str(out)) == 0
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"
    assert app(store, "attachment", "export", listed["id"], "--out", str(out)) == 2  # exists
    assert app(store, "attachment", "export", listed["id"], "--out", str(store.db)) == 2

    bad = tmp_path / "rusak.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0garbage")
    capsys.readouterr()
    assert app(store, "attachment", "add", hid, str(bad), "--kind", "kk") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: not a readable image") and err.count("\n") == 1

    assert app(store, "attachment", "delete", listed["id"]) == 0
    log_in_again(store)
    assert attachments.list_attachments(hid, ADMIN_OFFICER) == []
