"""The sender's audit chain head in a bundle's manifest (issue 15): what it carries and how it
is read back, refusing a malformed one. Comparing heads is app/services/sync/audit_heads.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.bundle.file import BundleError, Manifest

AUDIT = "audit"  # the manifest's field with the sender's audit chain head (issue 15)


@dataclass(frozen=True)
class AuditHead:
    """The sender's audit chain head, as its manifest carries it: the number of entries and the
    hash of the last; `marks`, the hashes of its entries at the counts of the heads it sent this
    recipient before (so the recipient can see the log still holds what it held then); and
    `problem`, what the sender's own check of the chain found wrong (None: intact)."""

    count: int
    hash: str
    marks: dict[int, str]
    problem: str | None

    def fields(self) -> dict[str, Any]:
        marks = {str(c): h for c, h in sorted(self.marks.items())}
        return {"count": self.count, "hash": self.hash, "marks": marks, "problem": self.problem}


def audit_head(manifest: Manifest) -> AuditHead | None:
    """The audit head in a manifest; None for a bundle of a version that sent none."""
    value = manifest.fields.get(AUDIT)
    if value is None:
        return None
    try:
        count, digest, problem = value["count"], value["hash"], value.get("problem")
        marks = {int(c): h for c, h in dict(value.get("marks") or {}).items()}
        if (
            not isinstance(count, int)
            or count < 0
            or not _is_hash(digest)
            or not all(isinstance(h, str) and _is_hash(h) for h in marks.values())
            or not (problem is None or isinstance(problem, str))
        ):
            raise ValueError
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BundleError("manifest", "the manifest's audit head is malformed") from None
    return AuditHead(count, digest, marks, problem)


def _is_hash(value: Any) -> bool:
    hex_digits = "0123456789abcdef"
    return isinstance(value, str) and len(value) == 64 and all(c in hex_digits for c in value)
