"""Storing household versions that may meet others (issue 6), in batches: a bundle's documents,
and a local edit of a version that was replaced meanwhile (`households.save_household`).

The caller holds one transaction around the whole bundle; a batch reads what it needs for
merging (revision ids only), merges each document (app/core/merge.py) and writes with
executemany. Memory holds one batch, whatever the size of the bundle.

A re-sent household is cheap (issue 20): a record whose revision is the one stored for its
household (one indexed look-up per batch) is noted unchanged and neither validated nor hashed;
nothing of it is applied, whatever its content says. Every other record is validated (an
invalid one refuses the bundle) before it is merged. The stored documents that ownership is
checked against are loaded only for the households that change, their members only where the
digest in the row says they differ (`_held`), and a replaced household whose member rows are
the stored ones keeps them (`households.save_many(members_kept=)`).

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
from app.bundle.household_records import (
    Decoded,
    Failed,
    NewRows,
    checked,
    head_of,
    parsed,
    refusal,
    unsupported,
)
from app.core import merge
from app.core.document import Document
from app.core.errors import UserError
from app.db import canonical, conflicts, households
from app.db.duplicates import Screen
from app.services import installation

BATCH = 500
REJECTED = "rejected"
OUTCOMES = (merge.NEW, merge.UPDATED, merge.UNCHANGED, merge.CONFLICT, REJECTED)


class LineWithheld(Exception):
    """A household held here came from a child process without its line (it sends lines only
    for the households it was told are held: app/services/sync/decoder.py): the bundle is
    taken again in-process."""


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
        # the batch's records by household id (unvalidated; a line's bytes when `peek` read
        # it), with their number in the bundle, their revision and what a child found
        self.pending: dict[str, tuple[int, Any, Any, Decoded | None]] = {}
        self.counts: Counter[str] = Counter()
        self.outcomes: list[tuple[str, str, str, str | None]] = []
        self.seen = 0
        self._notes: dict[str, tuple[str, str, str, str | None]] = {}  # the batch's outcomes
        # what the writes found for the bundle's possible-duplicate look-up (issue 20)
        self.screen = Screen()

    def add(
        self, record: Any, head: tuple[str, str] | None = None, decoded: Decoded | None = None
    ) -> None:
        """A household record: a parsed document, or a line's bytes with its (household id,
        revision) read by `peek`, parsed only if it is not the stored revision. `decoded`: what
        a child process found checking the line (app/services/sync/decoder.py), used when the
        household is new here; its line is then None unless the household is held here."""
        self.seen += 1
        hid, rev = head if head is not None else head_of(record, self.seen)
        if hid in self.pending or len(self.pending) >= BATCH:
            self.flush()
        self.pending[hid] = (self.seen, record, rev, decoded)

    def flush(self) -> None:
        """Apply the batch. A record whose revision is the stored winner's changes nothing
        (merge would say unchanged): it is noted without being validated or hashed, so a
        re-sent household costs one indexed look-up. A household new here that a child process
        checked is written from its rows (`_apply_new`). Every other record is validated
        (`checked`, which refuses the bundle) and merged."""
        if not self.pending:
            return
        batch, self.pending = self.pending, {}
        stored_revs = households.winner_revisions(list(batch))
        docs: list[Document] = []
        fresh: dict[str, NewRows] = {}
        for hid, (number, record, rev, decoded) in batch.items():
            if rev is not None and stored_revs.get(hid) == rev:
                self._notes[hid] = (hid, rev, merge.UNCHANGED, None)
            elif decoded is not None and hid not in stored_revs:
                if isinstance(decoded, Failed):
                    raise BundleError(decoded.reason, decoded.message)
                fresh[hid] = decoded
            else:
                docs.append(checked(parsed(_sent(record), number, hid), number))
        for hid in conflicts.heads(list(fresh)):  # versions kept without a winner: merge them
            number, record, _, _ = batch[hid]
            docs.append(checked(parsed(_sent(record), number, hid), number))
            del fresh[hid]
        if docs:
            self._apply(docs)
        if fresh:
            self._apply_new(fresh, {hid: batch[hid][2] for hid in fresh})
        notes, self._notes = self._notes, {}
        for hid in batch:  # in the bundle's order
            self.counts[notes[hid][2]] += 1
            self.outcomes.append(notes[hid])
        self.on_batch(len(batch))

    def _apply_new(self, fresh: dict[str, NewRows], revs: dict[str, str]) -> None:
        """Households new here that a child process checked with this sender's kind: the
        decisions `_apply` makes for a new household (outside the scope, then `new_refusal`),
        and the rows it built written as they are."""
        rows: list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = []
        for hid, new in fresh.items():
            reason = self._outside(new.village_code) or new.refusal
            self._notes[hid] = (hid, revs[hid], REJECTED if reason else merge.NEW, reason)
            if reason is None:
                rows.append((new.household, new.members))
        households.write_rows(rows, new=True, screen=self.screen)

    def _outside(self, village_code: str) -> str | None:
        """Why a household new here is not taken in: outside the village code prefix this
        installation keeps."""
        if self.scope and not village_code.startswith(self.scope):
            return f"household of kelurahan {village_code}"
        return None

    def _apply(self, docs: list[Document]) -> None:
        ids = [d["household_id"] for d in docs]
        winners = households.heads(ids)
        kept = conflicts.heads(ids)
        inserts: list[Document] = []
        replaces: list[Document] = []
        keep: list[tuple[Document, str]] = []
        drop: list[tuple[str, str]] = []
        touched: list[str] = []
        members_kept: set[str] = set()  # replaced households whose members stay as stored
        need_local: list[str] = []  # households whose stored winner becomes a kept version
        merged_docs: list[tuple[Document, list[merge.Version], merge.Merged]] = []
        plans: list[tuple[Document, list[merge.Version], merge.Merged]] = []
        for doc in docs:
            hid = doc["household_id"]
            local: list[merge.Version] = []
            if hid in winners:
                rev, revs, deleted = winners[hid]
                local.append({"rev": rev, "revs": revs, "deleted": deleted})
            local += kept.get(hid, [])
            outside = None if local else self._outside(doc["village_code"])
            if outside is not None:
                self._note(doc, REJECTED, outside)
                continue
            merged = merge.merge(local, doc)
            reason = None if merged.outcome == merge.UNCHANGED else unsupported(doc, local)
            if reason is not None and self.sender_kind is None:  # an edit of a made-up revision
                raise UserError(
                    "Revisi data keluarga tidak sah: tidak cocok dengan isi atau riwayatnya. "
                    "Ambil data terbaru (household show) lalu ubah dari situ."
                )
            if reason is not None:
                self._note(doc, REJECTED, reason)
                continue
            merged_docs.append((doc, local, merged))
        # the stored documents the sender's changes are compared with (only of what changes)
        changing = {
            d["household_id"]: d
            for d, _, m in merged_docs
            if m.outcome != merge.UNCHANGED and d["household_id"] in winners
        }
        held = _held(changing) if self.sender_kind is not None else {}
        for doc, local, merged in merged_docs:
            hid = doc["household_id"]
            reason = self._not_owned(doc, merged, held.get(hid))
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
        stored = {**held, **canonical.load_many([h for h in need_local if h not in held])}
        for doc, local, merged in plans:
            hid = doc["household_id"]
            winner_rev, loser_revs = merged.winner["rev"], {v["rev"] for v in merged.losers}
            old_winner, old_kept = local[0]["rev"], {v["rev"] for v in local[1:]}
            if winner_rev != old_winner:
                replaces.append(
                    doc if winner_rev == doc["rev"] else conflicts.version(hid, winner_rev)
                )
                if winner_rev == doc["rev"] and hid in held and _same_members(doc, held[hid]):
                    members_kept.add(hid)
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
        households.save_many(inserts, new=True, screen=self.screen)
        households.save_many(replaces, new=False, members_kept=members_kept, screen=self.screen)
        households.touch(touched)
        self.screen.unscreened.update(touched)  # stored, its rows not written: looked up whole

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
        return refusal(self.sender_kind, self.device_code, base, doc)

    def _note(self, doc: Document, outcome: str, reason: str | None) -> None:
        self._notes[doc["household_id"]] = (doc["household_id"], doc["rev"], outcome, reason)


def _sent(record: Any) -> Any:
    """A record to parse: a child process that read the bundle sent None for a line it was
    not told is held here."""
    if record is None:
        raise LineWithheld
    return record


def _held(docs: dict[str, Document]) -> dict[str, Document]:
    """The stored documents of these households (`docs`: by id, the version arriving for
    each). Where the digest in the row says the stored members are the arriving ones
    (`households.members_digest`), they are not read: the arriving ones stand in for them
    (issue 20). The others are read whole."""
    bare = canonical.load_bare(list(docs))
    held = {
        hid: {**doc, "members": docs[hid]["members"]}
        for hid, (doc, digest) in bare.items()
        if digest == households.members_digest(households.member_rows(docs[hid]))
    }
    held.update(canonical.load_many([hid for hid in bare if hid not in held]))
    return held


def _same_members(doc: Document, stored: Document) -> bool:
    """The stored members are the arriving ones: `_held` put them there (their digests are
    equal), or their rows are."""
    if stored["members"] is doc["members"]:
        return True
    return households.member_rows(doc) == households.member_rows(stored)
