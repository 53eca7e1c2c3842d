"""A household's timeline as the kelurahan tells it (issue 19): pure, over the document and the
few facts that live outside it (who registered it here, officers' names).

The steps, oldest first: registered (and by whom), matched (what Dukcapil and Bapenda said, in
words: a car, an NJOP above Rp 1 M, a NIK not found, masked), the musyawarah decision (with its
BA number), a withdrawal, and every event Dinsos sent (app/core/dinsos_events.py: daftar
sasaran tetap, SIKS-NG, verified, determined, rejected with the reason, ID DTKS, a duplicate
in another kelurahan). Each entry names who sent or did it.

Who sent it: a step that came in a bundle names the trusted peer whose bundle brought it (the
name this installation trusted its key under, `Arrival`) and the day it arrived here, never
only the `by` written inside the event (the sender writes that; a Dinsos office may call itself
anything). Only a peer of a kind that owns Dinsos' statuses (app/core/ownership.py) can have
brought an event; the bundle log keeps which bundles wrote a revision of the household and,
since migration 28, how many events the household held after each such bundle, so `carriers`
knows which bundle brought which event (events are only appended). For a bundle taken in before
that, it reads it from the dates: the first such bundle the sender wrote on or after the event's
day (never an earlier bundle than the event before it), else the last one. A step no bundle
brought (recorded on this installation) keeps its `by`.

Dates: stored times are UTC ISO strings, dates are `YYYY-MM-DD`; `day` turns a stored value
into the local day (the service passes the WIB conversion of app/receipts/formatting.py), so
this module needs no clock and no time zone of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core import codes, ownership
from app.core.dinsos_events import (
    DTKS_ID,
    DUPLICATE_NOTICE,
    REJECTED,
    STEPS,
    TARGET_LIST,
    events_of,
    open_duplicate_notice,
)
from app.rules.exclusions import NJOP_LIMIT_IDR
from app.rules.nik import mask

REGISTERED = "Terdaftar"
DRAFTED = "Draf dibuat"
MATCHED = "Dipadankan (Dukcapil/Bapenda)"
WITHDRAWN = "Pendaftaran dibatalkan (ditarik)"
MUSYAWARAH_BY = "Musyawarah kelurahan"
FROM_BUNDLE = "diterima lewat paket sinkronisasi"


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: the local day (`YYYY-MM-DD`, "" when unknown), what
    happened, the detail in words, and who did or sent it ("" when not known)."""

    day: str
    what: str
    detail: str
    by: str
    step: str  # registered, matched, musyawarah, withdrawn, or the Dinsos step
    received: str = ""  # the local day a bundle brought it here ("" when not from a bundle)

    def who(self, day: Callable[[str], str] = str) -> str:
        """`by`, or for a step a bundle brought "dari <peer>, diterima <day>" (`day` words
        the received day: the dialog's DD-MM-YYYY, the CLI's ISO)."""
        return f"dari {self.by}, diterima {day(self.received)}" if self.received else self.by


@dataclass(frozen=True)
class Arrival:
    """A bundle taken in that wrote a revision of the household: the trusted peer's name, its
    kind (None when no longer trusted), when the sender wrote it and when it was taken in here
    (stored UTC times), and whether it brought the household here first (`new`)."""

    peer: str
    kind: str | None
    sent_at: str
    received_at: str
    new: bool
    events: int | None = None  # Dinsos events the household held after it (None: not noted)

    @property
    def may_send_events(self) -> bool:
        """A peer of a kind that owns Dinsos' statuses (or no longer trusted: what it sent
        was checked when it came)."""
        return self.kind is None or self.kind in ownership.KIND_OWNERS[ownership.DINSOS_STATUS]


@dataclass(frozen=True)
class Facts:
    """What the document does not hold: the entry that registered the household on this
    installation (app/db/audit.py `registered_by`: the stored time and the officer's name;
    None for a household that arrived in a bundle) and officers' names by username."""

    registered_at: str | None = None
    registered_by: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    arrivals: Sequence[Arrival] = ()  # oldest first (app/db/bundle_log.py `arrivals`)


def iso_day(stored: str) -> str:
    """The day of a stored date or time as written (no time-zone conversion)."""
    return stored[:10]


def build(doc: Mapping[str, Any], facts: Facts, day: Callable[[str], str] = iso_day) -> list[Entry]:
    """The household's timeline, oldest first (entries of one day in the order they happen)."""

    def local(stored: object) -> str:
        return day(stored) if isinstance(stored, str) and stored else ""

    entries: list[Entry] = []
    number = doc.get("registration_number")
    registered_at = facts.registered_at or doc.get("created_at")
    first = next((a for a in facts.arrivals if a.new), None) if not facts.registered_at else None
    entries.append(
        Entry(
            local(registered_at),
            REGISTERED if number else DRAFTED,
            f"No. registrasi {number}" if number else "belum diberi nomor registrasi",
            first.peer
            if first
            else facts.registered_by or ("" if facts.registered_at else FROM_BUNDLE),
            "registered",
            local(first.received_at) if first else "",
        )
    )
    matching = doc.get("matching")
    if isinstance(matching, Mapping):
        entries.append(
            Entry(
                local(matching.get("checked_at")),
                MATCHED,
                matching_words(matching),
                str(matching.get("source") or ""),
                "matched",
            )
        )
    held = doc.get("musyawarah")
    if isinstance(held, Mapping) and held.get("decision"):
        label = codes.label("musyawarah", "decision", held["decision"])
        details = [f"BA No. {held['minutes_number']}"] if held.get("minutes_number") else []
        if held.get("reason"):
            details.append(f"alasan: {held['reason']}")
        entries.append(
            Entry(
                local(held.get("date")),
                f"Musyawarah: {label}",
                "; ".join(details),
                MUSYAWARAH_BY,
                "musyawarah",
            )
        )
    withdrawal = doc.get("withdrawal")
    if isinstance(withdrawal, Mapping):
        who = str(withdrawal.get("by") or "")
        entries.append(
            Entry(
                local(withdrawal.get("at")),
                WITHDRAWN,
                str(withdrawal.get("reason") or ""),
                facts.names.get(who, who),
                "withdrawn",
            )
        )
    events = events_of(doc)
    entries += [
        Entry(local(e.get("date")), STEPS.get(e["step"], e["step"]), event_words(e),
              came.peer if came else str(e.get("by") or ""), str(e["step"]),
              local(came.received_at) if came else "")
        for e, came in zip(events, carriers(events, facts.arrivals, local), strict=True)
    ]  # fmt: skip
    # stable: the same day keeps the order above (registered before matched before Dinsos)
    return sorted(entries, key=lambda e: e.day or "9999")


def carriers(
    events: Sequence[Mapping[str, Any]], arrivals: Sequence[Arrival], day: Callable[[str], str]
) -> list[Arrival | None]:
    """The bundle that brought each event (None: recorded here), never one before the previous
    event's bundle: the first bundle from a peer that may send events after which the household
    held more events than came before this one (`Arrival.events`, noted since migration 28:
    exact, events are only appended); for a bundle not noted, the first the sender wrote on or
    after the event's day; else the last such bundle. `day` turns a stored time into a local
    day."""
    able = [a for a in arrivals if a.may_send_events]
    if not able:
        return [None] * len(events)

    def brought(arrival: Arrival, index: int, on: str) -> bool:
        if arrival.events is not None:
            return arrival.events > index
        return day(arrival.sent_at) >= on

    found: list[Arrival | None] = []
    start = 0
    for index, one in enumerate(events):
        on = str(one.get("date") or "")
        start = next(
            (i for i in range(start, len(able)) if brought(able[i], index, on)), len(able) - 1
        )
        found.append(able[start])
    return found


def matching_words(matching: Mapping[str, Any]) -> str:
    """What Bapenda and Dukcapil said, in words; NIKs masked."""
    said: list[str] = []
    car = matching.get("car_per_bapenda")
    if car is not None:
        said.append("Bapenda: memiliki mobil" if car else "Bapenda: tidak memiliki mobil")
    njop = matching.get("njop_per_bapenda_idr")
    if isinstance(njop, int):
        above = njop > NJOP_LIMIT_IDR
        said.append("NJOP di atas Rp 1 M" if above else "NJOP tidak di atas Rp 1 M")
    for nik in matching.get("nik_not_found") or []:
        said.append(f"Dukcapil: NIK {mask(nik)} tidak ditemukan")
    return "; ".join(said) or "tidak ada temuan"


def event_words(event: Mapping[str, Any]) -> str:
    """The detail of a Dinsos event: the reason of a rejection, the list's number, the ID
    DTKS, the other kelurahan."""
    step, reference, reason = event["step"], event.get("reference"), event.get("reason")
    parts: list[str] = []
    if step == REJECTED and reason:
        parts.append(f"alasan: {reason}")
    if reference:
        prefix = {TARGET_LIST: "daftar No. ", DTKS_ID: "ID DTKS ", DUPLICATE_NOTICE: "di "}
        parts.append(prefix.get(step, "rujukan ") + str(reference))
    if reason and step != REJECTED:
        parts.append(str(reason))
    return "; ".join(parts)


def duplicate_notice_text(doc: Mapping[str, Any]) -> str | None:
    """The household's notice when Dinsos found its NIK or No. KK registered in another
    kelurahan too (and has not cleared it), else None."""
    notice = open_duplicate_notice(doc)
    if notice is None:
        return None
    where = notice.get("reference") or "kelurahan lain"
    return f"NIK/No. KK keluarga ini juga terdaftar di {where} — hubungi Dinsos."
