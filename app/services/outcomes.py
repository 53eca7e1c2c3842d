"""Importing SIKS-NG outcomes (issue 19): the file Dinsos gets back from SIKS-NG — which
households were entered, verified, determined or rejected (with the reason) and which ID DTKS
each got — read through a column profile (app/core/outcome_profiles.py) with the reader the
pemadanan results use (app/services/pemadanan_files.py), previewed, then applied.

The preview changes nothing: rows, households matched, the outcomes, ID DTKS assigned, NIK or
No. KK not found, households of a kelurahan outside this Dinsos installation's area (not
recorded: another office's), keys that match more than one household (not recorded: a
duplicate for Dinsos to settle first), refused rows by row number. Applying records each
household's events through the one service for Dinsos' news (`dinsos_status.record`: one
transaction, one `dinsos.status` audit entry with the counts and the profile, no NIK); they
reach the kelurahan in its next bundle, where the household shows its status, ID DTKS and
timeline. The Plan has the shape of pemadanan's (counts, COUNTS labels, errors), so one dialog
shows both. Role `dinsos.status` (a Dinsos supervisor), Dinsos installation only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from app.core import dinsos_events, outcome_profiles
from app.core.outcome_profiles import Outcome, Profile
from app.db import canonical, listing
from app.db.listing import Holder
from app.services import dinsos_status, installation, result_profiles
from app.services.actions import Officer, require
from app.services.pemadanan_files import RowError, read_table

SOURCE = "siks-ng"
COUNTS = (
    ("rows", "baris hasil"),
    ("matched", "cocok dengan keluarga di basis data ini"),
    ("in_siks_ng", "masuk SIKS-NG"),
    ("verified", "terverifikasi"),
    ("determined", "ditetapkan"),
    ("rejected", "ditolak"),
    ("dtks_id", "ID DTKS diberikan"),
    ("not_found", "NIK / No. KK tidak ditemukan"),
    ("other_kelurahan", "keluarga di kelurahan di luar wilayah instalasi ini (tidak dicatat)"),
    ("ambiguous", "cocok dengan lebih dari satu keluarga (tidak dicatat)"),
    ("refused", "baris ditolak"),
    ("households", "keluarga yang diperbarui"),
)
# the order of a household's outcomes on one day: entered, verified, decided, then the ID
_ORDER = {step: i for i, step in enumerate((*outcome_profiles.OUTCOMES, dinsos_events.DTKS_ID))}


@dataclass
class Plan:
    """What an import would do: counts, refused rows and, per household, its events."""

    profile: str
    counts: dict[str, int] = field(default_factory=lambda: {key: 0 for key, _ in COUNTS})
    errors: list[RowError] = field(default_factory=list)
    by_household: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def profiles_folder() -> Path:
    return result_profiles.OUTCOMES.folder()


def names() -> list[str]:
    """The profiles offered: built-in, then those remembered here (result_profiles.py)."""
    return result_profiles.names(result_profiles.OUTCOMES)


def load_profile(name: str) -> Profile:
    """A built-in profile by name (resources/outcomes/<name>.toml), one remembered here, or a
    profile file Dinsos wrote (a path ending in .toml); checked."""
    return cast(Profile, result_profiles.load(result_profiles.OUTCOMES, name))


def remember_profile(path: Path, officer: Officer | None) -> str:
    """*Muat profil…*: check the profile file and keep it here; its name."""
    return result_profiles.remember(result_profiles.OUTCOMES, path, officer)


def _holders(
    found: Outcome, by_kk: Mapping[str, list[Holder]], by_nik: Mapping[str, list[Holder]]
) -> list[Holder]:
    """The households the row names: by its No. KK, else (or when the No. KK is not here) by
    its NIK (`by_kk`, `by_nik`: the file's values looked up at once)."""
    held = by_kk.get(found.no_kk, []) if found.no_kk else []
    if not held and found.nik:
        held = by_nik.get(found.nik, [])
    return held


def _events(found: Outcome, date: str, by: str) -> list[dict[str, Any]]:
    events = []
    if found.step is not None:
        events.append(dinsos_events.event(found.step, date, by, reason=found.reason))
    if found.dtks_id is not None:
        events.append(dinsos_events.event(dinsos_events.DTKS_ID, date, by, reference=found.dtks_id))
    return events


def plan(path: Path, profile: Profile, *, today: str | None = None) -> Plan:
    """The preview of importing `path` through `profile`: nothing is written. A profile
    without a date column dates the outcomes `today` (the import's day)."""
    read = read_table(
        path, profile.headers(), lambda cells: outcome_profiles.read_row(profile, cells)
    )
    result = Plan(profile.name, errors=read.errors)
    counts = result.counts
    counts["refused"] = len(read.errors)
    area = f"{installation.dinsos_area() or installation.PROVINCE_CODE}."
    by, day = dinsos_status.sender(), today or dt.date.today().isoformat()
    rows = [found for _row, found in read.results]
    by_kk = listing.holders("no_kk", [f.no_kk for f in rows if f.no_kk])
    by_nik = listing.holders("nik", [f.nik for f in rows if f.nik])
    for found in rows:
        counts["rows"] += 1
        held = _holders(found, by_kk, by_nik)
        if not held:
            counts["not_found"] += 1
            continue
        if len(held) > 1:
            counts["ambiguous"] += 1
            continue
        [holder] = held
        if not holder.village_code.startswith(area):
            counts["other_kelurahan"] += 1
            continue
        counts["matched"] += 1
        if found.step is not None:
            counts[found.step] += 1
        counts["dtks_id"] += found.dtks_id is not None
        result.by_household.setdefault(holder.household_id, []).extend(
            _events(found, found.date or day, by)
        )
    for events in result.by_household.values():
        events.sort(key=lambda one: (one["date"], _ORDER[one["step"]]))
    counts["households"] = len(_would_change(result.by_household))
    return result


def _would_change(updates: Mapping[str, list[dict[str, Any]]]) -> list[str]:
    """The households the events would change (news already recorded is not news)."""
    ids, changed = sorted(updates), []
    for start in range(0, len(ids), dinsos_status.CHUNK):
        docs = canonical.load_many(ids[start : start + dinsos_status.CHUNK])
        changed += [h for h, doc in docs.items()
                    if dinsos_events.with_events(doc, updates[h]) is not None]  # fmt: skip
    return changed


def preview(path: Path, profile_name: str, officer: Officer | None) -> Plan:
    """The preview (role checked first: the file holds personal data)."""
    require(officer, "dinsos.status")
    dinsos_status.refuse_kelurahan()
    return plan(path, load_profile(profile_name))


def apply(path: Path, profile_name: str, officer: Officer | None) -> Plan:
    """Import the outcomes: each matched household's events are recorded in one transaction
    and one audit entry (counts and profile). Returns the plan it applied."""
    require(officer, "dinsos.status")
    dinsos_status.refuse_kelurahan()
    profile = load_profile(profile_name)
    done = plan(path, profile)
    detail = {"profile": profile.name, "source": SOURCE, "counts": done.counts}
    changed = dinsos_status.record(done.by_household, officer, audit_detail=detail)
    done.counts["households"] = len(changed)
    return done
