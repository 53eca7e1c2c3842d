"""What every check needs besides the document (today's date, known regions), and safe
readers for a document that may be half typed: missing keys, None, or the wrong type never
raise here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from app.rules.regions import RegionCodes

# Questionnaire code 409: hubungan dengan kepala keluarga.
HEAD, SPOUSE, CHILD, PARENT = 1, 2, 3, 6
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # fromisoformat alone takes more forms


@dataclass(frozen=True)
class Requirement:
    """An answer a final save needs (a DTKS proposal needs it). `section` is "" for the
    household's own fields, "members" for a field every member needs, else the object the
    field is in ("housing"); `title` is its Indonesian name, as the form labels it."""

    section: str
    key: str
    title: str


@dataclass(frozen=True)
class Context:
    today: dt.date
    regions: RegionCodes | None = None
    required: tuple[Requirement, ...] = ()  # answers a final save needs (completeness.py)


def section(doc: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested object of the document ("assets", "housing", ...), or {} when absent."""
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def members(doc: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index in doc["members"], member) for each member; indexes match the field paths."""
    listed = doc.get("members")
    if not isinstance(listed, list):
        return []
    return [(i, m) for i, m in enumerate(listed) if isinstance(m, dict)]


def text(member: dict[str, Any], key: str) -> str:
    """A string field, or "" when empty or not a string."""
    value = member.get(key)
    return value if isinstance(value, str) else ""


def unanswered(value: object) -> bool:
    """None or blank text: nothing given yet (False, 0 and wrongly typed values are answers,
    for the other checks and the schema to judge)."""
    return value is None or (isinstance(value, str) and not value.strip())


def iso_date(value: object) -> dt.date | None:
    """The date in an ISO `YYYY-MM-DD` string, or None for anything else: None, another type,
    text as typed ("31-02-1980"), or a day that does not exist ("1980-02-31")."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def birth_date(member: dict[str, Any]) -> dt.date | None:
    return iso_date(member.get("birth_date"))


def age_on(born: dt.date, today: dt.date) -> int:
    """Whole years from `born` to `today` (negative when `born` is in the future)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age(member: dict[str, Any], today: dt.date) -> int | None:
    """Age in whole years on `today`, or None when the birth date is unknown."""
    born = birth_date(member)
    return None if born is None else age_on(born, today)


def who(member: dict[str, Any], index: int) -> str:
    """How a message names a member: the name typed, else the position in the list."""
    return text(member, "name").strip() or f"anggota ke-{index + 1}"


def member_path(index: int, key: str) -> str:
    return f"members[{index}].{key}"
