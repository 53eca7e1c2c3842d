"""Attachments in households bundles (issue 18). Every bundle carries the references of its
households (`attachment` records: id, household, kind, mime, SHA-256, size, pixels, who, when);
with `with_attachments` also one `attachment_blob` record per distinct SHA-256 (the bytes, in
base64), counted in the manifest as `attachments` and `attachment_blobs`.

The receiver checks each blob's SHA-256 and size (the bound of app/services/attachment_files.py)
as it streams in: a mismatch refuses the whole bundle. References are taken after the
households: only from a peer whose kind may change registration data (DESIGN §11: laptops and
kelurahan, not Dinsos) and only for households stored here (a household the bundle's sender
may not change was rejected, and so are its references). A reference without its bytes is
valid ("isi belum diterima"); a later bundle with attachments fills them in. Bytes no
reference holds are dropped before the transaction ends.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from app.bundle.file import BundleError
from app.core import ownership
from app.core.errors import UserError
from app.db import attachments as stored
from app.db import households
from app.db.attachments import AttachmentRecord
from app.services.actions import Officer
from app.services.attachment_files import JPEG, MAX_PDF_BYTES, PDF
from app.services.attachments import HOUSEHOLD_KINDS
from app.services.households import set_house_photo
from app.services.sync.carried import RECORD

REFERENCE, BLOB = "attachment", "attachment_blob"
MAX_BYTES = MAX_PDF_BYTES  # the largest thing stored: a scanned PDF kept as it is
_SHA = re.compile(r"[0-9a-f]{64}")
_TEXTS = ("id", "household_id", "kind", "mime", "sha256", "added_by", "added_at")


def update_house_photo_flags(officer: Officer) -> int:
    """Bring each household's `house_photo` flag in line with its house-front photos, as an
    ordinary save (revision, audit, field ownership), before a bundle is written. Done here,
    not when a photo is added: the photos are added from the open household form, whose next
    save would then edit a version no longer stored (a conflict)."""
    done = 0
    for household_id, present in stored.house_photo_out_of_date():
        try:
            set_house_photo(household_id, present, officer)
        except UserError:  # withdrawn, or not this role's to change: left as it is
            continue
        done += 1
    return done


def records(carried: set[str], since: str, with_blobs: bool) -> Iterator[dict[str, Any]]:
    """The references of the `carried` households and those added since `since` (the time of
    the last bundle to the peer: a photo added changes no household), then (with
    `with_blobs`) their bytes."""
    found = stored.for_bundle(carried, since)
    for r in found:
        yield {RECORD: REFERENCE, "id": r.id, "household_id": r.household_id, "kind": r.kind,
               "mime": r.mime, "sha256": r.sha256, "size": r.size, "width": r.width,
               "height": r.height, "added_by": r.added_by, "added_at": r.added_at}  # fmt: skip
    if not with_blobs:
        return
    for sha in dict.fromkeys(r.sha256 for r in found if r.has_data):
        data = stored.data(sha)
        if data is not None:
            yield {RECORD: BLOB, "sha256": sha, "data": base64.b64encode(data).decode()}


def _bad(message: str) -> BundleError:
    return BundleError("attachment", message)


def _reference(record: dict[str, Any]) -> AttachmentRecord:
    for key in _TEXTS:
        if not isinstance(record.get(key), str) or len(record[key]) > 200:
            raise _bad(f"an attachment record has no valid {key}")
    size, width, height = record.get("size"), record.get("width"), record.get("height")
    if not isinstance(size, int) or not 0 < size <= MAX_BYTES:
        raise _bad("an attachment record has no valid size")
    if not all(v is None or (isinstance(v, int) and 0 < v < 100_000) for v in (width, height)):
        raise _bad("an attachment record has invalid pixel sizes")
    if record["kind"] not in HOUSEHOLD_KINDS or record["mime"] not in (JPEG, PDF):
        raise _bad("an attachment record has an unknown kind or type")
    if not _SHA.fullmatch(record["sha256"]):
        raise _bad("an attachment record has no valid SHA-256")
    return AttachmentRecord(record["id"], record["household_id"], None, record["kind"],
                            record["mime"], record["sha256"], size, width, height,
                            record["added_by"], record["added_at"], False)  # fmt: skip


def _blob(record: dict[str, Any]) -> tuple[str, bytes]:
    sha, text = record.get("sha256"), record.get("data")
    if not isinstance(sha, str) or not _SHA.fullmatch(sha) or not isinstance(text, str):
        raise _bad("an attachment blob record is malformed")
    if len(text) > (MAX_BYTES + 2) // 3 * 4:
        raise _bad("an attachment is larger than any attachment stored")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _bad("an attachment blob is not base64") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise _bad("an attachment's bytes do not match its SHA-256")
    return sha, data


class AttachmentReceiver:
    """Blobs are checked and stored as they stream (memory stays bounded); references are
    kept for `finish`, after the households were applied."""

    def __init__(self, sender_kind: str | None):
        self.kind = sender_kind
        self.references: list[AttachmentRecord] = []
        self.blobs: list[str] = []  # SHA-256s stored by this bundle, new here

    def add(self, record: dict[str, Any]) -> None:
        if record.get(RECORD) == REFERENCE:
            self.references.append(_reference(record))
            return
        sha, data = _blob(record)
        if stored.put_blob(sha, data):
            self.blobs.append(sha)

    def finish(self) -> tuple[int, int, int]:
        """(references taken, blobs taken, references rejected)."""
        may = self.kind is not None and ownership.kind_may(self.kind, ownership.REGISTRATION)
        taken = rejected = 0
        for ref in self.references:
            assert ref.household_id is not None
            if not may or not households.exists(ref.household_id):
                rejected += 1
            elif stored.add_reference(ref):
                taken += 1
        dropped = stored.drop_unreferenced(self.blobs)
        return taken, len(self.blobs) - dropped, rejected
