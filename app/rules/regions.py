"""Kemendagri region codes known to the NIK checks (provinces, cities, districts)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RegionCodes:
    provinces: frozenset[str]  # "31"
    cities: frozenset[str]  # "31.74"
    districts: frozenset[str]  # "31.74.01"


def load_region_codes(path: str | Path) -> RegionCodes:
    """Read a `code,level,name,parent_code` CSV (resources/regions/...)."""
    levels: dict[str, set[str]] = {"province": set(), "city": set(), "district": set()}
    with Path(path).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] in levels:
                levels[row["level"]].add(row["code"])
    return RegionCodes(
        frozenset(levels["province"]), frozenset(levels["city"]), frozenset(levels["district"])
    )
