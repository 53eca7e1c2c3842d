"""Who owns which field (DESIGN §11, issue 15): pure data and the functions over it.

One table says which field groups an officer's role may change *here* and which field groups a
trusted peer's bundle may change on arrival, by the kind the peer was trusted as (a field
laptop, a kelurahan, Dinsos). Pure: no database, no Qt. The services apply it: a local save
(`app/services/households.py`) and the bundle import (`app/bundle/household_records.py`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

# --- peer kinds ----------------------------------------------------------------------------------

LAPTOP, KELURAHAN, DINSOS = "laptop", "kelurahan", "dinsos"
PEER_KINDS: dict[str, str] = {
    LAPTOP: "Laptop lapangan",
    KELURAHAN: "Kelurahan",
    DINSOS: "Dinsos",
}
# Peers trusted before kinds existed (migration 12): the kind that may change the least that
# still lets registrations through; a supervisor trusts them again to widen it.
DEFAULT_PEER_KIND = LAPTOP

# --- field groups ------------------------------------------------------------------------------

REGISTRATION = "registration"  # No. KK, address, RW/RT, phone, housing, assets, members
DERIVED = "derived"  # exclusions, status draft/registered/excluded: computed from the data
NUMBER = "registration_number"
LOCATION = "village_code"
WITHDRAWAL = "withdrawal"
MUSYAWARAH = "musyawarah"
OVERRIDES = "exclusion_overrides"
ACCEPTANCES = "duplicate_acceptances"
MATCHING = "matching"
DINSOS_STATUS = "dinsos_status"  # statuses after the musyawarah, ID DTKS
DELETION = "deleted"

# group -> (Indonesian name of who may change it here, English)
_SUPERVISOR = frozenset({"supervisor", "admin"})
ROLE_OWNERS: dict[str, frozenset[str]] = {
    REGISTRATION: frozenset({"petugas", "pendamping", "supervisor", "admin"}),
    DERIVED: frozenset(),  # the store computes them at a final save
    NUMBER: frozenset(),  # the registering device, once, at the first final save
    LOCATION: frozenset(),  # a household stays in its kelurahan
    WITHDRAWAL: _SUPERVISOR,  # the registering officer the same day: marks.withdraw_household
    MUSYAWARAH: _SUPERVISOR,
    OVERRIDES: _SUPERVISOR,
    ACCEPTANCES: _SUPERVISOR,
    MATCHING: _SUPERVISOR,  # a Dinsos installation's supervisor (`matching.record`)
    DINSOS_STATUS: _SUPERVISOR,
    DELETION: _SUPERVISOR,
}
KIND_OWNERS: dict[str, frozenset[str]] = {
    REGISTRATION: frozenset({LAPTOP, KELURAHAN}),
    DERIVED: frozenset({LAPTOP, KELURAHAN, DINSOS}),  # follow the data / the matching
    NUMBER: frozenset(),  # bound to the device code inside it (see `number_allowed`)
    LOCATION: frozenset(),
    WITHDRAWAL: frozenset({KELURAHAN}),
    MUSYAWARAH: frozenset({KELURAHAN}),
    OVERRIDES: frozenset({KELURAHAN}),
    ACCEPTANCES: frozenset({KELURAHAN}),
    MATCHING: frozenset({DINSOS}),
    DINSOS_STATUS: frozenset({DINSOS}),
    DELETION: frozenset({KELURAHAN}),
}
OWNER_NAMES: dict[str, tuple[str, str]] = {
    REGISTRATION: ("petugas", "an officer"),
    DERIVED: ("aplikasi saat simpan final", "the app at a final save"),
    NUMBER: ("aplikasi saat simpan final pertama", "the app at the first final save"),
    LOCATION: ("siapa pun (keluarga tetap di kelurahannya)", "nobody"),
    WITHDRAWAL: ("supervisor", "a supervisor"),
    MUSYAWARAH: ("supervisor melalui musyawarah", "a supervisor"),
    OVERRIDES: ("supervisor melalui 'Abaikan pengecualian'", "a supervisor"),
    ACCEPTANCES: ("supervisor", "a supervisor"),
    MATCHING: ("Dinsos", "Dinsos"),
    DINSOS_STATUS: ("Dinsos", "Dinsos"),
    DELETION: ("supervisor", "a supervisor"),
}

FIELD_GROUPS: dict[str, str] = {
    "no_kk": REGISTRATION,
    "rw": REGISTRATION,
    "rt": REGISTRATION,
    "address": REGISTRATION,
    "phone": REGISTRATION,
    "housing": REGISTRATION,
    "assets": REGISTRATION,
    "members": REGISTRATION,
    "village_code": LOCATION,
    "registration_number": NUMBER,
    "exclusions": DERIVED,
    "withdrawal": WITHDRAWAL,
    "musyawarah": MUSYAWARAH,
    "exclusion_overrides": OVERRIDES,
    "duplicate_acceptances": ACCEPTANCES,
    "matching": MATCHING,
    "deleted": DELETION,
    "dtks_id": DINSOS_STATUS,  # the household's ID DTKS: Dinsos assigns it (DESIGN §11)
    "dinsos_events": DINSOS_STATUS,
}
# Not owned by anyone's content: identity, stamps and revision bookkeeping.
UNOWNED = frozenset({"schema_version", "household_id", "created_at", "updated_at", "rev", "revs"})

# The fields the store manages: on a local update, one left out (or given as its empty value)
# is taken from the stored household.
MANAGED_EMPTY: dict[str, Any] = {
    "status": "draft",
    "registration_number": None,
    "exclusions": [],
    "created_at": None,
    "deleted": False,
    "matching": None,
    "dtks_id": None,
    "dinsos_events": [],
    "exclusion_overrides": [],
    "withdrawal": None,
    "duplicate_acceptances": [],
    "musyawarah": {"decision": None, "date": None, "minutes_number": None},
}

DERIVED_STATUSES = frozenset({"draft", "registered", "excluded"})
MUSYAWARAH_STATUSES = frozenset({"proposed", "eligible", "not_poor"})
DINSOS_STATUSES = frozenset({"matched", "in_siks_ng", "verified", "determined", "rejected"})

_EMPTY = {**MANAGED_EMPTY, "status": None}
# What a new household may set that is not its registration: the managed keys, less the stamps,
# the derived exclusions and the number (checked by its device code), sorted as `changes` walks.
_NEW_KEYS = tuple(
    sorted(k for k in _EMPTY if k not in UNOWNED and k not in ("exclusions", "registration_number"))
)


def status_group(old: str | None, new: str | None) -> str:
    """The group a change of status belongs to."""
    pair = {old, new}
    if "withdrawn" in pair:
        return WITHDRAWAL
    if old == "matched" and new in MUSYAWARAH_STATUSES:  # pemadanan comes before the musyawarah
        return MUSYAWARAH
    if pair & DINSOS_STATUSES:
        return DINSOS_STATUS
    if pair & MUSYAWARAH_STATUSES:
        return MUSYAWARAH
    return DERIVED


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> Iterator[tuple[str, str]]:
    """(field, group) of each top-level field `after` changes against `before` (None: a new
    household, compared with the empty values of what the store manages). Fields unknown to
    the table count as registration data."""
    if before is None:  # a new household: its answers are its registration, so only the
        for key in _NEW_KEYS:  # managed keys can count, against their empty values
            new = after.get(key, _EMPTY[key])
            if new == _EMPTY[key] or (key == "status" and new in DERIVED_STATUSES):
                continue
            yield key, status_group(None, new) if key == "status" else FIELD_GROUPS[key]
        return
    for key in sorted(after.keys() | before.keys()):
        if key in UNOWNED:
            continue
        old, new = before.get(key, _EMPTY.get(key)), after.get(key, _EMPTY.get(key))
        if old == new:
            continue
        group = status_group(old, new) if key == "status" else FIELD_GROUPS.get(key, REGISTRATION)
        yield key, group


# Field groups changed only at a Dinsos installation: a kelurahan receives them in bundles,
# whatever the officer's role there (DESIGN §11, issue 19): pemadanan results, the statuses after
# the musyawarah (in SIKS-NG, verified, determined, rejected), the ID DTKS and Dinsos' news.
DINSOS_ONLY_GROUPS = frozenset({MATCHING, DINSOS_STATUS})


def role_may(role: str, group: str, *, at_dinsos: bool = True) -> bool:
    """May an officer of `role` change `group` here (`at_dinsos`: on a Dinsos installation)?"""
    return role in ROLE_OWNERS[group] and (at_dinsos or group not in DINSOS_ONLY_GROUPS)


def refusal(field: str, group: str, role: str, role_label: str) -> tuple[str, str]:
    """(Indonesian, English) one-line refusal of a change to `field` by an officer whose `role`
    (`role_label` as the UI names it) may not change its group here. Names no value."""
    who, who_en = OWNER_NAMES[group]
    return (
        f"Kolom {field} hanya dapat diubah oleh {who}; peran {role_label} tidak berwenang "
        "mengubahnya.",
        f"field {field} may only be changed by {who_en} (role {role} may not)",
    )


def kind_may(kind: str, group: str) -> bool:
    return kind in KIND_OWNERS[group]


def refused_for_kind(
    kind: str, before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> list[str]:
    """The fields of `after` a peer of `kind` may not change (English, for the reason)."""
    return [key for key, group in changes(before, after) if not kind_may(kind, group)]


def number_allowed(number: str | None, stored: str | None, own_device_code: str) -> bool:
    """A registration number arriving from a peer: never a change of a number already held,
    and never one made with this device's code (they are this device's to take)."""
    if number == stored or number is None:
        return number == stored or stored is None
    if stored is not None:
        return False
    parts = number.split("-")
    return len(parts) == 3 and parts[1].upper() != own_device_code.upper()
