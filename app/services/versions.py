"""Storing household versions that may meet others (issue 6), in batches: a bundle's documents,
and a local edit of a version that was replaced meanwhile (`households.save_household`).

The caller holds one transaction around the whole bundle; a batch reads what it needs for
merging (revision ids only), merges each document (app/core/merge.py) and writes with
executemany. Memory holds one batch, whatever the size of the bundle.

Every version that would change something is verified first (`revisions.verify_revision`:
its hash recomputed from its content and parent, one sha256; its generation supported by its
ancestry); one already held changes nothing and is not hashed. A version that fails is
rejected for its household with the reason (report and acknowledgement), and nothing of that
household changes. A version whose ancestry was cut at MAX_ANCESTRY must also hold a revision
this installation knows for the household (`revisions.anchored`). So a generation is never
more than the revisions behind it, and a made-up `999999-…` can neither win the winner choice
nor push the household's generations past what a revision id holds. A deletion is a version
like any other (`deleted: true`): verified the same way, and the sender's kind must own
`deleted` (app/core/ownership.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from app.bundle.file import BundleError
from app.core import document, merge, ownership, revisions
from app.core.document import Document, DocumentError
from app.core.errors import UserError
from app.core.upgrade import upgrade
from app.db import conflicts, households
from app.services import installation

BATCH = 500
REJECTED = "rejected"
OUTCOMES = (merge.NEW, merge.UPDATED, merge.UNCHANGED, merge.CONFLICT, REJECTED)


class HouseholdApplier:
    """Takes a bundle's documents one by one (`add`) and applies them batch by batch."""

    def __init__(
        self,
        source: str,
        scope: str | None,
        on_batch: Callable[[int], None],
        sender_kind: str | None = None,
    ):
        self.source = source  # named in kept conflict versions: which bundle brought them
        self.scope = scope  # village code prefix this installation keeps, or None for all
        self.on_batch = on_batch
        # the kind the sender is trusted as (app/core/ownership.py); None: a local edit
        self.sender_kind = sender_kind
        self.device_code = installation.device_code() if sender_kind is not None else ""
        self.pending: dict[str, Document] = {}
        self.counts: Counter[str] = Counter()
        self.outcomes: list[tuple[str, str, str, str | None]] = []
        self.seen = 0

    def add(self, record: Any) -> None:
        self.seen += 1
        doc = _checked(record, self.seen)
        if doc["household_id"] in self.pending or len(self.pending) >= BATCH:
            self.flush()
        self.pending[doc["household_id"]] = doc

    def flush(self) -> None:
        if not self.pending:
            return
        docs = list(self.pending.values())
        self.pending = {}
        ids = [d["household_id"] for d in docs]
        winners = households.heads(ids)
        kept = conflicts.heads(ids)
        inserts: list[Document] = []
        replaces: list[Document] = []
        keep: list[tuple[Document, str]] = []
        drop: list[tuple[str, str]] = []
        touched: list[str] = []
        need_local: list[str] = []  # households whose stored winner becomes a kept version
        plans: list[tuple[Document, list[merge.Version], merge.Merged]] = []
        held = households.load_many(list(winners)) if self.sender_kind is not None else {}
        for doc in docs:
            hid = doc["household_id"]
            local: list[merge.Version] = []
            if hid in winners:
                rev, revs, deleted = winners[hid]
                local.append({"rev": rev, "revs": revs, "deleted": deleted})
            local += kept.get(hid, [])
            if not local and self.scope and not doc["village_code"].startswith(self.scope):
                self._note(doc, REJECTED, f"household of kelurahan {doc['village_code']}")
                continue
            merged = merge.merge(local, doc)
            reason = None if merged.outcome == merge.UNCHANGED else _unsupported(doc, local)
            if reason is not None and self.sender_kind is None:  # an edit of a made-up revision
                raise UserError(
                    "Revisi data keluarga tidak sah: tidak cocok dengan isi atau riwayatnya. "
                    "Ambil data terbaru (household show) lalu ubah dari situ."
                )
            reason = reason or self._not_owned(doc, merged, held.get(hid))
            if reason is not None:
                self._note(doc, REJECTED, reason)
                continue
            self._note(doc, merged.outcome, None)
            if merged.outcome in (merge.NEW, merge.UNCHANGED):
                if merged.outcome == merge.NEW:
                    inserts.append(doc)
                continue
            plans.append((doc, local, merged))
            if local[0]["rev"] in {v["rev"] for v in merged.losers}:
                need_local.append(hid)
        stored = households.load_many(need_local)
        for doc, local, merged in plans:
            hid = doc["household_id"]
            winner_rev, loser_revs = merged.winner["rev"], {v["rev"] for v in merged.losers}
            old_winner, old_kept = local[0]["rev"], {v["rev"] for v in local[1:]}
            if winner_rev != old_winner:
                replaces.append(
                    doc if winner_rev == doc["rev"] else conflicts.version(hid, winner_rev)
                )
                drop += [(hid, winner_rev)] if winner_rev in old_kept else []
            else:
                touched.append(hid)
            if old_winner in loser_revs:
                keep.append((stored[hid], "local"))
            if doc["rev"] in loser_revs:
                keep.append((doc, self.source))
            drop += [(hid, rev) for rev in old_kept - loser_revs - {winner_rev}]
        conflicts.remove(drop)
        conflicts.add(keep)
        households.save_many(inserts, new=True)
        households.save_many(replaces, new=False)
        households.touch(touched)
        self.on_batch(len(docs))

    def _not_owned(self, doc: Document, merged: merge.Merged, held: Document | None) -> str | None:
        """Why the sender may not bring this version (DESIGN §11), or None. It is compared with
        the version it builds on when held (its parent kept as a conflict), else with the stored
        winner; a version that only joins the kept conflict versions is a supervisor's to
        weigh, and one already known changes nothing."""
        if self.sender_kind is None or merged.outcome == merge.UNCHANGED:
            return None
        if any(v["rev"] == doc["rev"] for v in merged.losers):
            return None
        base = held
        if held is not None and len(doc["revs"]) > 1 and doc["revs"][1] != held["rev"]:
            parent = doc["revs"][1]
            if parent in {v["rev"] for v in merged.losers}:
                base = conflicts.version(doc["household_id"], parent)
        fields = [
            f
            for f in ownership.refused_for_kind(self.sender_kind, base, doc)
            if f != "registration_number"
        ]
        stored_number = None if base is None else base.get("registration_number")
        if not ownership.number_allowed(
            doc.get("registration_number"), stored_number, self.device_code
        ):
            fields.append("registration_number")
        if not fields:
            return None
        return f"a peer trusted as {self.sender_kind} may not change {', '.join(sorted(fields))}"

    def _note(self, doc: Document, outcome: str, reason: str | None) -> None:
        self.counts[outcome] += 1
        self.outcomes.append((doc["household_id"], doc["rev"], outcome, reason))


def _unsupported(doc: Document, local: list[merge.Version]) -> str | None:
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


def _checked(record: Any, number: int) -> Document:
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
