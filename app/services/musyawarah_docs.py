"""The musyawarah kelurahan's papers as user actions (issue 17): berita acara, undangan, daftar
hadir, pengumuman (role `musyawarah.plan`). As with receipts, a paper is first *prepared* (read,
render: nothing written) and then *issued* once written or printed: the audit entry
`musyawarah.print` and, for the berita acara of an open meeting, the verification code that
paper carries (locking needs the BA printed with exactly the decisions it locks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module

from app.core.errors import UserError
from app.db import audit, meetings
from app.db.connection import database
from app.receipts.formatting import parse_date
from app.receipts.musyawarah_content import Attendee, Line, MeetingPaper
from app.services import installation
from app.services.actions import Officer, require
from app.services.musyawarah import agenda, chair_name, get_meeting
from app.services.musyawarah_lock import verification

PROVINCE = "DKI Jakarta"
BERITA_ACARA = "berita-acara"
# paper -> (module, function) in app/receipts: reportlab loads on first use
PAPERS: dict[str, tuple[str, str]] = {
    BERITA_ACARA: ("app.receipts.musyawarah_ba", "render_berita_acara"),
    "undangan": ("app.receipts.musyawarah_letters", "render_undangan"),
    "daftar-hadir": ("app.receipts.musyawarah_letters", "render_daftar_hadir"),
    "pengumuman": ("app.receipts.musyawarah_letters", "render_pengumuman"),
}


@dataclass(frozen=True)
class MeetingDocument:
    meeting_id: str
    kind: str
    verification: str
    pdf: bytes


def meeting_paper(meeting_id: str, officer: Officer | None) -> MeetingPaper:
    """What the meeting's papers say, gathered from the store."""
    found = agenda(meeting_id, officer)
    meeting = found.meeting
    village = installation.village(meeting.village_code)
    if village is None:
        raise UserError("Kelurahan musyawarah ini tidak dikenal.", "unknown kelurahan")
    people = meetings.participants(meeting.id)
    corrects = meetings.get(meeting.corrects) if meeting.corrects else None
    day = parse_date(meeting.date)
    assert day is not None  # stored by create_meeting from a checked date
    return MeetingPaper(
        meeting_id=meeting.id,
        kelurahan=village.name,
        kecamatan=village.district,
        kota=village.city,
        province=PROVINCE,
        date=day,
        time=meeting.time,
        place=meeting.place,
        rw=meeting.rw,
        minutes_number=meeting.minutes_number,
        chair=chair_name(meeting, people),
        attendees=tuple(Attendee(p.name, p.role, p.represents) for p in people),
        lines=tuple(
            Line(
                r.registration_number,
                r.head_name or "-",
                r.rw,
                r.rt,
                r.address,
                r.member_count,
                r.decision,
                r.reason,
            )
            for r in found.households
        ),
        verification=verification(meeting),
        locked=meeting.locked,
        corrects_number=corrects.minutes_number if corrects else None,
        printed_at=dt.datetime.now(dt.UTC),
        counts=found.counts,
    )


def prepare_document(
    meeting_id: str, kind: str, officer: Officer | None, rw: int | None = None
) -> MeetingDocument:
    """Render one of the meeting's papers (`PAPERS`); writes nothing. `rw`: the pengumuman of
    that RW only."""
    require(officer, "musyawarah.plan")
    if kind not in PAPERS:
        raise UserError(
            f"Dokumen tidak dikenal. Pilihan: {', '.join(PAPERS)}.",
            f"unknown document; one of {', '.join(PAPERS)}",
        )
    paper = meeting_paper(meeting_id, officer)
    module, function = PAPERS[kind]
    render = getattr(import_module(module), function)
    pdf: bytes = render(paper, rw) if kind == "pengumuman" else render(paper)
    return MeetingDocument(meeting_id, kind, paper.verification, pdf)


def issue_document(document: MeetingDocument, officer: Officer | None) -> None:
    """Record that the paper was written or printed (audited). A berita acara of an open
    meeting also records its verification code: the list that paper carries may be locked."""
    officer = require(officer, "musyawarah.plan")
    meeting = get_meeting(document.meeting_id)
    with database.atomic():
        if document.kind == BERITA_ACARA and not meeting.locked:
            meetings.update(meeting.id, printed_verification=document.verification)
        audit.append(
            "musyawarah.print",
            officer=officer.username,
            detail={
                "meeting": meeting.id,
                "document": document.kind,
                "verification": document.verification,
            },
        )
