"""A household's timeline as the kelurahan tells it (issue 19): pure, over the document and the
few facts that live outside it (who registered it here, officers' names).

The steps, oldest first: registered (and by whom), matched (what Dukcapil and Bapenda said, in
words: a car, an NJOP above Rp 1 M, a NIK not found, masked), the musyawarah decision (with its
BA number), a withdrawal, and every event Dinsos sent (app/core/dinsos_events.py: daftar
sasaran tetap, SIKS-NG, verified, determined, rejected with the reason, ID DTKS, a duplicate
in another kelurahan). Each entry names who sent or did it.

Dates: stored times are UTC ISO strings, dates are `YYYY-MM-DD`; `day` turns a stored value
into the local day (the service passes the WIB conversion of app/receipts/formatting.py), so
this module needs no clock and no time zone of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core import codes
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


@dataclass(frozen=True)
class Facts:
    """What the document does not hold: the entry that registered the household on this
    installation (app/db/audit.py `registered_by`: the stored time and the officer's name;
    None for a household that arrived in a bundle) and officers' names by username."""

    registered_at: str | None = None
    registered_by: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)


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
    entries.append(
        Entry(
            local(registered_at),
            REGISTERED if number else DRAFTED,
            f"No. registrasi {number}" if number else "belum diberi nomor registrasi",
            facts.registered_by or ("" if facts.registered_at else FROM_BUNDLE),
            "registered",
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
    entries += [
        Entry(local(e.get("date")), STEPS.get(e["step"], e["step"]), event_words(e),
              str(e.get("by") or ""), str(e["step"]))
        for e in events_of(doc)
    ]  # fmt: skip
    # stable: the same day keeps the order above (registered before matched before Dinsos)
    return sorted(entries, key=lambda e: e.day or "9999")


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
