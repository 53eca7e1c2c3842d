"""A household's timeline (issue 19): registered, matched, the musyawarah, a withdrawal and
every Dinsos event, with dates and who did or sent it. The builder is app/core/timeline.py;
this service adds what the document does not hold (who registered it here, officers' names,
the bundles that brought its revisions and their trusted senders: one query, app/db/bundle_log.py
`arrivals`), words the days in WIB and the current status in one line
(app/core/status_lookup.py).

Opening a timeline is opening the record: role `household.view`, audited as a view
(`households.record_view`, UU PDP).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core import merge
from app.core import timeline as builder
from app.core.status_lookup import resident_status
from app.db import audit, bundle_log, officers
from app.receipts.content import applying_exclusions
from app.receipts.formatting import date_or_dash, in_wib, parse_date, parse_iso
from app.services import households, installation
from app.services.actions import Officer, require

Entry = builder.Entry  # callers name the entry type here


@dataclass(frozen=True)
class Timeline:
    household_id: str
    registration_number: str | None
    status: str  # the current status in one sentence (a resident's words)
    entries: list[Entry]  # oldest first
    notice: str | None  # registered in another kelurahan too (Dinsos' notice), else None

    def as_json(self) -> dict[str, Any]:
        return {
            "household_id": self.household_id,
            "registration_number": self.registration_number,
            "status": self.status,
            "notice": self.notice,
            "entries": [
                {"date": e.day or None, "step": e.step, "what": e.what, "detail": e.detail,
                 "by": e.by, "received": e.received or None}
                for e in self.entries
            ],
        }  # fmt: skip


def timeline(household_id: str, officer: Officer | None) -> Timeline:
    """The household's timeline, as an officer opens it (written to the audit log)."""
    officer = require(officer, "household.view")
    doc = households.load_household(household_id)
    households.record_view(household_id, officer)
    return timeline_of(doc)


def timeline_of(doc: dict[str, Any]) -> Timeline:
    """The timeline of a household already loaded (the caller has checked the role)."""
    came = arrivals(doc["household_id"])
    registered = audit.registered_by(doc["household_id"])
    # it came in a bundle: a later save here (Dinsos' news, say) is no registration
    if registered is not None and any(a.new for a in came) and not numbered_here(doc):
        registered = None
    names = {}
    who, at = registered if registered else (None, None)
    withdrawal = doc.get("withdrawal") or {}
    for username in {who, withdrawal.get("by")} - {None}:
        row = officers.get(str(username))
        if row is not None:
            names[str(username)] = row.full_name
    facts = builder.Facts(
        registered_at=at,
        registered_by=names.get(who or "", who) if registered else None,
        names=names,
        arrivals=came,
    )
    return Timeline(
        household_id=doc["household_id"],
        registration_number=doc.get("registration_number"),
        status=status_line(doc),
        entries=builder.build(doc, facts, day=local_day),
        notice=builder.duplicate_notice_text(doc),
    )


# what a bundle did to a household when it wrote a revision of it (app/core/merge.py outcomes)
WROTE = (merge.NEW, merge.UPDATED, merge.CONFLICT)


def arrivals(household_id: str) -> list[builder.Arrival]:
    """The bundles taken in that wrote a revision of the household, oldest first, each named by
    the peer's trusted name (a peer no longer trusted by its fingerprint's start)."""
    return [
        builder.Arrival(
            peer=a.peer_name or f"perangkat {a.peer[:8]} (tidak lagi dipercaya)",
            kind=a.peer_kind,
            sent_at=a.created_at,
            received_at=a.logged_at,
            new=a.outcome == merge.NEW,
            events=a.events,
        )
        for a in bundle_log.arrivals(household_id, WROTE)
    ]


def numbered_here(doc: dict[str, Any]) -> bool:
    """The registration number was given on this installation (it holds its device code:
    app/core/ownership.py `number_allowed`)."""
    parts = str(doc.get("registration_number") or "").split("-")
    return len(parts) == 3 and parts[1].upper() == installation.device_code().upper()


def status_line(doc: dict[str, Any], postponed_on: str | None = None) -> str:
    """Where the household stands, in one sentence with the day it dates from (`postponed_on`:
    see `status_lookup.resident_status`)."""
    return resident_status(doc, applying_exclusions(doc), postponed_on).line(
        lambda stored: "" if (text := date_or_dash(local_day(stored))) == "-" else text
    )


def local_day(stored: str) -> str:
    """A stored day as it is, a stored UTC time as its day in WIB; "" when unreadable."""
    if len(stored) == 10:
        day = parse_date(stored)
        return day.isoformat() if day else ""
    try:
        return in_wib(parse_iso(stored)).date().isoformat()
    except ValueError:
        return ""
