"""What a recap (rekap) says, as plain data for its PDF, its XLSX and the *Ringkasan* screen
(issue 18): households (KK) and people (jiwa) per RW and RT by status and by exclusion
criterion, registrations per officer and day, and households with missing answers. Counts
only: no names, no NIK. Built by app/services/recaps.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

type Place = tuple[int | None, int | None]  # (RW, RT)


@dataclass(frozen=True)
class Counts:
    households: int = 0  # KK
    people: int = 0  # jiwa

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.households + other.households, self.people + other.people)


def total(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


@dataclass(frozen=True)
class Recap:
    kelurahan: str  # "Cipinang Besar Utara, Kec. Jatinegara, Kota Jakarta Timur"
    made_at: dt.datetime
    statuses: tuple[tuple[str, str], ...]  # (code, label) in the questionnaire's order
    criteria: tuple[tuple[str, str], ...]  # (criterion id, label "Dikecualikan (mobil)")
    places: tuple[Place, ...]  # every (RW, RT) with households, in order
    by_status: dict[Place, dict[str, Counts]]
    by_criterion: dict[Place, dict[str, Counts]]  # excluded households, per criterion met
    officer_days: tuple[tuple[str, str, int], ...]  # (officer, YYYY-MM-DD, registrations)
    incomplete: dict[Place, int] = field(default_factory=dict)  # households missing answers

    def place_total(self, place: Place) -> Counts:
        return total(self.by_status.get(place, {}).values())

    def status_total(self, status: str) -> Counts:
        return total(cells.get(status, Counts()) for cells in self.by_status.values())

    def criterion_total(self, criterion: str) -> Counts:
        return total(cells.get(criterion, Counts()) for cells in self.by_criterion.values())

    @property
    def grand_total(self) -> Counts:
        return total(self.place_total(place) for place in self.places)

    @property
    def incomplete_total(self) -> int:
        return sum(self.incomplete.values())

    def used_statuses(self) -> list[tuple[str, str]]:
        """The statuses some household has (a wide table leaves out the empty ones)."""
        return [
            (code, label) for code, label in self.statuses if self.status_total(code).households
        ]

    def rws(self) -> list[int | None]:
        return sorted({rw for rw, _rt in self.places}, key=place_key)

    def rw_status(self, rw: int | None, status: str) -> Counts:
        return total(
            self.by_status.get(place, {}).get(status, Counts())
            for place in self.places
            if place[0] == rw
        )


def place_key(value: int | None) -> int:
    """Order RW/RT numbers with the unknown (None) last."""
    return 10**6 if value is None else value


def number(value: int | None) -> str:
    """An RW or RT as printed: '003', or '-' when unknown."""
    return "-" if value is None else f"{value:03d}"


# One colour per status for every chart of the recap (PDF, XLSX, the Ringkasan screen).
STATUS_COLOURS = {
    "draft": "#9e9e9e",
    "registered": "#1f77b4",
    "excluded": "#d62728",
    "proposed": "#17becf",
    "eligible": "#2ca02c",
    "not_poor": "#ff7f0e",
    "matched": "#8c564b",
    "in_siks_ng": "#9467bd",
    "verified": "#bcbd22",
    "determined": "#006d2c",
    "rejected": "#7f7f7f",
    "withdrawn": "#e377c2",
}
OTHER_COLOUR = "#444444"


def colour(status: str) -> str:
    return STATUS_COLOURS.get(status, OTHER_COLOUR)


@dataclass(frozen=True)
class WorklistItem:
    rw: int | None
    rt: int | None
    address: str
    head_name: str
    registration_number: str
    status: str  # its list label (app/core/status.py)
    missing: tuple[str, ...]  # "Alamat belum diisi", ...
    updated_on: dt.date  # last change, WIB
