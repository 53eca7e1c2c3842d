"""What a household's status says in a list: its label and its tone (issue 16).

The one place that words a status for a list: an excluded household names the criteria that
applied ("Dikecualikan (mobil)"), the musyawarah decisions and a withdrawal read as such. The
UI only maps the tone to a colour; the CLI and other lists may use the label as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from app.core import codes
from app.rules.exclusions import RESIDENT_WORDING

# The exclusion criteria (app/rules/exclusions.py), in a few words each, for a list cell; a
# tooltip says them in full (RESIDENT_WORDING).
CRITERIA_SHORT = {
    "public_post": "PNS/TNI/POLRI/DPR",
    "car": "mobil",
    "njop_over_1b": "NJOP > Rp 1 M",
    "bottled_water": "air kemasan",
    "judged_not_poor": "tidak miskin (musyawarah)",
}
# Tones a UI colours; "plain" is left as the table draws it.
PLAIN, DRAFT, EXCLUDED, NOT_POOR, ELIGIBLE, WITHDRAWN, POSTPONED = (
    "plain",
    "draft",
    "excluded",
    "not_poor",
    "eligible",
    "withdrawn",
    "postponed",
)
_TONES = {
    "draft": DRAFT,
    "excluded": EXCLUDED,
    "not_poor": NOT_POOR,
    "eligible": ELIGIBLE,
    "withdrawn": WITHDRAWN,
}
_LABELS = {
    "excluded": "Dikecualikan",
    "not_poor": "Tidak miskin (musyawarah)",
    "eligible": "Layak (musyawarah)",
    "withdrawn": "Ditarik",
}


@dataclass(frozen=True)
class StatusLabel:
    text: str  # what the cell says
    tone: str  # one of the tones above
    detail: str  # a longer sentence, for a tooltip


def criteria_text(exclusions: Sequence[str]) -> str:
    """'mobil, air kemasan' for the criteria ids (an unknown id is shown as it is)."""
    return ", ".join(CRITERIA_SHORT.get(rule, rule) for rule in exclusions)


CHANGED_AFTER_DECISION = "diubah setelah musyawarah"
POSTPONED_LABEL = StatusLabel(
    "Ditunda (musyawarah)",
    POSTPONED,
    "Ditunda dalam musyawarah kelurahan; masuk agenda musyawarah berikutnya",
)


def household_status(
    status: str,
    exclusions: Sequence[str] = (),
    changed_after_decision: bool = False,
    postponed: bool = False,
) -> StatusLabel:
    """The list label of a household's status; `exclusions` are the criteria that applied;
    `changed_after_decision`: its data changed after the musyawarah decided it; `postponed`:
    its latest musyawarah decision, in an open or a locked meeting, is *tunda* (issue 17)."""
    label = POSTPONED_LABEL if postponed else _household_status(status, tuple(exclusions))
    if not changed_after_decision:
        return label
    return StatusLabel(
        f"{label.text}, {CHANGED_AFTER_DECISION}",
        label.tone,
        f"{label.detail}. Data keluarga diubah setelah keputusan musyawarah.",
    )


@cache  # a list draws thousands of cells: a handful of statuses and criteria combinations
def _household_status(status: str, exclusions: tuple[str, ...]) -> StatusLabel:
    text = _LABELS.get(status) or codes.label("household", "status", status)
    detail = codes.label("household", "status", status)
    if status == "excluded" and exclusions:
        text = f"{text} ({criteria_text(exclusions)})"
        detail = "Tidak dapat diusulkan. " + " ".join(
            RESIDENT_WORDING.get(rule, rule) for rule in exclusions
        )
    elif status == "withdrawn":
        detail = "Pendaftaran dibatalkan (ditarik); tidak dihitung pada pemeriksaan data ganda"
    return StatusLabel(text, _TONES.get(status, PLAIN), detail)


def status_choices() -> list[tuple[str, str]]:
    """[(status code, list label)] in the questionnaire's order, for a status filter."""
    return [(str(code), household_status(str(code)).text) for code, _ in
            codes.choices("household", "status")]  # fmt: skip
