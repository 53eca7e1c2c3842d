"""What the musyawarah kelurahan's papers say (issue 17): the values the service gathers for the
berita acara, the undangan, the daftar hadir and the pengumuman. Pure: no reportlab here, no
database. No NIK is ever part of these papers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.core import musyawarah as words


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str  # code of app.core.musyawarah.PARTICIPANT_ROLES
    represents: str | None

    @property
    def role_label(self) -> str:
        label = words.PARTICIPANT_ROLES.get(self.role, self.role)
        return f"{label} ({self.represents})" if self.represents else label


@dataclass(frozen=True)
class Line:
    """A household on the meeting's papers: head, where, what was decided."""

    registration_number: str | None
    head_name: str
    rw: int | None
    rt: int | None
    address: str | None
    member_count: int
    decision: str | None
    reason: str | None

    @property
    def rw_rt(self) -> str:
        return f"{self.rw or 0:03d}/{self.rt or 0:03d}"

    @property
    def decision_label(self) -> str:
        return words.DECISIONS.get(self.decision or "", "Belum diputuskan")


@dataclass(frozen=True)
class MeetingPaper:
    meeting_id: str
    kelurahan: str
    kecamatan: str
    kota: str
    province: str
    date: dt.date
    time: str | None
    place: str
    rw: int | None
    minutes_number: str | None
    chair: str | None
    attendees: tuple[Attendee, ...]
    lines: tuple[Line, ...]  # the households on the agenda, by RW, RT
    verification: str
    locked: bool
    corrects_number: str | None = None  # BA number of the meeting this one corrects
    printed_at: dt.datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def decided(self) -> list[Line]:
        return [line for line in self.lines if line.decision]

    @property
    def qr_payload(self) -> str:
        return words.qr_payload(self.meeting_id, self.verification)

    @property
    def scope(self) -> str:
        """E.g. "Kelurahan Tebet Timur" or "RW 05 Kelurahan Tebet Timur"."""
        where = f"Kelurahan {self.kelurahan}"
        return f"RW {self.rw:02d} {where}" if self.rw is not None else where

    def by_rw(self, decision: str | None = None) -> dict[int, list[Line]]:
        """The lines (of one decision, when given) grouped by RW, in RW order."""
        groups: dict[int, list[Line]] = {}
        for line in self.lines:
            if decision is None or line.decision == decision:
                groups.setdefault(line.rw or 0, []).append(line)
        return dict(sorted(groups.items()))
