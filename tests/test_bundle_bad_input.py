"""Bad bundles (issue 6): each is refused with a clear message, and the receiving database is
byte for byte what it was before."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from sync_support import Installation, exchange, register

from app.bundle import file as bundle_file
from app.bundle.file import MANIFEST, PAYLOAD, SIGNATURE
from app.bundle.keys import Identity, PublicKey, fingerprint, from_file
from app.core.document import now_iso
from app.db.connection import wait_for_checkpoint
from app.services.sync import imports as bundles
from app.services.sync import keys as service
from app.services.sync.errors import MESSAGES, SyncError


@dataclass
class World:
    sender: Installation
    receiver: Installation
    good: Path
    sender_identity: Identity
    sender_key: PublicKey
    receiver_key: PublicKey
    tmp: Path

    def forge(self, name: str, records, **changes) -> Path:
        """A bundle the sender really signed, with manifest fields of our choosing."""
        fields = {
            "format": bundle_file.FORMAT,
            "format_version": bundle_file.FORMAT_VERSION,
            "schema_version": 1,
            "kind": "households",
            "bundle_id": str(uuid.uuid4()),
            "created_at": now_iso(),
            "sender": {
                "device_id": self.sender_key.device_id,
                "fingerprint": fingerprint(self.sender_key),
                "name": "laptop",
                "kelurahan": None,
            },
            "recipients": [fingerprint(self.receiver_key), fingerprint(self.sender_key)],
            "kelurahan": "31.74.01.1001",
            "sequence": 50,
            "previous": None,
            "counts": {"households": len(records), "conflict_versions": 0},
            **changes,
        }
        path = self.tmp / name
        to = [self.receiver_key.age_recipient, self.sender_key.age_recipient]
        bundle_file.write(path, fields, records, self.sender_identity.signing_key, to)
        return path

    def entries(self, path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as zf:
            return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(path: Path, entries: dict[str, bytes], compress=zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compress) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("sync")
    sender, receiver = Installation(root, "laptop"), Installation(root, "kelurahan")
    exchange((sender, receiver))
    with sender:
        for name in ("Ani", "Budi", "Citra"):
            register(name)
        good = sender.export(receiver)
        identity, key = service.identity(), service.own_public_key()
    return World(sender, receiver, good, identity, key, from_file(receiver.key_file), root)


def stored_bytes(inst: Installation) -> dict[str, bytes]:
    db = inst.paths.db
    files = [db, db.with_name(db.name + "-wal")]
    return {f.name: f.read_bytes() for f in files if f.exists()}


def refused(world: World, path: Path, reason: str | None) -> SyncError:
    """Import `path` into the receiver: it must be refused (for `reason`, when given), with
    the message for that reason, changing nothing."""
    with world.receiver as inst:
        before = stored_bytes(inst)
        [result] = bundles.import_bundles(inst.paths, [path], inst.officer)
        assert stored_bytes(inst) == before
    assert isinstance(result, SyncError), result
    assert result.reason == (reason or result.reason), (result.reason, result.detail)
    expected = MESSAGES[result.reason].format(fingerprint=fingerprint(world.sender_key))
    assert str(result) == expected
    return result


def test_a_flipped_byte_anywhere_is_caught(world):
    data = world.good.read_bytes()
    bad = world.tmp / "flipped.bundle"
    with world.receiver:
        for position in range(len(data)):
            flipped = bytearray(data)
            flipped[position] ^= 0x10
            bad.write_bytes(flipped)
            with pytest.raises(SyncError):
                bundles.check(bad)
    for position in (5, len(data) // 2, len(data) - 30):  # a few through the whole import
        flipped = bytearray(data)
        flipped[position] ^= 0x10
        bad.write_bytes(flipped)
        assert refused(world, bad, None)


@pytest.mark.parametrize("keep", [0, 21, 0.5, -1])
def test_a_truncated_file_is_refused(world, keep):
    data = world.good.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    bad = world.tmp / "truncated.bundle"
    bad.write_bytes(data[:cut])
    assert "terpotong" in str(refused(world, bad, "damaged"))


def test_a_manifest_edited_after_signing_is_refused(world):
    entries = world.entries(world.good)
    entries[MANIFEST] = entries[MANIFEST].replace(b'"sequence": 1', b'"sequence": 9')
    refused(world, rezip(world.tmp / "edited.bundle", entries), "signature")


def test_a_payload_swapped_from_another_bundle_is_refused(world):
    other = world.forge("other.bundle", [])
    entries = world.entries(world.good)
    entries[PAYLOAD] = world.entries(other)[PAYLOAD]
    refused(world, rezip(world.tmp / "swapped.bundle", entries), "payload")


def test_a_bundle_for_another_recipient_is_refused(world):
    stranger = world.forge("stranger.bundle", [], recipients=[fingerprint(world.sender_key)])
    assert "instalasi lain" in str(refused(world, stranger, "recipient"))


def test_an_unknown_sender_is_refused_with_its_fingerprint(world):
    stranger = Installation(world.tmp, "stranger")
    stranger.trusts(world.receiver)
    with stranger:
        path = stranger.export(world.receiver)
        shown = service.own_fingerprint()
    with world.receiver as inst:
        [result] = bundles.import_bundles(inst.paths, [path], inst.officer)
    assert result.reason == "unknown_sender"
    assert shown in str(result) and shown in result.detail


def test_a_replayed_bundle_changes_nothing_and_says_when_it_came(world):
    with world.receiver as inst:
        [first] = bundles.import_bundles(inst.paths, [world.good], inst.officer)
        wait_for_checkpoint()  # the WAL into the file: a thread does it after an import
        before = stored_bytes(inst)
        [again] = bundles.import_bundles(inst.paths, [world.good], inst.officer)
        assert stored_bytes(inst) == before
    assert again.already_imported_at is not None and again.bundle_id == first.bundle_id


def test_a_newer_format_version_is_refused(world):
    newer = world.forge("newer.bundle", [], format_version=bundle_file.FORMAT_VERSION + 1)
    assert "lebih baru" in str(refused(world, newer, "version"))
    schema = world.forge("schema3.bundle", [], schema_version=3)
    refused(world, schema, "version")


def test_a_file_that_is_not_a_zip_is_refused(world):
    bad = world.tmp / "notes.bundle"
    bad.write_text("Daftar hadir musyawarah kelurahan\n")
    refused(world, bad, "damaged")


def test_unsafe_entry_names_are_refused(world):
    entries = world.entries(world.good)
    refused(world, rezip(world.tmp / "dotdot.bundle", {**entries, "../loket.db": b"x"}), "layout")
    entries[f"../{PAYLOAD}"] = entries.pop(PAYLOAD)
    refused(world, rezip(world.tmp / "moved.bundle", entries), "layout")


def test_zip_bombs_and_absurd_sizes_are_refused(world):
    entries = world.entries(world.good)
    bomb = {**entries, PAYLOAD: bytes(50_000_000)}  # 50 MB of zeros deflate to ~50 KB
    path = rezip(world.tmp / "bomb.bundle", bomb, zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 200_000
    refused(world, path, "layout")
    huge_manifest = {**entries, MANIFEST: b" " * 1_000_000 + entries[MANIFEST]}
    refused(world, rezip(world.tmp / "huge.bundle", huge_manifest), "size")
    entries[SIGNATURE] = entries[SIGNATURE] * 2
    refused(world, rezip(world.tmp / "sig.bundle", entries), "size")


def test_documents_that_fail_the_schema_are_refused_whole(world):
    with world.sender:
        good_doc = register("Dewi")
    bad_doc = {**good_doc, "household_id": str(uuid.uuid4()), "rw": "tiga"}
    path = world.forge("schema.bundle", [good_doc, bad_doc])
    result = refused(world, path, "schema")
    assert bad_doc["household_id"] in result.detail and "rw" in result.detail
    no_revision = {**good_doc, "household_id": str(uuid.uuid4()), "rev": None, "revs": []}
    refused(world, world.forge("norev.bundle", [good_doc, no_revision]), "schema")
    refused(world, world.forge("notdoc.bundle", [good_doc, [1, 2]]), "schema")


def test_a_stored_bundle_that_cannot_be_read_at_all_is_refused(world):
    refused(world, world.tmp / "does-not-exist.bundle", "missing")


def test_garbage_in_the_zip_comment_is_caught(world):
    data = bytearray(world.good.read_bytes())
    data[-2:] = (4).to_bytes(2, "little")  # comment length in the end record
    bad = world.tmp / "comment.bundle"
    bad.write_bytes(bytes(data) + b"evil")
    refused(world, bad, "damaged")


def test_inspect_reads_the_manifest_without_decrypting(world):
    with world.receiver:
        shown = bundles.inspect(world.good)
    assert shown["manifest"]["recipient_name"] == "kelurahan"
    assert shown["signature"] == "valid, signed by laptop"
    entries = world.entries(world.good)
    entries[MANIFEST] = entries[MANIFEST].replace(b'"sequence": 1', b'"sequence": 9')
    with world.receiver:
        assert bundles.inspect(rezip(world.tmp / "e.bundle", entries))["signature"].startswith(
            "NOT VALID"
        )


def test_an_implausible_sequence_jump_is_refused(world):
    """A trusted sender's `sequence: 5000000` once made a 44 MB list of "missing" bundles."""
    jump = world.forge("jump.bundle", [], sequence=5_000_000)
    result = refused(world, jump, "sequence")
    assert "5000000" in result.detail and len(result.detail) < 200
    near = world.forge("near.bundle", [], sequence=bundles.MAX_SEQUENCE_JUMP)  # still plausible
    with world.receiver as inst:
        [report] = bundles.import_bundles(inst.paths, [near], inst.officer, dry_run=True)
    assert isinstance(report, bundles.ImportReport), report
    assert len(report.missing) < bundles.MAX_SEQUENCE_JUMP
