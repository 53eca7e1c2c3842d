"""Reading an older household document as the current version (schema_version 2).

Version 2 (issue 18) added what SIKS-NG matching uses: each member's `mother_name`,
`occupation`, `dtks_id` and `presence`, the household's `dtks_id` and `house_photo`; it also
declares the musyawarah `meeting_id` and `reason` that version 1 installations of this release
wrote without a version of their own (optional keys, present once a locked meeting decided, so
a version 1 document keeps them as they are). `upgrade` reads a version 1 document as version 2
with the new answers empty; it is called where documents enter: `document.normalise` (a file,
the CLI), the bundle reader (`app/bundle/household_records.py`), the kept conflict versions and
autosaved drafts; database rows are read as version 2 (`app/db/households.py`, whose migration
16 added the columns).
A document newer than this installation is left as it is, for `document.validate` to refuse
("perbarui aplikasi").

Revisions: a revision's hash covers the content its writer saw (app/core/revisions.py). An
older installation's revision must still match once its document is upgraded here, is stored,
read back and sent on to a third installation; so the hash is taken over `hashed_form`: a
version 2 document that says nothing a version 1 document could not say is hashed as its
version 1 form. A version 1 revision thus verifies before and after the upgrade alike, and a
revision made here with any new field filled is hashed as version 2.

Pure functions: no clock, no storage. `upgrade` returns a new document (the input is not
changed) and is deterministic, so every installation upgrades a document to the same content.
"""

from __future__ import annotations

from typing import Any

CURRENT = 2
V1 = 1
# What version 2 added, with the empty value a version 1 document is read with.
NEW_HOUSEHOLD: dict[str, Any] = {"dtks_id": None, "house_photo": False}
NEW_MEMBER: dict[str, Any] = {
    "mother_name": None,
    "occupation": None,
    "dtks_id": None,
    "presence": None,
}


def _version(doc: dict[str, Any]) -> Any:
    version = doc.get("schema_version")
    return None if isinstance(version, bool) else version


def upgrade(doc: Any) -> Any:
    """A version 1 household document as version 2, each new answer empty; anything else
    (the current version, a newer one, not a document) is returned as it is."""
    if not isinstance(doc, dict) or _version(doc) != V1:
        return doc
    out = {**doc, "schema_version": CURRENT}
    for key, empty in NEW_HOUSEHOLD.items():
        out.setdefault(key, empty)
    if isinstance(out.get("members"), list):
        out["members"] = [
            {**m, **{k: v for k, v in NEW_MEMBER.items() if k not in m}}
            if isinstance(m, dict)
            else m
            for m in out["members"]
        ]
    return out


def _says_more_than_v1(doc: dict[str, Any]) -> bool:
    if any(doc.get(key, empty) != empty for key, empty in NEW_HOUSEHOLD.items()):
        return True
    members = doc.get("members")
    return isinstance(members, list) and any(
        isinstance(m, dict) and any(m.get(k, empty) != empty for k, empty in NEW_MEMBER.items())
        for m in members
    )


def hashed_form(doc: dict[str, Any]) -> dict[str, Any]:
    """What a revision hash covers: the document itself, or for a version 2 document whose
    version 2 fields are all empty, its version 1 form (what `upgrade` would have read it
    from: the new keys left out, schema_version 1)."""
    if _version(doc) != CURRENT or _says_more_than_v1(doc):
        return doc
    out = _without(doc, NEW_HOUSEHOLD)
    out["schema_version"] = V1
    members = doc.get("members")
    if isinstance(members, list):
        out["members"] = [_without(m, NEW_MEMBER) if isinstance(m, dict) else m for m in members]
    return out


def _without(mapping: dict[str, Any], keys: dict[str, Any]) -> dict[str, Any]:
    """A copy of `mapping` without `keys` (a C-level copy and a few pops: on every import)."""
    out = dict(mapping)
    for key in keys:
        out.pop(key, None)
    return out
