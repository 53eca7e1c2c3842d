"""Versioned rule sets: an id and the checks it runs. New criteria are a new entry here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from app.rules import completeness, data_checks, exclusions, programs
from app.rules.context import Context, Requirement
from app.rules.findings import Evaluation, Finding
from app.rules.overrides import apply_overrides
from app.rules.regions import RegionCodes

Check = Callable[[dict[str, Any], Context], Iterable[Finding]]
DEFAULT_RULE_SET = "fmotm-dki-2021"


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    checks: tuple[Check, ...]


RULE_SETS = {
    DEFAULT_RULE_SET: RuleSet(
        DEFAULT_RULE_SET,
        "FMOTM DKI Jakarta (Ingub Sekda 54/2021)",
        (*exclusions.CHECKS, *data_checks.CHECKS, *completeness.CHECKS, *programs.CHECKS),
    ),
}


def evaluate(
    doc: dict[str, Any],
    rule_set: str = DEFAULT_RULE_SET,
    *,
    today: dt.date | None = None,
    regions: RegionCodes | None = None,
    required: tuple[Requirement, ...] | None = None,
) -> Evaluation:
    """Run a rule set over a household document (drafts too: missing values never crash).

    `required`: the answers a final save needs; by default those the household schema marks
    (app/rules/completeness.py)."""
    try:
        chosen = RULE_SETS[rule_set]
    except KeyError:
        raise ValueError(f"unknown rule set {rule_set!r}; known: {', '.join(RULE_SETS)}") from None
    if required is None:
        required = completeness.schema_requirements()
    ctx = Context(today or dt.date.today(), regions, required)
    findings = [f for check in chosen.checks for f in check(doc, ctx)]
    return Evaluation(chosen.id, apply_overrides(doc, findings))
