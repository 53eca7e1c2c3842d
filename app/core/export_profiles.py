"""Export profiles (issue 18): which columns a spreadsheet export has and where each value comes
from, as versioned data (`resources/exports/<name>.toml`), not code.

`parse(name, text)` reads and checks one profile (TOML); a malformed one is refused with one
line (`ProfileError`). `row_builder(profile)` compiles it into a function that turns one
household document into the profile's rows (`rows(profile, doc)` for one): one per member
(`rows = "member"`) or one per household (`rows = "household"`). Pure: no
files, no database; the services read the file and pick the households. docs/EXPORT_PROFILES.md
says how to write a profile.

A column's `field` is a path: `household.<key>[.<key>...]` (the household document),
`member.<key>` (the member of the row), `head.<key>` (the head of the family: relationship 1,
else the first member) or `count.members`. A field the document does not have (yet: schema v2
adds `mother_name`, `occupation`, `dtks_id`, `presence`) gives an empty cell.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app.core import codes
from app.core.document import Document
from app.core.errors import EXIT_BAD_INPUT, UserError

Cell = str | int | None

ROW_KINDS = ("member", "household")
SOURCES = ("household", "member", "head", "count")
COUNTS = ("members",)
REGION_LEVELS = {"province": 1, "city": 2, "district": 3, "village": 4}  # dotted parts kept
TYPES = ("text", "number", "date")
CODE_STYLES = ("label", "code")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_KEY = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
_PROFILE_KEYS = {"name", "version", "title", "rows", "sheet", "date_format", "selection"}
_COLUMN_KEYS = {"header", "field", "type", "codes", "region", "pad", "width", "fallback",
                "date_format", "value"}  # fmt: skip
MAX_COLUMNS = 200
SELECTIONS = ("usulan", "all")
# sections of app/core/codes.py for a field path's first key
_CODE_SECTIONS = {"housing": "housing", "assets": "assets", "musyawarah": "musyawarah"}


class ProfileError(UserError):
    """A profile file that cannot be used; one line naming the file and what is wrong."""

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # a path, see the module's docstring; "" for a constant `value`
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


def _fail(name: str, what: str) -> ProfileError:
    return ProfileError(
        f"Profil ekspor {name} tidak dapat dipakai: {what}.",
        f"export profile {name}: {what}",
    )


def _text(name: str, where: str, value: object, limit: int = 200) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _fail(name, f"{where} must be a non-empty text of at most {limit} characters")
    return value


def _path(name: str, where: str, value: object) -> str:
    path = _text(name, where, value, 200)
    parts = path.split(".")
    if parts[0] not in SOURCES or len(parts) < 2 or not all(_KEY.match(p) for p in parts[1:]):
        raise _fail(name, f"{where} {path!r} is not household.KEY, member.KEY, head.KEY or "
                          "count.members")  # fmt: skip
    if parts[0] in ("member", "head") and len(parts) != 2:
        raise _fail(name, f"{where} {path!r}: a member field has one key")
    if parts[0] == "count" and parts[1:] != ["members"]:
        raise _fail(name, f"{where} {path!r}: the only count is count.members")
    return path


def _code_section(path: str) -> tuple[str, str] | None:
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


def _date_format(name: str, where: str, value: object) -> str:
    text = _text(name, where, value, 40)
    if "%" not in text:
        raise _fail(name, f"{where} {text!r} is not a strftime format such as %d-%m-%Y")
    try:
        dt.date(2024, 1, 31).strftime(text)
    except ValueError:
        raise _fail(name, f"{where} {text!r} is not a valid date format") from None
    return text


def _column(name: str, number: int, raw: object) -> Column:
    where = f"column {number}"
    if not isinstance(raw, Mapping):
        raise _fail(name, f"{where} is not a table")
    unknown = sorted(set(raw) - _COLUMN_KEYS)
    if unknown:
        raise _fail(name, f"{where} has unknown key {unknown[0]!r}")
    header = _text(name, f"{where} header", raw.get("header"), 100)
    where = f"column {header}"
    value = raw.get("value")
    if value is not None:
        if "field" in raw:
            raise _fail(name, f"{where} has both field and value")
        return Column(header, "", value=_text(name, f"{where} value", value, 200))
    field = _path(name, f"{where} field", raw.get("field"))
    kind = raw.get("type", "text")
    if kind not in TYPES:
        raise _fail(name, f"{where} type must be one of {', '.join(TYPES)}")
    style = raw.get("codes")
    if style is not None:
        if style not in CODE_STYLES:
            raise _fail(name, f"{where} codes must be label or code")
        if _code_section(field) is None:
            raise _fail(name, f"{where} codes: {field} is not a coded field of the schema")
    region = raw.get("region")
    if region is not None and region not in REGION_LEVELS:
        raise _fail(name, f"{where} region must be one of {', '.join(REGION_LEVELS)}")
    pad = raw.get("pad", 0)
    if not isinstance(pad, int) or isinstance(pad, bool) or not 0 <= pad <= 20:
        raise _fail(name, f"{where} pad must be a whole number from 0 to 20")
    width = raw.get("width")
    if width is not None and (
        isinstance(width, bool) or not isinstance(width, int | float) or not 1 <= width <= 255
    ):
        raise _fail(name, f"{where} width must be a number from 1 to 255")
    fallback = raw.get("fallback")
    fmt = raw.get("date_format")
    return Column(
        header=header,
        field=field,
        type=kind,
        codes=style,
        region=region,
        pad=pad,
        width=None if width is None else float(width),
        fallback=None if fallback is None else _path(name, f"{where} fallback", fallback),
        date_format=None if fmt is None else _date_format(name, f"{where} date_format", fmt),
    )


def parse(name: str, text: str) -> Profile:
    """The profile in `text` (TOML), checked; ProfileError (one line) when it is malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(name, f"not valid TOML ({' '.join(str(exc).split())})") from None
    head = data.get("profile")
    if not isinstance(head, dict):
        raise _fail(name, "the [profile] table is missing")
    unknown = sorted(set(head) - _PROFILE_KEYS) or sorted(set(data) - {"profile", "columns"})
    if unknown:
        raise _fail(name, f"unknown key {unknown[0]!r}")
    declared = _text(name, "profile name", head.get("name"), 64)
    if not _NAME.match(declared) or declared != name:
        raise _fail(name, f"profile name {declared!r} must equal the file name, in a-z0-9-")
    version = head.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _fail(name, "profile version must be a whole number from 1")
    rows_kind = head.get("rows")
    if rows_kind not in ROW_KINDS:
        raise _fail(name, "profile rows must be member or household")
    sheet = _text(name, "profile sheet", head.get("sheet"), 31)
    if re.search(r"[\[\]:*?/\\]", sheet):
        raise _fail(name, "profile sheet may not hold [ ] : * ? / \\")
    selection = head.get("selection", "all")
    if selection not in SELECTIONS:
        raise _fail(name, "profile selection must be usulan or all")
    columns_raw = data.get("columns")
    if not isinstance(columns_raw, list) or not 1 <= len(columns_raw) <= MAX_COLUMNS:
        raise _fail(name, f"it needs 1 to {MAX_COLUMNS} [[columns]]")
    columns = tuple(_column(name, i, raw) for i, raw in enumerate(columns_raw, 1))
    headers = [c.header for c in columns]
    twice = sorted({h for h in headers if headers.count(h) > 1})
    if twice:
        raise _fail(name, f"column {twice[0]} appears twice")
    if rows_kind == "household" and any(c.field.startswith("member.") for c in columns):
        raise _fail(name, "a profile of one row per household cannot use member.* fields")
    return Profile(
        name=declared,
        version=version,
        title=_text(name, "profile title", head.get("title", declared), 200),
        rows=rows_kind,
        sheet=sheet,
        date_format=_date_format(name, "profile date_format", head.get("date_format", "%Y-%m-%d")),
        selection=selection,
        columns=columns,
    )


# --- rows ----------------------------------------------------------------------------------------
# A profile is compiled once into one function per column (paths split, code labels looked up,
# the region part chosen): 200,000 rows call them 4 million times.

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
    section = _code_section(path) if path else None
    return None if section is None else {code: text for code, text in codes.choices(*section)}


def _date(text: str, fmt: str) -> str:
    try:
        return dt.date.fromisoformat(text).strftime(fmt)
    except ValueError:
        return ""  # an impossible stored date is not set


def _finish(column: Column, date_format: str) -> Callable[[Any], Cell]:
    """What a column does with a value found (not empty)."""
    if column.region:
        parts = REGION_LEVELS[column.region]
        return lambda v: "".join(v.split(".")[:parts]) if type(v) is str else str(v)
    if column.type == "date":
        return lambda v: _date(str(v), date_format)
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


def _uses_member(column: Column) -> bool:
    return any(p.startswith("member.") for p in (column.field, column.fallback or ""))


def row_builder(profile: Profile) -> Callable[[Document], Iterator[list[Cell]]]:
    """A function from a household document to its rows (the profile compiled once)."""
    functions = [_cell_function(profile, c) for c in profile.columns]
    width = len(functions)
    if profile.rows == "household":

        def household_rows(doc: Document) -> Iterator[list[Cell]]:
            head = head_of(doc)
            yield [cell(doc, {}, head) for cell in functions]

        return household_rows
    per_member = [(i, f) for i, f in enumerate(functions) if _uses_member(profile.columns[i])]
    shared_cells = [(i, f) for i, f in enumerate(functions) if not _uses_member(profile.columns[i])]

    def member_rows(doc: Document) -> Iterator[list[Cell]]:
        head = head_of(doc)
        shared: list[Cell] = [None] * width
        for i, cell in shared_cells:
            shared[i] = cell(doc, {}, head)
        for member in doc.get("members") or []:
            row = shared.copy()
            for i, cell in per_member:
                row[i] = cell(doc, member, head)
            yield row

    return member_rows


def rows(profile: Profile, doc: Document) -> Iterator[list[Cell]]:
    """The profile's rows for one household: one per member, or one for the household."""
    return row_builder(profile)(doc)
