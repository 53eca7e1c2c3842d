"""Jakarta's regions (Kemendagri codes), seeded from resources/regions/jakarta_regions.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from typing import TypedDict

from app.db.connection import database
from app.db.models import Region
from app.paths import resource


class RegionRow(TypedDict):
    code: str
    level: str  # province, city, district, village
    name: str
    parent_code: str | None


@cache
def _jakarta_rows() -> list[RegionRow]:
    with resource("regions", "jakarta_regions.csv").open(encoding="utf-8", newline="") as f:
        return [
            {
                "code": r["code"],
                "level": r["level"],
                "name": r["name"],
                "parent_code": r["parent_code"] or None,
            }
            for r in csv.DictReader(f)
        ]


def seed_regions() -> None:
    """Insert or refresh the reference rows (idempotent; cheap enough for every start)."""
    rows = _jakarta_rows()
    with database.atomic():
        if Region.select().count() == len(rows):
            return
        Region.insert_many(rows).on_conflict_replace().execute()


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    district: str
    city: str

    @property
    def label(self) -> str:
        return f"{self.name}, Kec. {self.district}, {self.city}"


@cache
def villages() -> list[Village]:
    """All kelurahan with their kecamatan and kota names, ordered by code. Read from the
    bundled reference file, so the kelurahan can be chosen before any database is open."""
    # keyed by code, looked up by parent_code (None only for the province, never looked up)
    by_code: dict[str | None, RegionRow] = {r["code"]: r for r in _jakarta_rows()}
    found = []
    for row in _jakarta_rows():
        if row["level"] == "village":
            district = by_code[row["parent_code"]]
            city = by_code[district["parent_code"]]
            found.append(Village(row["code"], row["name"], district["name"], city["name"]))
    return sorted(found, key=lambda v: v.code)


def village(code: str) -> Village | None:
    return next((v for v in villages() if v.code == code), None)
