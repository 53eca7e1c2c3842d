"""The audit log against an insider (issue 15): every officer's password unwraps the one
database key, so whoever can log in can rewrite or truncate the audit log with a SQLCipher tool
and recompute the chain, and `audit verify` on that device still says intact. What the device
has told its peers cannot be taken back, though: each bundle's signed manifest carries the
sender's audit chain head (entry count, hash of the last entry), the hashes of its entries at
the counts of the heads it sent this peer before (`marks`, the most recent `MARKS`), and what
its own `verify` found. The receiver keeps every head it took in (`bundle_log`) and, on import,
flags a head that does not extend the one before:

- fewer entries than the head received before, or the same count with another hash;
- another hash at the count of a head received before (a rewrite of entries already reported,
  or a truncate-and-regrow past it, even to the same count);
- a head that does not say what the log held at the head received before (`unverifiable`: the
  sender's bundle log was rolled back or edited, or more than `MARKS` bundles went missing);
- the sender's own check of its chain failed (`broken`).

The bundle is still taken in (the data may be needed); the warning is kept in `audit_warning`
and listed by `bundle status` and the sync status screen until a supervisor acknowledges it."""

from __future__ import annotations

from dataclasses import dataclass

from app.bundle.manifest_audit import AuditHead
from app.core.errors import UserError
from app.db import audit, audit_warnings, bundle_log, peers
from app.db.audit_warnings import BROKEN, REWRITTEN, UNVERIFIABLE
from app.db.connection import database
from app.services import auth

ROSTER_KEY = "roster_key"  # the peer's officer table signed by a key not vouched for
MARKS = 64  # earlier heads whose entries a bundle vouches for (about 5 KB of the manifest)


@dataclass(frozen=True)
class HeadWarning:
    """A head that does not extend the peer's earlier ones."""

    kind: str  # audit_warnings.REWRITTEN, UNVERIFIABLE, BROKEN, or ROSTER_KEY (issue 15)
    peer: str  # the peer's trusted name
    before: int | None = None  # entries at the head it is compared with
    after: int | None = None  # entries at the head of the bundle that showed it
    id: int | None = None  # once noted
    sequence: int | None = None  # of the bundle that showed it
    found_at: str | None = None

    @property
    def text(self) -> str:
        """Indonesian, one line, for the import preview and the status screen."""
        counts = f"{self.before} entri sebelumnya, {self.after} entri sekarang"
        if self.kind == ROSTER_KEY:
            return f"daftar petugas perangkat {self.peer} ditandatangani kunci lain"
        if self.kind == REWRITTEN:
            return f"log audit perangkat {self.peer} ditulis ulang ({counts})"
        if self.kind == UNVERIFIABLE:
            return (
                f"log audit perangkat {self.peer} tidak dapat dicocokkan dengan paket "
                f"sebelumnya; mungkin ditulis ulang ({counts})"
            )
        return f"log audit perangkat {self.peer} rusak menurut pemeriksaannya sendiri"

    @property
    def detail(self) -> str:
        """English, one line, for support."""
        counts = f"{self.before} entries before, {self.after} now"
        if self.kind == ROSTER_KEY:
            return (
                f"the officer table of device {self.peer} is signed by a key that the table "
                "received before does not vouch for"
            )
        if self.kind == REWRITTEN:
            return f"the audit log of device {self.peer} was rewritten ({counts})"
        if self.kind == UNVERIFIABLE:
            return f"the audit log of device {self.peer} cannot be matched to its last ({counts})"
        return f"the audit log of device {self.peer} fails its own check"


# --- the sender ------------------------------------------------------------------------------


def head_for(peer_print: str) -> AuditHead:
    """This installation's audit head for the next bundle to the peer with this fingerprint,
    vouching for the entries at the heads of the last `MARKS` bundles sent to it."""
    sent = bundle_log.audit_heads(peer_print, "out")
    counts = list(dict.fromkeys(h.count for h in reversed(sent)))[:MARKS]
    head = audit.chain_head(counts)
    return AuditHead(head.count, head.hash, head.marks, head.problem)


# --- the receiver ----------------------------------------------------------------------------


def check(
    peer_print: str, peer_name: str, sequence: int, head: AuditHead | None
) -> list[HeadWarning]:
    """What is wrong with bundle `sequence`'s head against the heads taken in from the same
    peer before (call it before the bundle is logged). A bundle without a head says nothing."""
    if head is None:
        return []
    known = bundle_log.audit_heads(peer_print, "in")
    found: dict[str, HeadWarning] = {}

    def flag(kind: str, before: int | None, after: int | None) -> None:
        found.setdefault(kind, HeadWarning(kind, peer_name, before, after, sequence=sequence))

    # Only the latest head before this one: the chain's hash at its count covers every entry
    # before it, so a rewrite reported once is not reported again with each later bundle.
    earlier = [k for k in known if k.sequence < sequence]
    if earlier:
        last = earlier[-1]
        if (
            head.count < last.count
            or (head.count == last.count and head.hash != last.hash)
            or (last.count in head.marks and head.marks[last.count] != last.hash)
        ):
            flag(REWRITTEN, last.count, head.count)
        elif head.count > last.count and last.count not in head.marks:
            flag(UNVERIFIABLE, last.count, head.count)
    for k in (k for k in known if k.sequence > sequence):  # a bundle taken in late
        if k.count < head.count or (k.count == head.count and k.hash != head.hash):
            flag(REWRITTEN, head.count, k.count)
    if head.problem is not None:
        flag(BROKEN, None, head.count)
    return list(found.values())


def note(peer_print: str, bundle_id: str, warnings: list[HeadWarning]) -> None:
    """Keep the warnings (inside the import's transaction) until a supervisor acknowledges."""
    for w in warnings:
        audit_warnings.add(peer_print, bundle_id, w.kind, w.before, w.after)


def open_warnings(peer_print: str | None = None) -> list[HeadWarning]:
    """Warnings not acknowledged yet, oldest first (of one peer, or all)."""
    names = {fp: key.name for key, fp in peers.all_peers()}
    return [
        HeadWarning(
            w.kind,
            names.get(w.peer, w.peer[:16]),
            w.before_count,
            w.after_count,
            w.id,
            w.sequence,
            w.found_at,
        )
        for w in audit_warnings.open_warnings(peer_print)
    ]


def acknowledge(warning_id: int, officer: auth.Officer) -> None:
    """A supervisor has seen the warning (and followed it up): it leaves the lists, keeping who
    acknowledged it and when."""
    auth.require(officer, "audit.view")
    found = audit_warnings.get(warning_id)
    if found is None or found.acknowledged_at is not None:
        raise UserError(
            f"Tidak ada peringatan log audit terbuka bernomor {warning_id}.",
            f"no open audit warning number {warning_id}",
        )
    with database.atomic():
        audit_warnings.acknowledge(warning_id, officer.username)
        audit.append(
            "audit.warning.acknowledge", officer=officer.username, detail={"warning": warning_id}
        )
