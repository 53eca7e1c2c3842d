"""Taking in what a households bundle carries besides households (issues 17 and 15; the sender's
side is app/services/sync/carried.py), inside the import's transaction:

- **the sender's signed officer table**: kept when its signature verifies and its signer is an
  active manager in it. The first one received pins its signer's key; a later table must be
  signed by that key or by a manager key the table received before gives (a chain: the admin
  who signed before vouches for the supervisor who signs now). A table signed by any other key
  is still kept (the data may be needed), the pin moves to it, and the warning "daftar petugas
  perangkat X ditandatangani kunci lain" stays listed with the audit-log warnings until a
  supervisor acknowledges it (app/services/sync/audit_heads.py);
- **locked meetings**, only from a peer trusted as a kelurahan (DESIGN §11: the musyawarah is
  the kelurahan's) and only of a kelurahan within this installation's scope: kept read-only,
  attributed to the sender. A decision (eligible / not_poor) for a household another meeting
  here already decided — locked here or received — is a conflict, kept and listed until a
  supervisor settles it, never a silent overwrite (unless one meeting corrects the other);
- **signed decisions** about the households and meetings carried: kept as sent, checked against
  the sender's table when listed (`bundle decisions PEER`); the musyawarah's and overrides'
  only from a kelurahan.

A malformed record refuses the whole bundle (BundleError), like a malformed household.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.bundle.file import BundleError
from app.core import musyawarah as words
from app.core import ownership, signatures
from app.core.document import now_iso
from app.core.errors import UserError
from app.db import audit, audit_warnings, meetings, peers, received
from app.db.connection import database
from app.db.received import PeerRoster, ReceivedMeeting
from app.db.signatures import Decision
from app.services import auth, roster, signing
from app.services.sync import carried
from app.services.sync.attachments import BLOB, REFERENCE, AttachmentReceiver
from app.services.sync.audit_heads import ROSTER_KEY

KELURAHAN_KINDS = ("musyawarah.", "override")  # decisions only a kelurahan may send
MAX_DECISIONS = 100_000  # households one meeting can decide, and then some


@dataclass
class Received:
    """What the bundle's other records did here, for the import report."""

    meetings: int = 0  # kept (new)
    decisions: int = 0  # signed decisions received
    unverified: int = 0  # of them, not valid against the sender's officer table
    conflicts: int = 0  # meeting decisions for households another meeting decided
    roster: str = ""  # "", "pinned" (first), "kept", "other_key", "invalid"
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (meeting id, reason)
    attachments: int = 0  # references taken (new), issue 18
    attachment_blobs: int = 0  # attachments' bytes taken (new)
    attachments_rejected: int = 0  # references of households the sender may not change
    attachments_deleted: int = 0  # tombstones that deleted an attachment here


def _text(record: dict[str, Any], key: str, optional: bool = False) -> str | None:
    value = record.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > 4096:
        raise BundleError("schema", f"a {record.get(carried.RECORD)} record has no valid {key}")
    return value


class Receiver:
    """Collects the records (`add`) while households stream; `finish` stores them."""

    def __init__(self, peer: str, sender_kind: str | None, bundle_id: str, scope: str | None):
        self.peer, self.kind, self.bundle_id, self.scope = peer, sender_kind, bundle_id, scope
        self.roster: dict[str, Any] | None = None
        self.meetings: list[dict[str, Any]] = []
        self.decisions: list[dict[str, Any]] = []
        self.attachments = AttachmentReceiver(sender_kind)

    def add(self, record: dict[str, Any]) -> None:
        what = record.get(carried.RECORD)
        if what == carried.ROSTER:
            for key in ("text", "signer", "signer_key", "signature", "signed_at"):
                _text(record, key)
            self.roster = record
        elif what == carried.MEETING:
            for key in ("id", "village_code", "date"):
                _text(record, key)
            decided = record.get("decisions")
            if not isinstance(decided, list) or len(decided) > MAX_DECISIONS:
                raise BundleError("schema", "a meeting record has no valid decisions")
            for d in decided:
                if not isinstance(d, dict) or d.get("decision") not in words.DECISIONS:
                    raise BundleError("schema", "a meeting record has an invalid decision")
                _text(d, "household_id"), _text(d, "reason", True), _text(d, "data_hash", True)
            self.meetings.append(record)
        elif what == carried.DECISION:
            for key in ("kind", "subject", "signer", "signed_at"):
                _text(record, key)
            _text(record, "signer_key", True), _text(record, "signature", True)
            if not isinstance(record.get("payload"), dict):
                raise BundleError("schema", "a signed decision record has no payload")
            self.decisions.append(record)
        elif what in (REFERENCE, BLOB):  # issue 18: app/services/sync/attachments.py
            self.attachments.add(record)
        else:
            raise BundleError("schema", f"unknown record kind {str(what)[:40]!r}")

    def finish(self) -> Received:
        done = Received()
        if self.roster is not None:
            done.roster = self._roster(self.roster)
        for meeting in self.meetings:
            self._meeting(meeting, done)
        # after the meetings: a BA scan's reference needs its meeting stored (issue 18)
        (done.attachments, done.attachment_blobs, done.attachments_rejected,
         done.attachments_deleted) = self.attachments.finish()  # fmt: skip
        keys = certified(self.peer)
        for record in self.decisions:
            if self.kind != ownership.KELURAHAN and record["kind"].startswith(KELURAHAN_KINDS):
                continue  # not this kind's to decide: its households were rejected already
            decision = Decision(0, record["kind"], record["subject"], record["payload"],
                                record["signer"], record.get("signer_key"),
                                record.get("signature"), record["signed_at"])  # fmt: skip
            received.add_decision(self.peer, self.bundle_id, decision,
                                  signatures.canonical(record["payload"]))  # fmt: skip
            done.decisions += 1
            done.unverified += not signing.check_decision(decision, keys).valid
        return done

    def _roster(self, record: dict[str, Any]) -> str:
        values = [record[k] for k in ("text", "signer", "signer_key", "signature", "signed_at")]
        if roster.holds(*values) is None:
            return "invalid"
        before = received.roster(self.peer)
        if before is not None and before.signed_at >= record["signed_at"]:
            return "kept"  # the same table again, or an older one arriving late
        state = "pinned"
        if before is not None:
            vouched = {before.pinned_key} | roster.manager_keys(before.text)
            state = "kept" if record["signer_key"] in vouched else "other_key"
            if state == "other_key":
                audit_warnings.add(self.peer, self.bundle_id, ROSTER_KEY, None, None)
        text, signer, key, signature, at = values
        received.put_roster(PeerRoster(self.peer, text, signer, key, signature, at, key))
        return state

    def _meeting(self, record: dict[str, Any], done: Received) -> None:
        mid = record["id"]
        if self.kind != ownership.KELURAHAN:
            reason = f"a peer trusted as {self.kind} may not send musyawarah meeting records"
            done.rejected.append((mid, reason))
            return
        if self.scope and not record["village_code"].startswith(self.scope):
            done.rejected.append((mid, f"meeting of kelurahan {record['village_code']}"))
            return
        if meetings.get(mid) is not None:
            return  # this installation's own meeting, come back
        keep = ReceivedMeeting(mid, self.peer, self.bundle_id, record["village_code"],
                               record["date"], record.get("minutes_number"),
                               record.get("verification"), record, now_iso())  # fmt: skip
        decided = [(d["household_id"], d["decision"], d.get("reason"), d.get("data_hash"))
                   for d in record["decisions"]]  # fmt: skip
        if not received.add_meeting(keep, decided):
            return
        done.meetings += 1
        for household_id, decision, _reason, _hash in decided:
            if decision not in words.WRITTEN:
                continue
            for other in _other_deciders(household_id, mid, record.get("corrects")):
                received.add_conflict(mid, household_id, other, self.peer, self.bundle_id)
                done.conflicts += 1


def _other_deciders(household_id: str, meeting_id: str, corrects: str | None) -> list[str]:
    """Meetings other than `meeting_id` (and the one it corrects, and those correcting it) that
    decided the household: locked here, or received."""
    found = []
    here = meetings.locked_decision(household_id)
    if here is not None:
        found.append((here[0].id, here[0].corrects))
    found += [(mid, corr) for mid, corr, _hash in received.deciding(household_id)]
    return sorted({mid for mid, corr in found if meeting_id not in (mid, corr) and mid != corrects})


def certified(peer: str) -> dict[str, set[str]]:
    """The signing keys the officer table last received from `peer` gives each officer."""
    kept = received.roster(peer)
    if kept is None:
        return {}
    return roster.holds(kept.text, kept.signer, kept.signer_key, kept.signature,
                        kept.signed_at) or {}  # fmt: skip


def decided_data_hash(household_id: str) -> str | None:
    """The data hash a received meeting's decision about the household was taken on (the
    newest), for "diubah setelah musyawarah" on a copy that did not lock the meeting."""
    found = received.deciding(household_id)
    return found[0][2] if found else None


# --- listing what was received -------------------------------------------------------------------


@dataclass(frozen=True)
class PeerDecisions:
    peer: str  # the trusted name
    roster: str  # "none" (no table received), "valid" or "invalid"
    signer: str  # who signed the table received
    pinned: str  # the fingerprint of the key the table is held to
    checks: list[signing.DecisionCheck]


def peer_decisions(peer_name: str, officer: auth.Officer | None) -> PeerDecisions:
    """Every signed decision received from the peer, checked against its officer table."""
    auth.require(officer, "audit.view")
    found = [(key, fp) for key, fp in peers.all_peers() if key.name == peer_name]
    if not found:
        raise UserError(f"Mitra '{peer_name}' tidak dikenal.", f"no trusted peer {peer_name!r}")
    fp = found[0][1]
    kept = received.roster(fp)
    keys = certified(fp)
    state = "none" if kept is None else ("valid" if keys else "invalid")
    checks = [signing.check_decision(d, keys) for d in received.decisions(fp)]
    pinned = signatures.fingerprint(kept.pinned_key) if kept else ""
    return PeerDecisions(peer_name, state, kept.signer if kept else "", pinned, checks)


@dataclass(frozen=True)
class MeetingsReceived:
    meetings: list[tuple[str, ReceivedMeeting]]  # (sender's name, meeting)
    conflicts: list[received.MeetingConflict]


def meetings_received(officer: auth.Officer | None) -> MeetingsReceived:
    """The meetings received (read-only copies) and the open conflicts between meetings."""
    auth.require(officer, "bundle.import")
    names = {fp: key.name for key, fp in peers.all_peers()}
    return MeetingsReceived(
        [(names.get(m.peer, m.peer[:16]), m) for m in received.meetings()],
        received.open_conflicts(),
    )


def settle_meeting_conflict(conflict_id: int, officer: auth.Officer | None) -> None:
    """A supervisor has weighed two meetings' decisions for a household (the household's own
    versions are resolved like any conflict, field by field): the conflict leaves the list,
    keeping who settled it and when."""
    officer = auth.require(officer, "conflict.resolve")
    with database.atomic():
        if not received.resolve_conflict(conflict_id, officer.username):
            raise UserError(
                f"Tidak ada konflik musyawarah terbuka bernomor {conflict_id}.",
                f"no open meeting conflict number {conflict_id}",
            )
        audit.append(
            "conflict.resolve", officer=officer.username, detail={"meeting_conflict": conflict_id}
        )
