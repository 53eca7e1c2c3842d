"""The model of an export profile (issue 18): its columns and the profile, as
app/core/export_profiles.py parses them and app/core/export_cells.py compiles them."""

from __future__ import annotations

from dataclasses import dataclass

from app.core import codes

Cell = str | int | None

REGION_LEVELS = {"province": 1, "city": 2, "district": 3, "village": 4}  # dotted parts kept
# sections of app/core/codes.py for a field path's first key
_CODE_SECTIONS = {"housing": "housing", "assets": "assets", "musyawarah": "musyawarah"}


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # a path, see app/core/export_profiles.py; "" for a constant `value`
    type: str = "text"  # text | number | date
    codes: str | None = None  # label | code: coded fields as their label or their code
    region: str | None = None  # province | city | district | village: that part, digits only
    pad: int = 0  # numbers written as text of at least this many digits (RT "005")
    width: float | None = None  # column width in characters (XLSX)
    fallback: str | None = None  # another path, used when `field` is empty
    date_format: str | None = None  # strftime, else the profile's
    value: str | None = None  # a constant text instead of a field

    @property
    def is_text(self) -> bool:
        return self.type != "number"


@dataclass(frozen=True)
class Profile:
    name: str
    version: int
    title: str
    rows: str  # member | household
    sheet: str
    date_format: str  # strftime for dates written as text
    selection: str  # which households without a filter: usulan | all
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def code_section(path: str) -> tuple[str, str] | None:
    """(codes.py section, field) of a path to a coded field of the schema, else None."""
    parts = path.split(".")
    if parts[0] in ("member", "head"):
        section, field = "members", parts[1]
    elif parts[0] == "household" and len(parts) == 2:
        section, field = "household", parts[1]
    elif parts[0] == "household" and len(parts) == 3 and parts[1] in _CODE_SECTIONS:
        section, field = _CODE_SECTIONS[parts[1]], parts[2]
    else:
        return None
    try:
        return (section, field) if codes.choices(section, field) else None
    except KeyError:  # not (yet) in the schema
        return None
