"""Merging household revisions (CouchDB's model, DESIGN §7). Pure: no database, no Qt.

A household is held as its *leaves*: the winning version, and the versions that lost a conflict,
kept until a supervisor resolves it. A version supersedes the revisions in its `revs` (its
ancestry, newest first; a resolution adds the revisions it settled). Only `rev`, `revs` and
`deleted` of a version are read here, so callers may pass just those.

Every installation that holds the same leaves picks the same winner: a live version beats a
deletion, then the higher generation (the N of `N-hash`), then the greater revision id. The
generation may decide only because no version arrives unverified (issue 15): its hash matches
its content and parent, and its ancestry holds every generation below it down to 1, or down to
a revision already held here (app/core/revisions.py, app/services/versions.py). A made-up
`999999-…` is refused before it gets here; a high generation costs as many revisions.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.revisions import MAX_ANCESTRY

Version = Mapping[str, Any]

NEW, UPDATED, UNCHANGED, CONFLICT = "new", "updated", "unchanged", "conflict"


@dataclass(frozen=True)
class Merged:
    outcome: str  # NEW, UPDATED, UNCHANGED or CONFLICT
    winner: Version
    losers: tuple[Version, ...]  # kept conflict versions, best first


def generation(rev: str) -> int:
    return int(rev.split("-", 1)[0])


def winner_key(version: Version) -> tuple[bool, int, str]:
    return (not version["deleted"], generation(version["rev"]), version["rev"])


def supersedes(newer: Version, older: Version) -> bool:
    return older["rev"] in newer["revs"][1:]


def rank(leaves: Sequence[Version]) -> tuple[Version, tuple[Version, ...]]:
    """(winner, losers best first) of a household's leaves."""
    ordered = sorted(leaves, key=winner_key, reverse=True)
    return ordered[0], tuple(ordered[1:])


def merge(leaves: Sequence[Version], incoming: Version) -> Merged:
    """What becomes of a household holding `leaves` (none: unknown here) when `incoming`
    arrives: a new household, an update (fast-forward), nothing (a revision already known), or
    a conflict that keeps every leaf."""
    if not leaves:
        return Merged(NEW, incoming, ())
    if any(v["rev"] == incoming["rev"] or supersedes(v, incoming) for v in leaves):
        return Merged(UNCHANGED, *rank(leaves))
    kept = [v for v in leaves if not supersedes(incoming, v)]
    winner, losers = rank([*kept, incoming])
    return Merged(CONFLICT if losers else UPDATED, winner, losers)


def settle(revision: dict[str, Any], losers: Sequence[Version]) -> dict[str, Any]:
    """A conflict's resolution: `revision` (a new revision on top of the winner) made to
    supersede every losing version and its ancestry too, so it fast-forwards wherever any of
    them is held. Ancestors are kept newest generation first (the oldest go at the limit); the
    parent, the winner, is among them at generation N - 1, where verification looks for it."""
    if not losers:
        return revision
    ancestry = {rev for v in losers for rev in v["revs"]} | set(revision["revs"][1:])
    ordered = sorted(ancestry, key=lambda rev: (generation(rev), rev), reverse=True)
    return {**revision, "revs": [revision["revs"][0], *ordered][:MAX_ANCESTRY]}


# --- field by field (the conflict screen) -------------------------------------------------------

GROUPS = ("housing", "assets", "musyawarah")  # objects compared key by key
SKIPPED = frozenset({"schema_version", "household_id", "rev", "revs", "created_at", "updated_at"})


def differing_fields(winner: Version, other: Version) -> list[str]:
    """Paths (`address`, `assets.car`, `members`, ...) where two versions differ, in document
    order. Members are compared as one list: a household's members go together."""
    found = []
    for key in winner.keys() | other.keys():
        if key in SKIPPED:
            continue
        if key in GROUPS:
            a, b = winner.get(key) or {}, other.get(key) or {}
            found += [f"{key}.{sub}" for sub in a.keys() | b.keys() if a.get(sub) != b.get(sub)]
        elif winner.get(key) != other.get(key):
            found.append(key)
    order = list(winner.keys())
    return sorted(
        found,
        key=lambda p: (order.index(p.split(".")[0]) if p.split(".")[0] in order else len(order), p),
    )


def value_at(version: Version, path: str) -> Any:
    key, _, sub = path.partition(".")
    value = version.get(key)
    return (value or {}).get(sub) if sub else value


def take_fields(winner: Version, other: Version, paths: Sequence[str]) -> dict[str, Any]:
    """A copy of the winner with the values at `paths` taken from `other`."""
    result = copy.deepcopy(dict(winner))
    for path in paths:
        key, _, sub = path.partition(".")
        if sub:
            result[key] = {**(result.get(key) or {}), sub: copy.deepcopy(value_at(other, path))}
        elif key in other:
            result[key] = copy.deepcopy(other[key])
        else:
            result.pop(key, None)
    return result
