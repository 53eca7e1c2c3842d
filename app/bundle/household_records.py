"""A household record as a bundle carries it (issues 6, 15, 20). Pure: no database, no Qt.

- `peek`: its household id and revision, read off the line without parsing it;
- `parsed` and `checked`: the line parsed, and validated as a household document with a
  revision (BundleError refuses the bundle);
- `unsupported`: why its revision is not accepted (not genuine, or its ancestry cut off without
  a revision held here);
- `refusal`: which of its changes a peer of a kind may not bring (DESIGN §11).

The bundle import applies records with these (app/services/versions.py); a large bundle is
checked with the same functions in a child process (app/services/sync/decoder.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from app.bundle.file import BundleError
from app.core import document, merge, ownership, revisions
from app.core.document import Document, DocumentError
from app.core.upgrade import upgrade


@dataclass(frozen=True)
class NewRows:
    """What a child process found checking a household line (app/services/sync/decoder.py),
    for the household's import if nothing is held here for it: its village, why it is
    rejected then (`new_refusal`), and its rows (app/db/households.py `household_row`,
    `member_rows`)."""

    village_code: str
    refusal: str | None
    household: tuple[Any, ...]
    members: list[tuple[Any, ...]]


@dataclass(frozen=True)
class Failed:
    """A household line a child process found not to be a valid household document: the
    BundleError that refuses the bundle if the line is applied."""

    reason: str
    message: str


Decoded = NewRows | Failed

# A household line as bundles write it (orjson, the schema's key order): the household id is
# the second key of the top-level object, and the revision near its end.
_LINE_HEAD = re.compile(rb'\{"schema_version":[0-9]{1,3},"household_id":"([0-9a-f-]{36})",')
_LINE_REV = re.compile(rb'"rev":"([1-9][0-9]{0,8}-[0-9a-f]{32})",')
_REV_KEY = b'"rev":'


def peek(line: bytes) -> tuple[str, str] | None:
    """(household id, revision) of a household line as bundles write it, read without parsing
    the line: its head, and its last "rev" key, searched from the end (a few µs less per
    household a re-import holds already); None for anything else (a carried record, which
    starts with its `record` key; another layout): parse it then. A line read this way whose
    revision is the stored one is not parsed at all: nothing of it is applied, so a line made
    to read so (a second "rev" key after the document's own) only keeps its sender's change
    out. Searching the whole line for a second key cost 3 µs a line, 0.15-0.3 s a re-import of
    50,000 (issue 20)."""
    head = _LINE_HEAD.match(line)
    if head is None:
        return None
    at = line.rfind(_REV_KEY)
    rev = _LINE_REV.match(line, at) if at >= head.end() else None
    return None if rev is None else (head.group(1).decode(), rev.group(1).decode())


def split_line(line: bytes, number: int) -> tuple[tuple[str, str] | None, Any]:
    """A payload line as the import takes it: (its household id and revision, None) when
    `peek` reads it, else (None, the parsed record). BundleError when it is no JSON; `number`:
    its place among the payload's records."""
    head = peek(line)
    if head is not None:
        return head, None
    try:
        return None, orjson.loads(line)
    except orjson.JSONDecodeError:
        raise BundleError("payload", f"record {number} is not JSON") from None


def head_of(record: Any, number: int) -> tuple[str, Any]:
    """(household id, revision) of a parsed household record; BundleError, with its reason,
    when it is not a household document (`number`: its place among the household records)."""
    found = record.get("household_id") if isinstance(record, dict) else None
    hid = found if isinstance(found, str) else checked(record, number)["household_id"]
    return hid, record.get("rev")


def parsed(record: Any, number: int, household_id: str) -> Any:
    """A line `peek` read, parsed (BundleError if it is no JSON, or names another household
    further on); a parsed record as it is."""
    if not isinstance(record, bytes):
        return record
    try:
        found = orjson.loads(record)
    except orjson.JSONDecodeError:
        raise BundleError("payload", f"record {number} is not JSON") from None
    if isinstance(found, dict) and found.get("household_id") != household_id:
        raise BundleError("schema", f"record {number} names two household ids")
    return found


def checked(record: Any, number: int) -> Document:
    """The record when it is a valid household document with a revision, else BundleError."""
    try:
        doc = document.validate(upgrade(record))  # a v1 document from an older installation
    except document.NewerDocumentError:
        raise BundleError("version", f"record {number} has a newer household schema") from None
    except DocumentError as exc:
        hid = record.get("household_id") if isinstance(record, dict) else None
        where = f"record {number}" + (f" (household {hid})" if isinstance(hid, str) else "")
        raise BundleError("schema", f"{where} is not a valid household document: {exc}") from None
    rev, revs = doc["rev"], doc["revs"]
    if not rev or not revisions.REVISION.match(rev) or not revs or revs[0] != rev:
        raise BundleError("schema", f"record {number} has no valid revision")
    return doc


def unsupported(doc: Document, local: list[merge.Version]) -> str | None:
    """Why the revision of `doc` is refused, or None: not genuine (`verify_revision`), or its
    ancestry cut off without a revision held here. A held revision in the ancestry sits at
    least as far from the top as its generation is below (exactly, in a linear history): the
    verified order and contiguity of the ancestry make that so, and so bound N by it."""
    reason = revisions.verify_revision(doc)
    if reason is None and not revisions.anchored(
        doc, {rev for v in local for rev in (v["rev"], *v["revs"])}
    ):
        reason = (
            f"generation {merge.generation(doc['rev'])} is not supported by any revision held here"
        )
    return reason


def refusal(kind: str, device_code: str, base: Document | None, doc: Document) -> str | None:
    """Why a peer trusted as `kind` may not bring `doc` on top of `base` (the version it
    builds on; None for a household new here), or None. `device_code`: this installation's,
    whose registration numbers are its own to take."""
    fields = [f for f in ownership.refused_for_kind(kind, base, doc) if f != "registration_number"]
    stored_number = None if base is None else base.get("registration_number")
    if not ownership.number_allowed(doc.get("registration_number"), stored_number, device_code):
        fields.append("registration_number")
    if not fields:
        return None
    return f"a peer trusted as {kind} may not change {', '.join(sorted(fields))}"


def new_refusal(kind: str, device_code: str, doc: Document) -> str | None:
    """Why a checked household new here (nothing held for it) is rejected from a peer trusted
    as `kind`, or None: what the import decides for it before its village is looked at."""
    return unsupported(doc, []) or refusal(kind, device_code, None, doc)
