"""Indonesian labels for the questionnaire codes, read from the household JSON Schema.

The schema (`resources/schema/household.schema.json`) is the one place where each code list
lives: a coded field has `"enum": [codes...]` and `"x-labels": {"code": "Indonesian label"}`
(`x-labels` keys are the codes as strings, JSON keys being strings). The UI asks here.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from app.core.document import load_schema

Code = int | str
Properties = dict[str, dict[str, Any]]  # a JSON Schema "properties": {field: its schema}


def _choices(prop: dict[str, Any]) -> list[tuple[Code, str]]:
    if "items" in prop:
        prop = prop["items"]
    labels = prop.get("x-labels", {})
    return [(code, labels[str(code)]) for code in prop.get("enum", []) if code is not None]


@cache
def _section(section: str) -> Properties:
    props: Properties = load_schema()["properties"]
    if section == "household":
        return props
    if section == "members":
        return cast(Properties, props["members"]["items"]["properties"])
    return cast(Properties, props[section]["properties"])


def choices(section: str, field: str) -> list[tuple[Code, str]]:
    """[(code, label), ...] for a coded field; section is household, housing, assets, members,
    or musyawarah."""
    return _choices(_section(section)[field])


def title(section: str, field: str) -> str:
    text: str = _section(section)[field].get("title", field)
    return text


def label(section: str, field: str, code: Code | None) -> str:
    for value, text in choices(section, field):
        if value == code:
            return text
    return "" if code is None else str(code)


def asset_flags() -> list[tuple[str, str]]:
    """[(asset key, Indonesian label)] for the yes/no assets, in questionnaire order."""
    return [
        (key, prop["title"])
        for key, prop in _section("assets").items()
        if prop.get("type") == "boolean"
    ]
