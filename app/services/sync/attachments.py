"""Attachments in households bundles (issue 18). Every bundle carries the references of its
households and of its locked meetings (the signed BA scan): `attachment` records with id,
household or meeting, kind, mime, SHA-256, size, pixels, who, when, and for a deleted one its
tombstone (`deleted_at`, `deleted_by`); with `with_attachments` also one `attachment_blob`
record per distinct SHA-256 of the live ones (the bytes, in base64), counted in the manifest as
`attachments` and `attachment_blobs`. Bundle format 3 (app/bundle/file.py): a format 2 reader
would take a tombstone as a live reference.

The receiver checks each blob's SHA-256 and size (the bound of app/services/attachment_files.py)
as it streams in: a mismatch refuses the whole bundle. References are taken after the
households and meetings, only from a peer whose kind owns them (DESIGN §11: a household's are
registration data, laptops and kelurahan, not Dinsos; a meeting's BA scan the kelurahan's) and
only for households and meetings stored here; the same owner may delete them (a tombstone
marks the reference here deleted and drops its bytes). References are immutable: one received
again (an older bundle) changes nothing, so a deleted one never comes back. A reference
without its bytes is valid ("isi belum diterima"); a later bundle with attachments fills them
in. Bytes no live reference holds are dropped before the transaction ends.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from app.bundle.file import BundleError
from app.core import musyawarah as words
from app.core import ownership
from app.core.errors import UserError
from app.db import attachments as stored
from app.db import households, meetings
from app.db.attachments import AttachmentRecord
from app.services.actions import Officer
from app.services.attachment_files import JPEG, MAX_PDF_BYTES, PDF
from app.services.attachments import HOUSEHOLD_KINDS, MEETING_KINDS
from app.services.households import set_house_photo
from app.services.sync.carried import RECORD

REFERENCE, BLOB = "attachment", "attachment_blob"
MAX_BYTES = MAX_PDF_BYTES  # the largest thing stored: a scanned PDF kept as it is
_SHA = re.compile(r"[0-9a-f]{64}")
_TEXTS = ("id", "kind", "mime", "sha256", "added_by", "added_at")


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


def _travels(record: AttachmentRecord) -> bool:
    """A household's reference always may; a meeting's (its signed BA scan) only when the
    meeting is this installation's own and locked (DESIGN §11: the kelurahan's)."""
    if record.meeting_id is None:
        return True
    meeting = meetings.get(record.meeting_id)
    return meeting is not None and meeting.status == words.LOCKED


def records(
    carried: set[str], carried_meetings: set[str], since: str, with_blobs: bool
) -> Iterator[dict[str, Any]]:
    """The references of the `carried` households and meetings and those added or deleted
    since `since` (the time of the last bundle to the peer: a photo added or deleted changes no
    household), deleted ones as tombstones; then (with `with_blobs`) the bytes of the live ones.
    Call it after the households and meetings were yielded: the sets are filled as they are."""
    found = [r for r in stored.for_bundle(carried | carried_meetings, since) if _travels(r)]
    for r in found:
        record = {RECORD: REFERENCE, "id": r.id, "kind": r.kind, "mime": r.mime,
                  "sha256": r.sha256, "size": r.size, "width": r.width, "height": r.height,
                  "added_by": r.added_by, "added_at": r.added_at}  # fmt: skip
        if r.household_id is not None:
            record["household_id"] = r.household_id
        else:
            record["meeting_id"] = r.meeting_id
        if r.deleted:
            record.update(deleted_at=r.deleted_at, deleted_by=r.deleted_by)
        yield record
    if not with_blobs:
        return
    for sha in dict.fromkeys(r.sha256 for r in found if r.has_data and not r.deleted):
        data = stored.data(sha)
        if data is not None:
            yield {RECORD: BLOB, "sha256": sha, "data": base64.b64encode(data).decode()}


def _bad(message: str) -> BundleError:
    return BundleError("attachment", message)


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= 200:
        raise _bad(f"an attachment record has no valid {key}")
    return value


def _reference(record: dict[str, Any]) -> AttachmentRecord:
    for key in _TEXTS:
        _text(record, key)
    household, meeting = record.get("household_id"), record.get("meeting_id")
    if (household is None) == (meeting is None):
        raise _bad("an attachment record belongs to no household or meeting, or to both")
    owner = _text(record, "household_id" if meeting is None else "meeting_id")
    size, width, height = record.get("size"), record.get("width"), record.get("height")
    if not isinstance(size, int) or not 0 < size <= MAX_BYTES:
        raise _bad("an attachment record has no valid size")
    if not all(v is None or (isinstance(v, int) and 0 < v < 100_000) for v in (width, height)):
        raise _bad("an attachment record has invalid pixel sizes")
    kinds = HOUSEHOLD_KINDS if meeting is None else MEETING_KINDS
    if record["kind"] not in kinds or record["mime"] not in (JPEG, PDF):
        raise _bad("an attachment record has an unknown kind or type")
    if not _SHA.fullmatch(record["sha256"]):
        raise _bad("an attachment record has no valid SHA-256")
    deleted = None
    if record.get("deleted_at") is not None or record.get("deleted_by") is not None:
        deleted = (_text(record, "deleted_at"), _text(record, "deleted_by"))
    return AttachmentRecord(record["id"], owner if meeting is None else None,
                            owner if meeting is not None else None, record["kind"],
                            record["mime"], record["sha256"], size, width, height,
                            record["added_by"], record["added_at"], False,
                            *(deleted or (None, None)))  # fmt: skip


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

    def _may(self, ref: AttachmentRecord) -> bool:
        """Whether the sender's kind owns the attachment (DESIGN §11: a household's are
        registration data, laptops and kelurahan; a meeting's BA scan is the kelurahan's) and
        its household or meeting is stored here. The owner may send it and may delete it."""
        if self.kind is None:
            return False
        if ref.household_id is not None:
            may = ownership.kind_may(self.kind, ownership.REGISTRATION)
            return may and households.exists(ref.household_id)
        may = ownership.kind_may(self.kind, ownership.MUSYAWARAH)
        return may and stored.meeting_known(ref.owner_id)

    def finish(self) -> tuple[int, int, int, int]:
        """(references taken, blobs taken, references rejected, attachments deleted here).
        Call it after the households and meetings were stored."""
        taken = rejected = deleted = 0
        for ref in self.references:
            if not self._may(ref):
                rejected += 1
            elif stored.add_reference(ref):  # a tombstone not seen before is kept as one
                taken += not ref.deleted
            elif ref.deleted_at is not None and ref.deleted_by is not None:
                deleted += stored.mark_deleted(ref.id, ref.deleted_at, ref.deleted_by)
        dropped = stored.drop_unreferenced(self.blobs)
        return taken, len(self.blobs) - dropped, rejected, deleted
