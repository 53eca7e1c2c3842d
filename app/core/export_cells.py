"""Export profiles compiled into rows (issue 18): `row_builder(profile)` turns a profile
(app/core/export_model.py, parsed by app/core/export_profiles.py) into a function from a
household document to its rows, once per export; `needs(profile)` says which document keys
those rows read (app/db/export_rows.py reads only those). Pure: no files, no database.

What a column makes of a document is `_cell_function`: the value at its path (`_getter`), or
at its fallback's when that is empty, through `_value_cell` (empty, labels, region parts, pad,
dates, numbers). 200,000 rows at 50,000 households are ~4 million cells, so `row_builder`
writes the profile out once as straight-line Python (`_Compiler`, `exec`d once per export):
the household's cells once, into locals, then one list display per member. Each cell reads
its path as `_getter` does; a text column keeps a non-empty str as it is, the other columns
look the value up in a memo of the cells already made (labels, codes, dates, region parts: a
dict lookup, no call). Members may be tuples in a known order (`layout`: export_rows reads
them so, no dict per member). tests/test_export_compiled.py holds it to `_cell_function`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
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


def _date(value: Any, fmt: str) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime(fmt)
    except ValueError:
        return ""  # an impossible stored date is not set


def _finish(column: Column, date_format: str) -> Callable[[Any], Cell]:
    """What a column does with a value found (not empty)."""
    if column.region:
        parts = REGION_LEVELS[column.region]
        return lambda v: "".join(v.split(".")[:parts]) if type(v) is str else str(v)
    if column.type == "date":
        return lambda v: _date(v, date_format)  # each distinct date once: the row function's memo
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


def _value_cell(profile: Profile, column: Column, path: str) -> Callable[[Any], Cell]:
    """What a column makes of a value found at `path` (its field or its fallback)."""
    names = _labels(path if column.codes == "label" else None)
    finish = _finish(column, column.date_format or profile.date_format)

    def cell(value: Any) -> Cell:
        if value is None or value == "" or type(value) in (dict, list):
            return None
        return finish(value if names is None else names.get(value, value))

    return cell


def _cell_function(profile: Profile, column: Column) -> CellFunction:
    """A column's cell of (document, member, head): the reference `row_builder` compiles."""
    if column.value is not None:
        constant = column.value
        return lambda doc, member, head: constant
    get, value_cell = _getter(column.field), _value_cell(profile, column, column.field)
    if not column.fallback:
        return lambda doc, member, head: value_cell(get(doc, member, head))
    spare, spare_cell = _getter(column.fallback), _value_cell(profile, column, column.fallback)

    def cell(doc: Document, member: Mapping[str, Any], head: Mapping[str, Any]) -> Cell:
        value = get(doc, member, head)
        if value is None or value == "":
            return spare_cell(spare(doc, member, head))
        return value_cell(value)

    return cell


def _source(column: Column) -> str:
    """household | member | head | count: where the column's cells come from (a constant:
    household; a fallback from a member makes the column a member's)."""
    paths = [p for p in (column.field, column.fallback) if p]
    if any(p.startswith("member.") for p in paths):
        return "member"
    return paths[0].split(".")[0] if paths else "household"


# --- the compiled row function ------------------------------------------------------------------

_MEMO_LIMIT = 100_000  # distinct values a column remembers (a century of days): bounded
_MISSING = object()


def _memo(value_cell: Callable[[Any], Cell]) -> tuple[dict[Any, Cell], Callable[[Any], Cell]]:
    """(the memo, a function making a value's cell that remembers a str's or an int's: never a
    bool's or a float's, which a dict would take for an int's)."""
    done: dict[Any, Cell] = {}

    def cell(value: Any) -> Cell:
        found = value_cell(value)
        if (value.__class__ is str or value.__class__ is int) and len(done) < _MEMO_LIMIT:
            done[value] = found
        return found

    return done, cell


class _Compiler:
    """The source of a profile's row function and the objects it names. Only names chosen
    here and `repr`s of a profile's keys (checked by export_profiles: `[a-z_][a-z0-9_]*`)
    enter the code. `layout`: members are tuples of these keys' values (else dicts)."""

    def __init__(self, profile: Profile, layout: Sequence[str] | None):
        self.profile, self.layout = profile, layout
        self.names: dict[str, Any] = {"MISSING": _MISSING, "head_of": head_of}
        self.household: list[str] = []  # lines run once per household
        self.member: list[str] = []  # lines run once per member (per row)

    def _name(self, prefix: str, i: int, value: object) -> str:
        self.names[f"{prefix}{i}"] = value
        return f"{prefix}{i}"

    def _index(self, key: str) -> int:
        if self.layout is None or key not in self.layout:
            raise ValueError(f"profile {self.profile.name}: member key {key!r} not in the layout")
        return list(self.layout).index(key)

    def _value(self, path: str) -> list[str]:
        """Lines setting `v` to the value at `path` (as `_getter` finds it)."""
        source, *keys = path.split(".")
        if source == "count":
            return ["v = len(members)"]
        if source == "household":
            lines = [f"v = get({keys[0]!r})"]
            return lines + [f"v = v.get({k!r}) if v.__class__ is dict else None" for k in keys[1:]]
        row = "m" if source == "member" else "head"
        if self.layout is None:
            return [f"v = {row}.get({keys[0]!r})"]
        return [f"v = {row}[{self._index(keys[0])}]"]

    def _cell(self, i: int, column: Column, path: str, tag: str) -> list[str]:
        """Lines setting `c{i}` to the cell of `v`, found at `path`: a non-empty str of a text
        column as it is, a memo's cell for the others."""
        value_cell = _value_cell(self.profile, column, path)
        labels = _labels(path if column.codes == "label" else None)
        if column.type == "text" and not (column.region or column.pad or labels):
            cell = self._name(f"f{tag}", i, value_cell)
            return [f"c{i} = v if v.__class__ is str and v else (None if v is None else {cell}(v))"]
        done, remember = _memo(value_cell)
        memo, cell = self._name(f"d{tag}", i, done), self._name(f"f{tag}", i, remember)
        return [f"c{i} = {memo}.get(v, MISSING) if v.__class__ is str or v.__class__ is int "
                "else (None if v is None else MISSING)",
                f"if c{i} is MISSING:", f"    c{i} = {cell}(v)"]  # fmt: skip

    def column(self, i: int, column: Column) -> None:
        """Lines setting `c{i}`, the column's cell, once per household unless a path is a
        member's; a member's column with a household's fallback makes that cell once."""
        if column.value is not None:
            self.household.append(f"c{i} = {self._name('k', i, column.value)}")
            return
        field, spare = column.field, column.fallback
        lines = self.member if _source(column) == "member" else self.household
        lines += self._value(field)
        if not spare:
            lines += self._cell(i, column, field, "")
            return
        spare_cell = self._value(spare) + self._cell(i, column, spare, "s")
        lines.append("if v is None or v == '':")
        if lines is self.member and not spare.startswith("member."):  # made once
            self.household += [*spare_cell, f"s{i} = c{i}"]
            lines.append(f"    c{i} = s{i}")
        else:
            lines += ["    " + line for line in spare_cell]
        lines.append("else:")
        lines += ["    " + line for line in self._cell(i, column, field, "")]

    def source(self) -> str:
        paths = [p for c in self.profile.columns for p in (c.field, c.fallback) if p]
        if not any(p.startswith("head.") for p in paths):
            head = []
        elif self.layout is None:
            head = ["    head = head_of(doc)"]
        else:
            relationship = self._index("relationship")
            head = [f"    head = next((m for m in members if m[{relationship}] == 1), "
                    "members[0] if members else NO_MEMBER)"]  # fmt: skip
        empty: object = {} if self.layout is None else (None,) * len(self.layout)
        self.names["NO_MEMBER"] = empty  # the member of a household's own row
        rows = "members" if self.profile.rows == "member" else "(NO_MEMBER,)"
        cells = ", ".join(f"c{i}" for i in range(len(self.profile.columns)))
        return "\n".join([
            "def rows(doc):",
            "    get = doc.get",
            "    members = get('members') or ()",
            *head,
            *("    " + line for line in self.household),
            "    out = []",
            "    append = out.append",
            f"    for m in {rows}:",
            *("        " + line for line in self.member),
            f"        append([{cells}])",
            "    return iter(out)",
        ])  # fmt: skip


def row_builder(
    profile: Profile, layout: Sequence[str] | None = None
) -> Callable[[Document], Iterator[list[Cell]]]:
    """A function from a household document to its rows (the profile compiled once). With
    `layout`, the document's members are tuples beginning with the values of these keys
    (app/db/export_rows.py `partial_documents(..., member_tuples=True)`), not dicts."""
    compiler = _Compiler(profile, layout)
    for i, column in enumerate(profile.columns):
        compiler.column(i, column)
    exec(compiler.source(), compiler.names)  # the compiler's own code: see _Compiler
    rows: Callable[[Document], Iterator[list[Cell]]] = compiler.names["rows"]
    return rows


def needs(profile: Profile) -> tuple[frozenset[str], tuple[str, ...] | None]:
    """(household keys, member keys) the profile's rows read from a document; member keys are
    None when its rows need no members (a head's fields need `relationship` to find the head),
    else sorted: the layout of members read as tuples (`row_builder(profile, layout)`)."""
    paths = [p for c in profile.columns for p in (c.field, c.fallback) if p]
    household = {p.split(".")[1] for p in paths if p.startswith("household.")}
    member = {p.split(".")[1] for p in paths if p.startswith(("member.", "head."))}
    if any(p.startswith("head.") for p in paths):
        member.add("relationship")
    members = profile.rows == "member" or any(
        p.startswith(("member.", "head.", "count.")) for p in paths
    )
    return frozenset(household), tuple(sorted(member)) if members else None
