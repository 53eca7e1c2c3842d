"""Cross-kelurahan duplicates (issue 19): on a Dinsos installation, a NIK or No. KK registered
in households of two or more kelurahan.

`find` lists them for Dinsos (the value masked, each household's kelurahan, registration
number and status). `notify` tells each household concerned, through the one service that
records Dinsos' news (app/services/dinsos_status.record), so the notice travels in the
kelurahan's next bundle and shows on the household there
(app/core/dinsos_events.open_duplicate_notice): a `duplicate_notice` event whose reference
names the OTHER kelurahan (never the other household's data), and a `duplicate_cleared` event
where an earlier notice no longer holds (the other household withdrawn, deleted, corrected).
Running it again changes nothing.

Role: `duplicates.cross` to see the list (a supervisor's, as the overview; its own action
because the list shows registration numbers and masked NIKs, where the overview's
`dinsos.overview` promises counts only); sending also needs `dinsos.status`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from app.core import dinsos_events
from app.core.errors import UserError
from app.core.status import household_status
from app.db import canonical
from app.db import cross_duplicates as stored
from app.rules.nik import mask
from app.services import dinsos_status, installation
from app.services.actions import Officer, require

KINDS = {stored.NIK: "NIK", stored.NO_KK: "No. KK"}


@dataclass(frozen=True)
class Household:
    household_id: str
    village_code: str
    kelurahan: str
    registration_number: str | None
    status: str  # household.status code
    status_label: str  # as lists say it (app/core/status.py)


@dataclass(frozen=True)
class Group:
    """One NIK or No. KK and the households of two or more kelurahan that hold it."""

    kind: str  # "NIK" or "No. KK"
    masked: str  # app/rules/nik.mask: 3174********0003
    households: tuple[Household, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "masked": self.masked,
            "households": [asdict(h) for h in self.households],
        }


@dataclass(frozen=True)
class Sent:
    notices: int  # households that received a (new) notice
    cleared: int  # households whose earlier notice was cleared


def _area(officer: Officer | None) -> str:
    require(officer, "duplicates.cross")
    area = installation.dinsos_area()
    if area is None:
        raise UserError("Data ganda antar kelurahan hanya dilihat di loket Dinas Sosial.")
    return area


def _kelurahan_names() -> dict[str, str]:
    return {v.code: f"Kelurahan {v.name}" for v in installation.villages()}


def _groups(area: str) -> list[tuple[str, str, list[Household]]]:
    """(kind, full value, its households); the value never leaves this module unmasked."""
    names = _kelurahan_names()
    grouped: dict[tuple[str, str], list[Household]] = defaultdict(list)
    for h in stored.holders(area):
        name = names.get(h.village_code, h.village_code)
        grouped[(h.kind, h.value)].append(
            Household(
                h.household_id,
                h.village_code,
                name,
                h.registration_number,
                h.status,
                household_status(h.status).text,
            )
        )
    return [(kind, value, found) for (kind, value), found in grouped.items()]


def find(officer: Officer | None) -> list[Group]:
    """Every NIK and No. KK held in two or more kelurahan of this Dinsos installation's area,
    masked; NIKs first, then No. KK, each by its first kelurahan."""
    groups = [
        Group(KINDS[kind], mask(value), tuple(found))
        for kind, value, found in _groups(_area(officer))
    ]
    return sorted(groups, key=lambda g: (g.kind != "NIK", g.households[0].village_code))


def _reason(kinds: set[str]) -> str:
    return " dan ".join(KINDS[k] for k in (stored.NIK, stored.NO_KK) if k in kinds) + " sama"


def _planned(area: str) -> dict[str, list[dict[str, Any]]]:
    """Household id -> the one event it should receive now (none when its open notice already
    says so): a notice naming the other kelurahan, or a clearing of a notice that no longer
    holds."""
    others: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for kind, _value, found in _groups(area):
        for h in found:
            others[h.household_id] |= {
                o.kelurahan for o in found if o.village_code != h.village_code
            }
            kinds[h.household_id].add(kind)
    today, by = dt.date.today().isoformat(), dinsos_status.sender()
    wanted: dict[str, list[dict[str, Any]]] = {
        hid: [
            dinsos_events.event(
                dinsos_events.DUPLICATE_NOTICE, today, by,
                reason=_reason(kinds[hid]), reference=", ".join(sorted(names)),
            )
        ]
        for hid, names in others.items()
    }  # fmt: skip
    stale = [hid for hid in stored.with_notice() if hid not in wanted]
    wanted.update(
        {hid: [dinsos_events.event(dinsos_events.DUPLICATE_CLEARED, today, by)] for hid in stale}
    )
    docs = canonical.load_many(sorted(wanted))
    return {
        hid: events for hid, events in wanted.items() if hid in docs and _news(docs[hid], events[0])
    }


def _news(doc: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether the event changes what the household is told: a notice unless the open one says
    the same, a clearing only of an open notice."""
    open_notice = dinsos_events.open_duplicate_notice(doc)
    if new["step"] == dinsos_events.DUPLICATE_CLEARED:
        return open_notice is not None
    return open_notice is None or (open_notice.get("reason"), open_notice.get("reference")) != (
        new.get("reason"),
        new.get("reference"),
    )


def notify(officer: Officer | None) -> Sent:
    """Record the notices and clearings due (one transaction, one audit entry with counts
    only); nothing at all, not even an audit entry, when none is due."""
    area = _area(officer)
    require(officer, "dinsos.status")
    dinsos_status.refuse_kelurahan()
    updates = _planned(area)
    if not updates:
        return Sent(0, 0)
    clearing = {h for h, e in updates.items() if e[0]["step"] == dinsos_events.DUPLICATE_CLEARED}
    detail = {"duplicate_notices": len(updates) - len(clearing), "cleared": len(clearing)}
    changed = set(dinsos_status.record(updates, officer, audit_detail=detail))
    return Sent(len(changed - clearing), len(changed & clearing))
