"""Checks of a household document as the app runs them: the pure rule set (app.rules) with
Indonesia's region codes, plus the database look-ups for NIK / No. KK already registered in
another household. Part of the service layer: the UI and the CLI call these."""

from __future__ import annotations

import datetime as dt
from functools import cache

from app import rules
from app.core.document import Document
from app.db import listing
from app.paths import resource


@cache
def region_codes() -> rules.RegionCodes:
    return rules.load_region_codes(resource("regions", "indonesia_prov_city_district.csv"))


def evaluate(doc: Document, today: dt.date | None = None) -> rules.Evaluation:
    """The rule set alone: pure and fast enough to run on every keystroke."""
    return rules.evaluate(doc, today=today, regions=region_codes())


def duplicates(doc: Document) -> list[rules.Finding]:
    """NIK or No. KK of this household already registered in another one (reads the DB)."""
    own = doc["household_id"]
    nik_holders: dict[str, list[tuple[str, str | None]]] = {}
    for member in doc.get("members") or []:
        value = member.get("nik")
        if value and value not in nik_holders:
            others = [
                (h.household_id, h.name)
                for h in listing.members_with_nik(value)
                if h.household_id != own
            ]
            if others:
                nik_holders[value] = others
    kk = doc.get("no_kk")
    kk_holders = [h for h in listing.households_with_no_kk(kk) if h != own] if kk else []
    return rules.duplicate_findings(doc, nik_holders, kk_holders)


def check(doc: Document, today: dt.date | None = None) -> rules.Evaluation:
    """Everything: the rule set and the duplicate look-ups."""
    return evaluate(doc, today).with_findings(duplicates(doc))
