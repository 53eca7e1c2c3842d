"""The household document (DESIGN §3, contract): create, validate, refuse newer versions.

A household document is plain JSON-compatible data: the unit that is edited, checked,
stored, versioned and synced. Its shape is `resources/schema/household.schema.json`, which
stays strict for what is stored and synced; a document from another tool (`parse`) is first
`normalise`d: what the store manages and answers not given may be left out of it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import jsonschema_rs
import orjson
import uuid_utils

from app.core import upgrade
from app.core.errors import EXIT_BAD_INPUT, UserError
from app.paths import resource
from app.rules import completeness

SCHEMA_VERSION = upgrade.CURRENT  # a version 1 document is read as this (upgrade.py)
Document = dict[str, Any]
# A household document from outside (a file, standard input) is read up to this size: a
# household of 50 members with every answer is about 40 kB (issue 15).
MAX_DOCUMENT_BYTES = 1024 * 1024
MAX_MESSAGE = 200  # a refusal is one line of at most this many characters
BOM = "\ufeff"


class DocumentError(UserError, ValueError):
    """The data is not a household document this version can read."""

    exit_code = EXIT_BAD_INPUT


class NewerDocumentError(DocumentError):
    """A document of a newer schema_version than this installation reads: update the app."""


@cache
def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = orjson.loads(resource("schema", "household.schema.json").read_bytes())
    return schema


@cache
def _validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(load_schema())


def _path(parts: Iterable[str | int]) -> str:
    """`data.members[0].sex`: where in the document a problem is."""
    return "data" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def new_id() -> str:
    """A time-ordered UUID (v7): index-friendly keys for households and members."""
    return str(uuid_utils.uuid7())


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _empty_member() -> Document:
    """A member's answers, none given yet (without its member_id)."""
    return {
        "nik": None,
        "name": None,
        "sex": None,
        "birth_place": None,
        "birth_date": None,
        "relationship": None,
        "marital_status": None,
        "school_participation": None,
        "education_level": None,
        "employment_position": None,
        "public_post": "none",
        "permanent_employee": False,
        "disability": "none",
        "chronic_illness": None,
        "pregnant": False,
        **upgrade.NEW_MEMBER,
    }


def new_member(**values: Any) -> Document:
    member: Document = {"member_id": new_id(), **_empty_member()}
    member.update(values)
    return member


def _empty_housing() -> Document:
    props = load_schema()["properties"]["housing"]["properties"]
    return {key: ([] if key == "power_va" else None) for key in props}


def _empty_assets() -> Document:
    props = load_schema()["properties"]["assets"]["properties"]
    return {key: (None if key == "land_building_njop_idr" else False) for key in props}


def new_household(village_code: str, **values: Any) -> Document:
    stamp = now_iso()
    doc: Document = {
        "schema_version": SCHEMA_VERSION,
        "household_id": new_id(),
        "no_kk": None,
        "village_code": village_code,
        "rw": None,
        "rt": None,
        "address": None,
        "phone": None,
        **upgrade.NEW_HOUSEHOLD,
        "housing": _empty_housing(),
        "assets": _empty_assets(),
        "members": [],
        "musyawarah": copy.deepcopy(MANAGED["musyawarah"]),
        "status": "draft",
        "registration_number": None,
        "exclusions": [],
        "created_at": stamp,
        "updated_at": stamp,
        "rev": None,
        "revs": [],
        "deleted": False,
    }
    doc.update(values)
    return doc


def validate(doc: Any) -> Document:
    """Return the document when it is valid; raise DocumentError with a readable reason."""
    if not isinstance(doc, dict):
        raise DocumentError("not a household document: expected a JSON object")
    version = doc.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise NewerDocumentError(
            f"household document has schema_version {version}; this version of Loket DTKS "
            f"reads up to {SCHEMA_VERSION}. Please update the application (perbarui aplikasi)."
        )
    validator = _validator()
    if validator.is_valid(doc):  # the common case, 30% faster than collecting an error
        return doc
    try:
        validator.validate(doc)
    except jsonschema_rs.ValidationError as exc:
        where = _path(exc.instance_path)
        raise DocumentError(
            one_line(f"invalid household document: {where}: {_reason(exc)}")
        ) from None
    return doc


# --- refusals that show no personal data (issue 15) -----------------------------------------

_MASKED_PATH = re.compile(r"(^|\.)(nik|no_kk)$|nik_not_found\[")
_LONG_NUMBER = re.compile(r"\d{12,}")  # any script's digits: a NIK, a No. KK, an account
_SHOWN = 24  # a value's JSON of up to this many characters is quoted in a refusal


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` as one line of at most `limit` characters, every long number masked."""
    from app.rules.nik import mask

    text = _LONG_NUMBER.sub(lambda m: mask(m.group()), " ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: Any, where: str) -> str:
    """A value as a refusal may quote it: short values as JSON, NIKs masked, anything longer
    only described (it may be a name, an address, or a list of members)."""
    from app.rules.nik import mask

    if isinstance(value, str) and _MASKED_PATH.search(where):
        return orjson.dumps(mask(value)).decode()
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = repr(value)
    if len(text) <= _SHOWN:
        return text
    if isinstance(value, str):
        return f"a text of {len(value)} characters"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    if isinstance(value, dict):
        return f"an object of {len(value)} keys"
    return text[:_SHOWN] + "…"


_SAFE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def _reason(exc: jsonschema_rs.ValidationError) -> str:
    """jsonschema's reason, with the offending value quoted only when short (`_shown`)."""
    where = _path(exc.instance_path)
    kind = exc.kind
    value = _shown(exc.instance, where)
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        keys = [f"'{k}'" if _SAFE_KEY.fullmatch(k) else "(a key)" for k in kind.unexpected]
        verb = "was" if len(keys) == 1 else "were"
        shown = ", ".join(keys[:5]) + (", …" if len(keys) > 5 else "")
        return f"Additional properties are not allowed ({shown} {verb} unexpected)"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.MaxItems):
        return f"{value} has more than {kind.limit} items"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.MaxLength):
        return f"{value} is longer than {kind.limit} characters"
    try:
        rendered = orjson.dumps(exc.instance).decode()
    except TypeError:
        rendered = ""
    message: str = exc.message
    if rendered and message.startswith(rendered):
        return value + message[len(rendered) :]
    return message if rendered not in message else message.replace(rendered, value)


# What the store manages (a document from another tool need not carry it), and the empty
# value each starts with; created_at / updated_at are stamped when filled.
MANAGED: Document = {
    "status": "draft",
    "registration_number": None,
    "exclusions": [],
    "rev": None,
    "revs": [],
    "deleted": False,
    "musyawarah": {"decision": None, "date": None, "minutes_number": None},
}
STAMPS = ("created_at", "updated_at")
ANSWERS = ("no_kk", "rw", "rt", "address", "phone", "dtks_id")  # the household's own answers


def _filled(value: Any, empty: Document) -> Any:
    """A copy of an object with the keys of `empty` it lacks; anything else as it is."""
    if not isinstance(value, dict):
        return value
    return {**copy.deepcopy(empty), **value}


def normalise(doc: Any) -> Any:
    """A document from another tool, completed with what it may leave out: the fields the
    store manages (`MANAGED`, the time stamps), and answers simply not given (household,
    housing, asset and member answers, `members` itself), each with its empty value, as
    `new_household` / `new_member` start them. An answer left out is then unanswered, which the
    rules report (app/rules/completeness.py), instead of "is a required property".

    Only missing keys are filled: identity (`schema_version`, `household_id`, `village_code`,
    `member_id`), values of a wrong type, and anything that is not an object are left for
    `validate` to refuse. A version 1 document is first read as version 2 (`upgrade`).
    Returns a new document; the stored schema stays strict. Used by `parse` (the CLI's
    `check` and `household add`), not by bundle import (which calls `upgrade` itself)."""
    if not isinstance(doc, dict):
        return doc
    doc = upgrade.upgrade(doc)
    stamp = now_iso()
    top = {**MANAGED, **dict.fromkeys(STAMPS, stamp), **dict.fromkeys(ANSWERS), "members": []}
    top["house_photo"] = False
    doc = _filled(doc, {**top, "housing": _empty_housing(), "assets": _empty_assets()})
    for key, empty in (
        ("musyawarah", MANAGED["musyawarah"]),
        ("housing", _empty_housing()),
        ("assets", _empty_assets()),
    ):
        doc[key] = _filled(doc[key], empty)
    if isinstance(doc["members"], list):
        doc["members"] = [_filled(m, _empty_member()) for m in doc["members"]]
    return doc


def parse(data: bytes | str) -> Document:
    """Parse JSON text from outside (a file, another tool) into a validated household
    document: `normalise` fills what such a document may leave out, then `validate` refuses
    a newer schema_version, wrong types and anything else the schema does not allow.

    Refused before that: more than MAX_DOCUMENT_BYTES, and a key given twice in one object
    (JSON parsers silently keep the last one; which NIK did the writer mean?). A UTF-8 byte
    order mark at the start is accepted."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(too_large())
    data = data.removeprefix(BOM.encode()) if isinstance(data, bytes) else data.removeprefix(BOM)
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DocumentError(one_line(f"not valid JSON: {exc}")) from None
    _refuse_repeated_keys(data)
    return validate(normalise(doc))


def too_large() -> str:
    return f"not a household document: larger than {MAX_DOCUMENT_BYTES // 1024} kB"


def _refuse_repeated_keys(data: bytes | str) -> None:
    """DocumentError when an object of the JSON text has a key twice. orjson cannot tell, so
    the text (valid JSON, already parsed once) is walked again by `json` only to check."""

    def pairs(items: list[tuple[str, Any]]) -> None:
        seen: set[str] = set()
        for key, _value in items:
            if key in seen:
                shown = key if _SAFE_KEY.fullmatch(key) else "(a key)"
                raise DocumentError(one_line(f"not a household document: key {shown} twice"))
            seen.add(key)

    json.loads(data, object_pairs_hook=pairs)


def dumps(doc: Document, pretty: bool = False) -> bytes:
    option = orjson.OPT_INDENT_2 if pretty else 0
    return orjson.dumps(doc, option=option)


def clone(doc: Document) -> Document:
    return copy.deepcopy(doc)


UNAUDITED = frozenset({"updated_at", "rev", "revs"})
MASKED_KEYS = frozenset({"nik", "no_kk"})


def changes(old: Document | None, new: Document) -> dict[str, list[Any]]:
    """{path: [old value, new value]} for every field that differs (members by member_id),
    with NIK and No. KK masked, as the audit log keeps them (UU PDP: no full NIK in logs)."""
    from app.rules.nik import mask

    found: dict[str, list[Any]] = {}

    def note(path: str, key: str, before: Any, after: Any) -> None:
        if before != after:
            if key in MASKED_KEYS:
                before, after = (mask(v) if v else v for v in (before, after))
            found[path] = [before, after]

    old = old or {}
    for key, value in new.items():
        if key in UNAUDITED or key == "members":
            continue
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                note(f"{key}.{sub}", sub, (old.get(key) or {}).get(sub), sub_value)
        else:
            note(key, key, old.get(key), value)
    before = {m["member_id"]: m for m in old.get("members", [])}
    after = {m["member_id"]: m for m in new["members"]}
    for member_id in before.keys() | after.keys():
        a, b = before.get(member_id, {}), after.get(member_id, {})
        for key in (a.keys() | b.keys()) - {"member_id"}:
            note(f"members[{member_id}].{key}", key, a.get(key), b.get(key))
    return found


# The rules read which answers a final save needs from this schema's `x-core` marks.
completeness.use_schema(load_schema)
