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

from app.core import export_cells
from app.core.document import Document
from app.core.errors import EXIT_BAD_INPUT, UserError
from app.core.export_model import REGION_LEVELS as REGION_LEVELS
from app.core.export_model import Cell as Cell
from app.core.export_model import Column as Column
from app.core.export_model import Profile as Profile
from app.core.export_model import code_section

ROW_KINDS = ("member", "household")
SOURCES = ("household", "member", "head", "count")
COUNTS = ("members",)
TYPES = ("text", "number", "date")
CODE_STYLES = ("label", "code")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_KEY = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
_PROFILE_KEYS = {"name", "version", "title", "rows", "sheet", "date_format", "selection"}
_COLUMN_KEYS = {"header", "field", "type", "codes", "region", "pad", "width", "fallback",
                "date_format", "value"}  # fmt: skip
MAX_COLUMNS = 200
SELECTIONS = ("usulan", "all")


class ProfileError(UserError):
    """A profile file that cannot be used; one line naming the file and what is wrong."""

    exit_code = EXIT_BAD_INPUT


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
        if code_section(field) is None:
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


# --- rows: app/core/export_cells.py compiles a profile --------------------------------------------


def row_builder(profile: Profile) -> Callable[[Document], Iterator[list[Cell]]]:
    """A function from a household document to its rows (the profile compiled once)."""
    return export_cells.row_builder(profile)


def rows(profile: Profile, doc: Document) -> Iterator[list[Cell]]:
    """The profile's rows for one household: one per member, or one for the household."""
    return row_builder(profile)(doc)
