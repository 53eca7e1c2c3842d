"""Attachments as user actions (issue 18): KTP/KK scans and house photos of a household, the
signed BA scan of a musyawarah. Part of the service layer.

Roles: `attachment.add` and `attachment.view` (petugas, pendamping, supervisor),
`attachment.delete` (supervisor; not on a Dinsos installation). A deleted attachment leaves a
tombstone that travels in bundles. Adding, saving one to a file and deleting are written to the
audit log with the attachment's id, kind, size and hash prefix, never its content or a name.
The file is checked and shrunk in memory first (`app/services/attachment_files.py`); the bytes
are stored inside the encrypted database (`app/db/attachments.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

from app.core.document import new_id, now_iso
from app.core.errors import UserError
from app.db import attachments, audit, households, meetings
from app.db.attachments import AttachmentRecord
from app.db.connection import database
from app.paths import AppPaths
from app.services import installation, outputs
from app.services.actions import AuthError, Officer, require
from app.services.attachment_files import JPEG, PDF, AttachmentError, prepare, read_file

# kind -> Indonesian label
KINDS = {
    "ktp": "Pindaian KTP",
    "kk": "Pindaian Kartu Keluarga",
    "house-front": "Foto rumah tampak depan",
    "house-inside": "Foto bagian dalam rumah",
    "ba-scan": "Pindaian berita acara bertanda tangan",
}
HOUSEHOLD_KINDS = ("ktp", "kk", "house-front", "house-inside")
MEETING_KINDS = ("ba-scan",)
PDF_KINDS = frozenset({"ktp", "kk", "ba-scan"})  # scans; photos must be images
EXTENSIONS = {JPEG: ".jpg", PDF: ".pdf"}


# What a list shows of an attachment (no bytes): the stored reference itself.
Attachment = AttachmentRecord


def kind_label(kind: str) -> str:
    """The Indonesian name of an attachment kind."""
    return KINDS.get(kind, kind)


def file_extension(mime: str) -> str:
    """The file-name extension for saving an attachment of this type."""
    return EXTENSIONS.get(mime, "")


def _known_kind(kind: str) -> str:
    if kind not in KINDS:
        raise AttachmentError(
            f"Jenis lampiran {kind!r} tidak dikenal. Pilihan: {', '.join(KINDS)}.",
            f"unknown attachment kind {kind!r}; choose one of {', '.join(KINDS)}",
        )
    return kind


def _owner(owner_id: str, kind: str) -> tuple[str | None, str | None]:
    """(household_id, meeting_id) of the attachment; refused when the owner is not stored."""
    if kind in MEETING_KINDS:
        meeting = meetings.get(owner_id)
        if meeting is None:
            raise UserError(f"Musyawarah {owner_id} tidak ditemukan.", f"no meeting {owner_id}")
        if not meeting.locked:  # the signed BA exists only once the results are locked
            raise UserError(
                "Pindaian BA hanya untuk musyawarah yang sudah dikunci.",
                f"meeting {owner_id} is not locked: a signed BA scan needs a locked meeting",
            )
        return None, owner_id
    if not households.exists(owner_id):
        raise UserError(
            f"Keluarga {owner_id} tidak ditemukan (simpan dulu sebagai draf).",
            f"no household {owner_id} (save it first)",
        )
    return owner_id, None


def _audit_detail(record: AttachmentRecord) -> dict[str, object]:
    detail: dict[str, object] = {
        "attachment": record.id,
        "kind": record.kind,
        "size": record.size,
        "sha256": record.sha256[:12],
    }
    if record.meeting_id:
        detail["meeting"] = record.meeting_id
    return detail


def add_attachment(owner_id: str, data: bytes, kind: str, officer: Officer | None) -> Attachment:
    """Check, shrink and store a file for a household (or, kind `ba-scan`, a meeting), with
    its audit entry, in one transaction. Nothing is stored when anything is refused."""
    who = require(officer, "attachment.add")
    _known_kind(kind)
    household_id, meeting_id = _owner(owner_id, kind)
    ready = prepare(data, allow_pdf=kind in PDF_KINDS)
    record = AttachmentRecord(
        new_id(),
        household_id,
        meeting_id,
        kind,
        ready.mime,
        ready.sha256,
        len(ready.data),
        ready.width,
        ready.height,
        who.username,
        now_iso(),
        True,
    )
    with database.atomic():
        attachments.insert(record, ready.data)
        audit.append(
            "attachment.add",
            officer=who.username,
            household_id=household_id,
            detail=_audit_detail(record),
        )
    return record


def add_file(
    owner_id: str, path: str | os.PathLike[str], kind: str, officer: Officer | None
) -> Attachment:
    """`add_attachment` for a file (read bounded, in memory)."""
    require(officer, "attachment.add")  # before the file is read
    return add_attachment(owner_id, read_file(path), kind, officer)


def list_attachments(owner_id: str, officer: Officer | None) -> list[Attachment]:
    """The attachments of a household or a meeting, oldest first."""
    require(officer, "attachment.view")
    return attachments.of_owner(owner_id)


def _record(attachment_id: str) -> AttachmentRecord:
    record = attachments.get(attachment_id)
    if record is None or record.deleted:
        raise UserError(
            f"Lampiran {attachment_id} tidak ditemukan.", f"no attachment {attachment_id}"
        )
    return record


def _bytes(record: AttachmentRecord) -> bytes:
    data = attachments.data(record.sha256)
    if data is None:
        raise UserError(
            "Isi lampiran ini belum ada di loket ini (paket dikirim tanpa lampiran).",
            "this attachment's content is not stored here (a bundle sent without attachments)",
        )
    return data


def content(attachment_id: str, officer: Officer | None) -> tuple[Attachment, bytes]:
    """An attachment and its (decrypted) bytes, for showing in memory."""
    require(officer, "attachment.view")
    record = _record(attachment_id)
    return record, _bytes(record)


def export_attachment(
    attachment_id: str,
    target: str | os.PathLike[str],
    officer: Officer | None,
    *,
    force: bool = False,
    paths: AppPaths | None = None,
) -> Path:
    """Write an attachment to a file the user chose (never the database's files or the
    backups: `outputs.check_output`), recorded in the audit log."""
    who = require(officer, "attachment.view")
    record = _record(attachment_id)
    data = _bytes(record)
    with outputs.staged_output(target, data, force=force, paths=paths) as path:
        audit.append(
            "attachment.export",
            officer=who.username,
            household_id=record.household_id,
            detail=_audit_detail(record),
        )
    return path


def delete_attachment(attachment_id: str, officer: Officer | None) -> Attachment:
    """Delete an attachment: its reference becomes a tombstone (who, when) that travels in the
    next bundle (app/services/sync/attachments.py), its bytes are dropped unless another
    attachment holds the same bytes."""
    who = require(officer, "attachment.delete")
    if installation.is_dinsos():  # DESIGN §11: registration data and meetings are not Dinsos'
        raise AuthError(
            "Lampiran dihapus di kelurahan; instalasi Dinas Sosial hanya menerimanya.",
            "attachments are deleted at the kelurahan; a Dinsos installation only receives them",
        )
    with database.atomic():
        record = _record(attachment_id)
        attachments.mark_deleted(record.id, now_iso(), who.username)
        audit.append(
            "attachment.delete",
            officer=who.username,
            household_id=record.household_id,
            detail=_audit_detail(record),
        )
    return record


def stored_totals() -> tuple[int, int]:
    """(attachments, bytes stored) in this database (for the benchmark and support)."""
    return attachments.totals()
