"""Revision ids for household documents (CouchDB style, DESIGN §7): `N-hash`.

Every save makes a new revision whose hash covers the document's content and its parent, and
whose `revs` list is the ancestry, newest first (the current revision included).

A revision that arrives from elsewhere is checked (`verify_revision`, issue 15): its hash is
recomputed from the content and the parent, its generation N is the parent's N + 1, and its
ancestry supports N: every generation below N down to 1 is present, or, when the ancestry was
cut at MAX_ANCESTRY, down to the oldest entry kept (the receiver then needs a revision of its
own in that window: `anchored`). Only the newest link can be recomputed (the ancestors' content
is not sent); what this buys is that a generation costs as many revisions as it claims, so a
made-up `999999-…` cannot outrank genuine edits in the winner choice (app/core/merge.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection

import orjson

from app.core.document import Document
from app.core.upgrade import hashed_form

REVISION_FIELDS = ("rev", "revs")
MAX_ANCESTRY = 100
REVISION = re.compile(r"^([1-9][0-9]{0,8})-([0-9a-f]{32})$")  # N-hash, N below 10^9
# Keys a document may leave out, with the value that means the same: the store leaves them out
# then (app/db/households.py OPTIONAL_KEYS, kept equal by tests/test_revisions.py), so the hash
# leaves them out too and a revision still matches its content after the round trip.
EMPTY_OPTIONAL: dict[str, object] = {
    "exclusion_overrides": [],
    "matching": None,
    "withdrawal": None,
    "duplicate_acceptances": [],
    "dinsos_events": [],
}


def content_hash(doc: Document) -> str:
    """The hash of a revision: its content (without `rev`, `revs` and empty optional keys)
    and its parent (`rev` of `doc`), 32 hex digits."""
    return _hash(doc, doc.get("rev") or "")


def _hash(doc: Document, parent: str) -> str:
    return _digest(_hashed_bytes(doc), parent)


def _hashed_bytes(doc: Document) -> bytes:
    """The canonical bytes a revision hash covers: the content (`hashed_form`, so a v1
    revision still matches, upgraded) without `rev`, `revs` and empty optional keys, as
    sorted-key JSON. Serialised once per document however many parents are tried."""
    form = hashed_form(doc)
    body = dict(form) if form is doc else form  # the v1 form is a copy already
    for key in REVISION_FIELDS:
        body.pop(key, None)
    for key, empty in EMPTY_OPTIONAL.items():
        if key in body and body[key] == empty:
            del body[key]
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def _digest(content: bytes, parent: str) -> str:
    digest = hashlib.sha256(content)
    digest.update(parent.encode())
    return digest.hexdigest()[:32]


def next_revision(doc: Document) -> Document:
    """Return `doc` with a new revision on top of its current one (a first revision, with no
    ancestry, when it has none)."""
    parent = doc.get("rev")
    generation = int(parent.split("-", 1)[0]) + 1 if parent else 1
    rev = f"{generation}-{content_hash(doc)}"
    revs = [rev, *(doc.get("revs") or [] if parent else [])][:MAX_ANCESTRY]
    return {**doc, "rev": rev, "revs": revs}


def verify_revision(doc: Document) -> str | None:
    """Why the revision of `doc` is not genuine (one line, no personal data), or None.

    - `rev` is `N-<32 hex>` and is `revs[0]`; every ancestry entry is well-formed, once;
    - the ancestry after `rev` is newest first (generations never increase);
    - N == 1 has no ancestry and its hash is over the content alone; otherwise an entry of
      generation N - 1 is the parent whose hash over content + parent gives `rev` (in a linear
      history it is `revs[1]`; a conflict resolution also lists the versions it settled, which
      `merge.settle` sorts by generation, so the parent is looked for among generation N - 1);
    - every generation from N - 1 down to the oldest entry appears (strictly consecutive in a
      linear history; a settled one may hold several revisions of a generation), and an
      ancestry shorter than MAX_ANCESTRY reaches generation 1: N is never more than the
      revisions that support it.
    """
    rev, revs = doc.get("rev"), doc.get("revs")
    if not isinstance(rev, str) or not isinstance(revs, list) or not revs or revs[0] != rev:
        return "revision is not the first entry of its ancestry"
    if len(revs) == 1:  # a first revision (a new household): the same checks, in short
        found = REVISION.match(rev)
        if found is None:
            return "malformed revision id in ancestry"
        if found.group(1) != "1":
            return f"generation {found.group(1)} does not follow from its parent"
        if _digest(_hashed_bytes(doc), "") != rev[-32:]:
            return f"revision {rev[:12]}… does not match the content"
        return None
    gens: list[int] = []
    for entry in revs:
        found = REVISION.match(entry) if isinstance(entry, str) else None
        if found is None:
            return "malformed revision id in ancestry"
        gens.append(int(found.group(1)))
    if len(set(revs)) != len(revs):
        return "revision ancestry repeats an entry"
    if any(older > newer for newer, older in zip(gens[1:], gens[2:], strict=False)):
        return "revision ancestry is not newest first"
    generation = gens[0]
    if generation == 1:
        parents: list[str] = [""] if len(revs) == 1 else []
    else:
        parents = [r for r, g in zip(revs[1:], gens[1:], strict=True) if g == generation - 1]
    if not parents:
        return f"generation {generation} does not follow from its parent"
    content = _hashed_bytes(doc)
    if not any(_digest(content, parent) == rev[-32:] for parent in parents):
        return f"revision {rev[:12]}… does not match the content"
    oldest = min(gens)
    if len(revs) < MAX_ANCESTRY and oldest != 1:
        return f"generation {generation} is not supported by its ancestry"
    if not set(range(oldest, generation)) <= set(gens[1:]):
        return f"generation {generation} is not supported by its ancestry"
    return None


def anchored(doc: Document, known: Collection[str]) -> bool:
    """Whether the generation of a verified `doc` is supported here: its ancestry reaches
    generation 1, or (cut at MAX_ANCESTRY) holds a revision this installation knows for that
    household (`known`: the stored and kept versions with their ancestries), so the history
    below the window is one already verified here."""
    revs = doc["revs"]
    return revs[-1].startswith("1-") or any(rev in known for rev in revs[1:])
