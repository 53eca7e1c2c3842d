"""Pure rules over a household document: no Qt, no database, no app imports.

`evaluate(doc)` runs the default rule set (fmotm-dki-2021) and returns an Evaluation of
findings {rule, kind, message, fields, source}; `duplicate_findings` turns the service's
database look-ups into findings of the same form.
"""

from app.rules.duplicates import duplicate_findings
from app.rules.findings import Evaluation, Finding
from app.rules.regions import RegionCodes, load_region_codes
from app.rules.rulesets import DEFAULT_RULE_SET, RULE_SETS, RuleSet, evaluate

__all__ = [
    "DEFAULT_RULE_SET",
    "RULE_SETS",
    "Evaluation",
    "Finding",
    "RegionCodes",
    "RuleSet",
    "duplicate_findings",
    "evaluate",
    "load_region_codes",
]
