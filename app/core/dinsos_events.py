"""Dinsos' news about a household (issue 19): pure data and the functions over it.

After the musyawarah the household's path runs through Dinsos: the kota's daftar sasaran
tetap, SIKS-NG (Kemensos), verifikasi-validasi, penetapan or rejection, an ID DTKS, and a
notice when the same NIK or No. KK is registered in another kelurahan. Dinsos records each as
an *event* in the household document's `dinsos_events` (oldest first), so it travels back to
the kelurahan in the next bundle like any Dinsos-owned field (app/core/ownership.py), and the
kelurahan's timeline and *Cek status* read it there.

An event is `{step, date, by, reason, reference}`: `by` names the Dinsos installation or
office that sent it (never a resident), `reference` the target list's number, the ID DTKS or
the other kelurahan's name. The steps that move the household's status say which status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

TARGET_LIST = "target_list"
IN_SIKS_NG = "in_siks_ng"
VERIFIED = "verified"
DETERMINED = "determined"
REJECTED = "rejected"
DTKS_ID = "dtks_id"
DUPLICATE_NOTICE = "duplicate_notice"
DUPLICATE_CLEARED = "duplicate_cleared"

# step -> Indonesian label (the schema's x-labels say the same; tests/test_dinsos_events.py)
STEPS: dict[str, str] = {
    TARGET_LIST: "Masuk daftar sasaran tetap",
    IN_SIKS_NG: "Masuk SIKS-NG",
    VERIFIED: "Terverifikasi",
    DETERMINED: "Ditetapkan",
    REJECTED: "Ditolak",
    DTKS_ID: "ID DTKS diberikan",
    DUPLICATE_NOTICE: "Juga terdaftar di kelurahan lain",
    DUPLICATE_CLEARED: "Tidak lagi terdaftar ganda",
}

# the household status a step sets (the others leave it as it is)
STATUS_OF_STEP: dict[str, str] = {
    IN_SIKS_NG: "in_siks_ng",
    VERIFIED: "verified",
    DETERMINED: "determined",
    REJECTED: "rejected",
}

MAX_EVENTS = 200  # the schema's maxItems: the oldest are dropped beyond it


def event(
    step: str,
    date: str,
    by: str,
    *,
    reason: str | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    """One event (`date` is YYYY-MM-DD). Unknown steps are a programming error."""
    if step not in STEPS:
        raise ValueError(f"unknown Dinsos step {step!r}")
    return {"step": step, "date": date, "by": by, "reason": reason, "reference": reference}


def events_of(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The household's events, oldest first (none for a document that has never had any)."""
    found = doc.get("dinsos_events")
    events: list[dict[str, Any]] = [dict(one) for one in found] if isinstance(found, list) else []
    return events


def with_events(doc: Mapping[str, Any], new: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The document with `new` events added (and its status and ID DTKS moved as they say), or
    None when nothing would change: an event equal to the last one of its step is not added
    again, so importing the same file twice changes nothing. A withdrawn or deleted household
    keeps its status (its events are still recorded)."""
    events = events_of(doc)
    result = dict(doc)
    changed = False
    for one in new:
        last = next((e for e in reversed(events) if e["step"] in _kin(one["step"])), None)
        if last is not None and last["step"] == one["step"] and _same(last, one):
            continue
        events.append(dict(one))
        changed = True
        status = STATUS_OF_STEP.get(str(one["step"]))
        if status and not result.get("deleted") and result.get("status") != "withdrawn":
            result["status"] = status
        if one["step"] == DTKS_ID and one.get("reference"):
            result["dtks_id"] = one["reference"]
    if not changed:
        return None
    result["dinsos_events"] = events[-MAX_EVENTS:]
    return result


_TOGGLES = frozenset({DUPLICATE_NOTICE, DUPLICATE_CLEARED})


def _kin(step: object) -> frozenset[object]:
    """The steps a new event is compared with: a notice and its clearing take turns, so a
    notice after a clearing is news even when an older notice said the same."""
    return _TOGGLES if step in _TOGGLES else frozenset({step})


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Same news: the date and who sent it do not make a repeated outcome new."""
    return a.get("reason") == b.get("reason") and a.get("reference") == b.get("reference")


def open_duplicate_notice(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    """The latest notice that the household is registered in another kelurahan too, unless a
    later event cleared it."""
    events = events_of(doc)
    for one in reversed(events):
        step = str(one["step"])
        if step == DUPLICATE_CLEARED:
            return None
        if step == DUPLICATE_NOTICE:
            return dict(one)
    return None
