"""The order of a sender's bundles (issue 6, issue 15): which of its bundles have not arrived
(as ranges), whether a bundle follows the one before it, and the refusal of an implausible jump
in its sequence number."""

from __future__ import annotations

from app.bundle.file import BundleError, Manifest
from app.db import bundle_log

MAX_SEQUENCE_JUMP = 1000  # bundles a sender may have made for us that never arrived
Gap = tuple[int, int]  # first and last sequence number of a run of bundles not received


def sequence_check(manifest: Manifest, sender_print: str) -> tuple[list[Gap], list[str]]:
    """The ranges of bundles from this sender not received yet (after the latest full export,
    which covers everything before it) and warnings about the chain. A number more than
    MAX_SEQUENCE_JUMP past the last one received is refused: bundles lost on the way are a
    few, and a made-up `sequence: 5000000` must not become millions of "missing" bundles."""
    earlier = bundle_log.entries(sender_print, "in")
    last = max((e.sequence for e in earlier), default=0)
    if manifest["sequence"] > last + MAX_SEQUENCE_JUMP:
        raise BundleError(
            "sequence",
            f"bundle number {manifest['sequence']} is more than {MAX_SEQUENCE_JUMP} past the "
            f"last one received from this sender ({last})",
        )
    warnings = []
    for entry in earlier:
        if (
            entry.sequence == manifest["sequence"] - 1
            and entry.manifest_hash != manifest["previous"]
        ):
            warnings.append(
                f"bundle {manifest['sequence']} does not follow the bundle "
                f"{entry.sequence} received earlier (the sender may have been "
                "restored from a backup)"
            )
    seen = {e.sequence for e in earlier} | {manifest["sequence"]}
    fulls = [e.sequence for e in earlier if e.counts.get("full")]
    if manifest.fields.get("full"):
        fulls.append(manifest["sequence"])
    return gaps(seen, max(fulls, default=0)), warnings


def gaps(seen: set[int], start: int = 0) -> list[Gap]:
    """The runs of numbers after `start` (a full export, which covers what came before) and
    below the highest of `seen` that are not in `seen`, as (first, last) ranges."""
    found, before = [], start
    for number in sorted(n for n in seen if n > start):
        if number > before + 1:
            found.append((before + 1, number - 1))
        before = number
    return found


def gap_text(found: list[Gap]) -> str:
    """Ranges as people read them: "3–7, 10"."""
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in found)
