"""Revision ids for household documents (CouchDB style, DESIGN §7): `N-hash`.

Every save makes a new revision whose hash covers the document's content and its parent, and
whose `revs` list is the ancestry, newest first (the current revision included).
"""

from __future__ import annotations

import hashlib

import orjson

from app.core.document import Document

REVISION_FIELDS = ("rev", "revs")
MAX_ANCESTRY = 100


def content_hash(doc: Document) -> str:
    body = {k: v for k, v in doc.items() if k not in REVISION_FIELDS}
    digest = hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS))
    digest.update((doc.get("rev") or "").encode())
    return digest.hexdigest()[:32]


def next_revision(doc: Document) -> Document:
    """Return `doc` with a new revision on top of its current one."""
    parent = doc.get("rev")
    generation = int(parent.split("-", 1)[0]) + 1 if parent else 1
    rev = f"{generation}-{content_hash(doc)}"
    revs = [rev, *doc.get("revs", [])][:MAX_ANCESTRY]
    return {**doc, "rev": rev, "revs": revs}
