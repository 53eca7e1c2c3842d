"""The musyawarah kelurahan as a meeting (issue 17): its words and codes, the verification code
of what it decided, and what the agenda says about a household. Pure: no database, no Qt.

A meeting decides, per household on its agenda, `eligible` (layak diusulkan), `not_poor`
(dinilai tidak miskin oleh masyarakat setempat: the fifth exclusion criterion, a reason is
required) or `postpone` (tunda: the household is on the next meeting's agenda). Locking the
meeting writes `eligible` / `not_poor` into each household's document; `postpone` leaves it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core import ownership
from app.rules.exclusions import NJOP_LIMIT_IDR

ELIGIBLE, NOT_POOR, POSTPONE = "eligible", "not_poor", "postpone"
DECISIONS: dict[str, str] = {
    ELIGIBLE: "Layak diusulkan",
    NOT_POOR: "Tidak miskin",
    POSTPONE: "Ditunda",
}
# Decisions written into the household document when the meeting is locked.
WRITTEN = frozenset({ELIGIBLE, NOT_POOR})
MIN_NOT_POOR_REASON = 5
MAX_REASON = 300

OPEN, LOCKED = "open", "locked"
MEETING_STATUSES = {OPEN: "Terbuka", LOCKED: "Dikunci"}

# Who attends (Permensos 3/2021 Pasal 9: the musyawarah kelurahan is attended by the lurah,
# the RW/RT chairs, social workers and community figures).
PARTICIPANT_ROLES: dict[str, str] = {
    "lurah": "Lurah",
    "lpm": "LPM",
    "ketua_rw": "Ketua RW",
    "ketua_rt": "Ketua RT",
    "tksk": "TKSK",
    "psm": "PSM",
    "pendamping": "Pendamping sosial",
    "tokoh": "Tokoh masyarakat",
}
CHAIR_ROLE = "lurah"

# Statuses of households the agenda proposes (registered, or matched by Dinsos since) and of
# those it lists apart, for information (an exclusion: cannot be proposed).
PROPOSABLE_STATUSES = ("registered", "proposed", "matched")
EXCLUDED_STATUS = "excluded"

LEGAL_BASIS = (
    "Peraturan Menteri Sosial Nomor 3 Tahun 2021 tentang Pengelolaan Data Terpadu "
    "Kesejahteraan Sosial",
    "Instruksi Sekretaris Daerah Provinsi DKI Jakarta Nomor 54 Tahun 2021 tentang "
    "Pelaksanaan Kriteria Fakir Miskin dan Orang Tidak Mampu",
)
QR_PREFIX = "LOKET-BA"  # the QR on the berita acara: LOKET-BA:<meeting id>:<verification>


@dataclass(frozen=True)
class Decided:
    """One line of what a meeting decided, as the verification code covers it."""

    household_id: str
    decision: str
    reason: str | None


def verification_code(
    meeting_id: str, minutes_number: str | None, decided: Iterable[Decided]
) -> str:
    """SHA-256 over exactly the decided list (each household id, decision and reason, in
    household id order) and the meeting it belongs to (its id and BA number): 16 hex digits,
    upper case, as on receipts. Any change to the list changes the code."""
    lines = [meeting_id, minutes_number or ""]
    for item in sorted(decided, key=lambda d: d.household_id):
        reason = " ".join((item.reason or "").split())
        lines.append(f"{item.household_id}\t{item.decision}\t{reason}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16].upper()


def data_hash(doc: Mapping[str, Any]) -> str:
    """SHA-256 of a household's registration data (the fields DESIGN §11 gives the officers
    who register: No. KK, address, RW/RT, phone, housing, assets, members): a decision taken
    on them is flagged "diubah setelah musyawarah" once these differ."""
    owned = {
        key: doc.get(key)
        for key, group in ownership.FIELD_GROUPS.items()
        if group == ownership.REGISTRATION
    }
    body = json.dumps(owned, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def qr_payload(meeting_id: str, verification: str) -> str:
    return f"{QR_PREFIX}:{meeting_id}:{verification}"


def counts(decisions: Iterable[str], on_agenda: int) -> dict[str, int]:
    """Layak / tidak miskin / tunda / belum (not yet decided) of an agenda of `on_agenda`."""
    tally = Counter(decisions)
    decided = sum(tally[d] for d in DECISIONS)
    return {
        ELIGIBLE: tally[ELIGIBLE],
        NOT_POOR: tally[NOT_POOR],
        POSTPONE: tally[POSTPONE],
        "undecided": max(on_agenda - decided, 0),
    }


def checked_reason(decision: str, reason: str | None) -> str | None:
    """The reason as stored (spaces tidied; None when empty), or ValueError (Indonesian) when
    the decision is unknown, `not_poor` has no reason or the reason is too long."""
    if decision not in DECISIONS:
        raise ValueError(f"Keputusan tidak dikenal. Pilihan: {', '.join(DECISIONS)}.")
    text = " ".join((reason or "").split()) or None
    if decision == NOT_POOR and (text is None or len(text) < MIN_NOT_POOR_REASON):
        raise ValueError(
            f"Keputusan 'tidak miskin' memerlukan alasan (minimal {MIN_NOT_POOR_REASON} karakter)."
        )
    if text is not None and len(text) > MAX_REASON:
        raise ValueError(f"Alasan terlalu panjang (maksimal {MAX_REASON} karakter).")
    return text


def _short_rupiah(amount: float) -> str:
    if amount >= 1_000_000_000:
        return f"Rp {amount / 1_000_000_000:.1f} M".replace(".", ",")
    if amount >= 1_000_000:
        return f"Rp {amount / 1_000_000:.0f} jt"
    return f"Rp {amount:,.0f}".replace(",", ".")


def notes(
    exclusions: Iterable[str],
    overridden: Iterable[str],
    matching: Mapping[str, Any] | None,
) -> list[str]:
    """What the rules and Dinsos' matching say about a household, in a few words each (e.g.
    "Bapenda: NJOP Rp 1,2 M"), for the agenda."""
    said = [f"Pengecualian: {rule}" for rule in exclusions]
    said += [f"Pengecualian diabaikan supervisor: {rule}" for rule in overridden]
    if matching:
        if matching.get("car_per_bapenda"):
            said.append("Bapenda: memiliki mobil")
        njop = matching.get("njop_per_bapenda_idr")
        if isinstance(njop, int | float) and not isinstance(njop, bool):
            over = " (di atas batas)" if njop > NJOP_LIMIT_IDR else ""
            said.append(f"Bapenda: NJOP {_short_rupiah(njop)}{over}")
        missing = matching.get("nik_not_found") or []
        if missing:
            said.append(f"Dukcapil: {len(missing)} NIK tidak ditemukan")
        if not said:
            said.append("Pemadanan Dinsos: tidak ada catatan")
    return said
