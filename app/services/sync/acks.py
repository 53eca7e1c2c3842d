"""Taking in an acknowledgement (issue 6, checked since issue 15): what a peer says became of
the households this installation sent it.

An acknowledgement is believed only about what was actually sent to its sender: a bundle it
names counts only when this installation sent that households bundle to that very peer
(`bundle_log`, direction `out`), and an outcome counts only for a household and revision that
bundle carried (`bundle_content`, noted at export). Anything else (another peer's bundle, a
bundle never sent, a household never sent in it) is ignored and reported in one warning line
that names no household.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bundle import payload
from app.bundle.file import HOUSEHOLDS, BundleError, Manifest
from app.db import bundle_log
from app.services.versions import OUTCOMES

MAX_REASON = 200  # characters of a peer's reason kept


@dataclass
class AckTaken:
    counts: dict[str, int]  # outcomes taken, over every bundle acknowledged
    warnings: list[str] = field(default_factory=list)


def take_ack(path: Path, manifest: Manifest, sender: str, identity: str, total: int) -> AckTaken:
    """Read the acknowledgement at `path` from the peer with fingerprint `sender` and record,
    for each bundle it may speak of, the outcomes it may speak of. Runs inside the caller's
    transaction; a record without its fields or with an unknown outcome is BundleError."""
    named = manifest.fields.get("acknowledges")
    named = [b for b in named if isinstance(b, str)] if isinstance(named, list) else []
    sent = {b: bundle_log.content(b) for b in dict.fromkeys(named) if _sent_to(b, sender)}
    ignored_bundles = len(dict.fromkeys(named)) - len(sent)
    taken: dict[str, dict[tuple[str, str], tuple[str, str | None]]] = {b: {} for b in sent}
    ignored_records = 0

    def on_record(record: Any) -> None:
        nonlocal ignored_records
        try:
            bundle_id, outcome = record["bundle_id"], record["outcome"]
            key, reason = (record["household_id"], record["rev"]), record.get("reason")
        except (KeyError, TypeError, AttributeError):
            raise BundleError("schema", "an acknowledgement record lacks fields") from None
        if not isinstance(outcome, str) or outcome not in OUTCOMES:
            raise BundleError("schema", "an acknowledgement record has an unknown outcome")
        if not all(isinstance(v, str) for v in (bundle_id, *key)) or key not in sent.get(
            bundle_id, ()
        ):
            ignored_records += 1
            return
        reason = reason[:MAX_REASON] if isinstance(reason, str) else None
        taken[bundle_id][key] = (outcome, reason)

    payload.read_records(path, identity, on_record, total)
    totals = dict.fromkeys(OUTCOMES, 0)
    for bundle_id, rows in taken.items():
        counts = dict.fromkeys(OUTCOMES, 0)
        for outcome, _reason in rows.values():
            counts[outcome] += 1
            totals[outcome] += 1
        bundle_log.acknowledge(bundle_id, counts)
        bundle_log.add_outcomes(bundle_id, [(*key, *row) for key, row in rows.items()])
    warnings = []
    if ignored_bundles or ignored_records:
        warnings.append(
            f"the acknowledgement spoke of {ignored_bundles} bundle(s) not sent to this peer"
            f" and {ignored_records} household record(s) not sent in the bundles it"
            " acknowledges: ignored"
        )
    return AckTaken(totals, warnings)


def _sent_to(bundle_id: str, peer: str) -> bool:
    """This installation sent households bundle `bundle_id` to `peer` (and still knows it:
    a bundle sent before a restore from an older backup is not known)."""
    entry = bundle_log.get(bundle_id)
    return (
        entry is not None
        and entry.direction == "out"
        and entry.peer == peer
        and entry.kind == HOUSEHOLDS
    )
