"""The sync status per peer (issue 6): the last bundle sent and received, the
acknowledgements still awaited, the bundles from the peer not received yet, and a rewritten
audit log not yet acknowledged by a supervisor (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.bundle.file import HOUSEHOLDS
from app.db import bundle_log, peers
from app.services.sync import audit_heads
from app.services.sync.sequence import Gap, gaps


@dataclass(frozen=True)
class PeerStatus:
    name: str
    fingerprint: str
    last_sent: bundle_log.Entry | None
    unacknowledged: int  # bundles sent whose acknowledgement has not come back
    last_received: bundle_log.Entry | None
    missing: list[Gap]  # bundles from the peer not received yet, as ranges
    # the peer's audit log rewritten, not acknowledged by a supervisor yet (issue 15)
    audit_warnings: list[audit_heads.HeadWarning] = field(default_factory=list)


def status() -> list[PeerStatus]:
    found = []
    for peer, print_ in peers.all_peers():
        sent = [e for e in bundle_log.entries(print_, "out") if e.kind == HOUSEHOLDS]
        received = bundle_log.entries(print_, "in")
        start = max((e.sequence for e in received if e.counts.get("full")), default=0)
        missing = gaps({e.sequence for e in received}, start)
        found.append(
            PeerStatus(
                peer.name,
                print_,
                sent[-1] if sent else None,
                sum(1 for e in sent if e.acknowledged_at is None),
                received[-1] if received else None,
                missing,
                audit_heads.open_warnings(print_),
            )
        )
    return found
