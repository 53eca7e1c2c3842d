"""Household documents for the rule tests: one ordinary head of family, and a fixed day."""

from __future__ import annotations

import datetime as dt

from app import rules
from app.core.document import new_household, new_member
from app.paths import resource

TODAY = dt.date(2026, 11, 22)
REGIONS = rules.load_region_codes(resource("regions", "indonesia_prov_city_district.csv"))


def head(**values):
    """Nur Hasanah, head of family, born 27-05-1980, with a NIK that agrees."""
    base = {
        "nik": "3174016705800004",
        "name": "Nur Hasanah",
        "sex": 2,
        "birth_date": "1980-05-27",
        "relationship": 1,
    }
    return new_member(**{**base, **values})


def household(*members, **values):
    """A household in Tebet Timur with a valid No. KK and the given members (default: head)."""
    doc = new_household("31.74.01.1001", **{"no_kk": "3174012304150007", **values})
    doc["members"] = list(members) or [head()]
    return doc
