"""Exclusions a supervisor has set aside because they rest on wrong data (issue 4).

An override (`exclusion_overrides` in the document: rule, reason, reference, by, at) turns the
exclusion finding of that rule into an `overridden` finding: still shown, with who set it aside,
why and on which document, but it no longer makes the household non-proposable. An override
whose rule does not apply (any more) is harmless and reported as a hint.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.rules.findings import Finding


def describe(override: dict[str, Any]) -> str:
    return (
        f"diabaikan oleh supervisor {override.get('by') or '?'}: {override.get('reason', '')}"
        f" (dokumen: {override.get('reference', '')})"
    )


def apply_overrides(doc: dict[str, Any], findings: list[Finding]) -> list[Finding]:
    overrides = {o.get("rule"): o for o in doc.get("exclusion_overrides") or [] if o}
    if not overrides:
        return findings
    applied = set()
    result = []
    for finding in findings:
        override = overrides.get(finding.rule) if finding.kind == "exclusion" else None
        if override is None:
            result.append(finding)
            continue
        applied.add(finding.rule)
        message = f"{finding.message} — {describe(override)}"
        result.append(replace(finding, kind="overridden", message=message))
    for rule in overrides.keys() - applied:
        result.append(
            Finding(
                "override_not_needed",
                "hint",
                f"Pengecualian '{rule}' diabaikan supervisor, tetapi kriteria itu tidak berlaku "
                "lagi; catatan pengabaian tidak berpengaruh.",
                ("exclusion_overrides",),
            )
        )
    return result
