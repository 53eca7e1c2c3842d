"""What every check needs besides the document: today's date, known regions, and ages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.rules.regions import RegionCodes


@dataclass(frozen=True)
class Context:
    today: dt.date
    regions: RegionCodes | None = None


def birth_date(member: dict) -> dt.date | None:
    value = member.get("birth_date")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def age(member: dict, today: dt.date) -> int | None:
    """Age in whole years on `today`, or None when the birth date is unknown."""
    born = birth_date(member)
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def member_path(index: int, key: str) -> str:
    return f"members[{index}].{key}"
