"""Export profiles compiled into rows (issue 18): `row_builder(profile)` turns a profile
(app/core/export_model.py, parsed by app/core/export_profiles.py) into a function from a
household document to its rows, once per export; `needs(profile)` says which document keys
those rows read (app/db/export_rows.py reads only those). Pure: no files, no database.

200,000 rows at 50,000 households are ~4 million cells, so the profile is compiled once: paths
split, code labels looked up, the region part chosen. A column of one key (`household.KEY`,
`member.KEY`) becomes a tuple that one loop fills a row from (`_fill`: no call per cell); the
others (nested paths, `head.…`, fallbacks, constants, `count.members`) a function per column.
A household's cells are made once, then copied into each of its members' rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from app.core import codes
from app.core.document import Document
from app.core.export_model import REGION_LEVELS, Cell, Column, Profile, code_section

Getter = Callable[[Document, Mapping[str, Any], Mapping[str, Any]], Any]
CellFunction = Callable[[Document, Mapping[str, Any], Mapping[str, Any]], Cell]


def head_of(doc: Document) -> dict[str, Any]:
    """The head of the family: the member with relationship 1, else the first; {} if none."""
    members: list[dict[str, Any]] = doc.get("members") or []
    for member in members:
        if member.get("relationship") == 1:
            return member
    return members[0] if members else {}


def _getter(path: str) -> Getter:
    source, *keys = path.split(".")
    if source == "count":
        return lambda doc, member, head: len(doc.get("members") or [])
    which = ("household", "member", "head").index(source)
    if len(keys) == 1:
        key = keys[0]
        return lambda *found: found[which].get(key)

    def nested(*found: Mapping[str, Any]) -> Any:
        value: Any = found[which]
        for key in keys:
            if type(value) is not dict:
                return None
            value = value.get(key)
        return value

    return nested


def _labels(path: str | None) -> dict[Any, str] | None:
    section = code_section(path) if path else None
    return None if section is None else {code: text for code, text in codes.choices(*section)}


def _date(text: str, fmt: str) -> str:
    try:
        return dt.date.fromisoformat(text).strftime(fmt)
    except ValueError:
        return ""  # an impossible stored date is not set


def _dates(fmt: str) -> Callable[[Any], Cell]:
    """Dates in `fmt`, each distinct date formatted once (birth dates repeat)."""
    done: dict[str, str] = {}

    def date(value: Any) -> Cell:
        text = str(value)
        found = done.get(text)
        if found is None:
            found = _date(text, fmt)
            if len(done) < 100_000:  # a century of days: bounded
                done[text] = found
        return found

    return date


def _finish(column: Column, date_format: str) -> Callable[[Any], Cell]:
    """What a column does with a value found (not empty)."""
    if column.region:
        parts = REGION_LEVELS[column.region]
        return lambda v: "".join(v.split(".")[:parts]) if type(v) is str else str(v)
    if column.type == "date":
        return _dates(date_format)
    if column.type == "number":
        return lambda v: v if type(v) is int else None
    pad = column.pad

    def text(value: Any) -> Cell:
        kind = type(value)
        if kind is str:
            return value  # type: ignore[no-any-return]
        if kind is bool:
            return "Ya" if value else "Tidak"
        if kind is int and pad:
            return str(value).zfill(pad)
        return None if kind in (dict, list) else str(value)

    return text


def _cell_function(profile: Profile, column: Column) -> CellFunction:
    if column.value is not None:
        constant = column.value
        return lambda doc, member, head: constant
    get, labels = _getter(column.field), _labels(column.field if column.codes == "label" else None)
    spare = _getter(column.fallback) if column.fallback else None
    spare_labels = _labels(column.fallback if column.codes == "label" else None)
    finish = _finish(column, column.date_format or profile.date_format)

    def cell(doc: Document, member: Mapping[str, Any], head: Mapping[str, Any]) -> Cell:
        value, names = get(doc, member, head), labels
        if (value is None or value == "") and spare is not None:
            value, names = spare(doc, member, head), spare_labels
        if value is None or value == "" or type(value) in (dict, list):
            return None
        if names is not None:
            value = names.get(value, value)
        return finish(value)

    return cell


Plain = tuple[int, str, dict[Any, str] | None, Callable[[Any], Cell], bool]


def _plain(profile: Profile, i: int, column: Column) -> Plain | None:
    """(index, key, labels, finish, text) of a column of one key without a fallback, else None:
    what `_cell_function`'s cell does, for `_fill`."""
    parts = column.field.split(".")
    if column.value is not None or column.fallback or len(parts) != 2:
        return None
    if parts[0] not in ("household", "member"):  # head.KEY: the head, found per household
        return None
    finish = _finish(column, column.date_format or profile.date_format)
    text = column.type == "text" and not column.region
    return (i, parts[1], _labels(column.field if column.codes == "label" else None), finish, text)


def _fill(row: list[Cell], get: Callable[[str], Any], plain: list[Plain]) -> None:
    for i, key, names, finish, text in plain:
        value = get(key)
        kind = type(value)
        if value is None or value == "" or kind is dict or kind is list:
            continue
        if names is not None:
            value = names.get(value, value)
            kind = type(value)
        row[i] = value if text and kind is str else finish(value)


def _source(column: Column) -> str:
    """household | member | head | count: where the column's cells come from (a constant:
    household; a fallback from a member makes the column a member's)."""
    paths = [p for p in (column.field, column.fallback) if p]
    if any(p.startswith("member.") for p in paths):
        return "member"
    return paths[0].split(".")[0] if paths else "household"


def row_builder(profile: Profile) -> Callable[[Document], Iterator[list[Cell]]]:
    """A function from a household document to its rows (the profile compiled once)."""
    width, columns = len(profile.columns), list(enumerate(profile.columns))
    plain = {i: p for i, c in columns if (p := _plain(profile, i, c)) is not None}
    by_member = {i for i, c in columns if _source(c) == "member"}
    household_plain = [p for i, p in plain.items() if i not in by_member]
    member_plain = [p for i, p in plain.items() if i in by_member]
    shared_cells = [(i, _cell_function(profile, c)) for i, c in columns
                    if i not in plain and i not in by_member]  # fmt: skip
    member_cells = [(i, _cell_function(profile, c)) for i, c in columns
                    if i not in plain and i in by_member]  # fmt: skip

    def household_cells(doc: Document, head: Mapping[str, Any]) -> list[Cell]:
        shared: list[Cell] = [None] * width
        _fill(shared, doc.get, household_plain)
        for i, cell in shared_cells:
            shared[i] = cell(doc, {}, head)
        return shared

    if profile.rows == "household":

        def household_rows(doc: Document) -> Iterator[list[Cell]]:
            yield household_cells(doc, head_of(doc))

        return household_rows

    def member_rows(doc: Document) -> Iterator[list[Cell]]:
        head = head_of(doc)
        shared = household_cells(doc, head)
        for member in doc.get("members") or []:
            row = shared.copy()
            _fill(row, member.get, member_plain)
            for i, cell in member_cells:
                row[i] = cell(doc, member, head)
            yield row

    return member_rows


def needs(profile: Profile) -> tuple[frozenset[str], frozenset[str] | None]:
    """(household keys, member keys) the profile's rows read from a document; member keys are
    None when its rows need no members (a head's fields need `relationship` to find the head)."""
    paths = [p for c in profile.columns for p in (c.field, c.fallback) if p]
    household = {p.split(".")[1] for p in paths if p.startswith("household.")}
    member = {p.split(".")[1] for p in paths if p.startswith(("member.", "head."))}
    if any(p.startswith("head.") for p in paths):
        member.add("relationship")
    members = profile.rows == "member" or any(
        p.startswith(("member.", "head.", "count.")) for p in paths
    )
    return frozenset(household), frozenset(member) if members else None
