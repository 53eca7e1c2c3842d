"""What a check returns: findings, and the evaluation of a household as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# "overridden": an exclusion a supervisor set aside (rests on wrong data): shown, not counted
KINDS = ("exclusion", "overridden", "error", "warning", "hint")
# Errors that say an answer the final save needs is missing (app/rules/completeness.py, and
# data_checks' household without members): until none is left the household is incomplete.
MISSING_RULES = frozenset({"answer_missing", "members_missing"})


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, e.g. "car", "nik_format"
    kind: str  # one of KINDS
    message: str  # Indonesian, in words a counter officer understands
    fields: tuple[str, ...] = ()  # document paths to highlight, e.g. "members[2].nik"
    source: str = ""  # the regulation or authority behind the rule
    link: str | None = None  # another household this finding points at (not in to_dict)

    def to_dict(self) -> dict[str, Any]:
        """The contract form (DESIGN §10): rule, kind, message, fields, source."""
        return {
            "rule": self.rule,
            "kind": self.kind,
            "message": self.message,
            "fields": list(self.fields),
            "source": self.source,
        }


@dataclass
class Evaluation:
    rule_set: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def exclusions(self) -> list[str]:
        """Ids of the exclusion criteria that apply, in rule order, each once."""
        return list(dict.fromkeys(f.rule for f in self.findings if f.kind == "exclusion"))

    @property
    def proposable(self) -> bool:
        """No exclusion applies (errors do not change this: they only block a final save)."""
        return not any(f.kind == "exclusion" for f in self.findings)

    @property
    def has_errors(self) -> bool:
        return any(f.kind == "error" for f in self.findings)

    @property
    def missing(self) -> list[Finding]:
        """The errors naming an answer the final save needs that is not given yet."""
        return [f for f in self.findings if f.kind == "error" and f.rule in MISSING_RULES]

    @property
    def complete(self) -> bool:
        """Every answer a DTKS proposal needs is given (other errors may remain)."""
        return not self.missing

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def with_findings(self, extra: list[Finding]) -> Evaluation:
        """A new evaluation with `extra` findings (e.g. duplicates) appended."""
        return Evaluation(self.rule_set, [*self.findings, *extra])
