"""*Cek status* at the counter (issue 19), pure: what was typed or scanned, and the household's
status in one sentence a resident understands.

The input line takes a registration number (`3174011001-399F0205-000001`), a NIK (16 digits,
spaces allowed) or the receipt's QR payload as a USB scanner types it (app/receipts/content.py
`qr_payload`: `DTKS:<registration number>:<verification code>`). Scanners acting as a keyboard
may add a line end, send lower case (Caps Lock) or, on some layouts, `;` for `:`; all are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core import codes
from app.core.dinsos_events import (
    DETERMINED,
    IN_SIKS_NG,
    REJECTED,
    TARGET_LIST,
    VERIFIED,
    events_of,
)
from app.core.status import criteria_text

REGISTRATION = "registration"
QR = "qr"
NIK = "nik"

_NUMBER = r"[0-9]{6,12}-[0-9A-F]{8}-[0-9]{6,9}"
_REGISTRATION = re.compile(_NUMBER)
_QR = re.compile(rf"DTKS[:;]({_NUMBER})[:;]([0-9A-F]{{16}})")
_NIK = re.compile(r"[0-9]{16}")
NOT_UNDERSTOOD = (
    "Tidak dikenali: ketik nomor registrasi (mis. 3174011001-399F0205-000001), NIK 16 angka, "
    "atau pindai kode QR tanda terima."
)


@dataclass(frozen=True)
class Lookup:
    """What to look for: `kind` registration, qr or nik; `value` the registration number or
    the NIK; `verification` the receipt's code (QR only)."""

    kind: str
    value: str
    verification: str | None = None


def parse(text: str) -> Lookup | None:
    """The look-up `text` asks for, or None when it is none of the three."""
    cleaned = "".join(text.split()).upper()
    if found := _QR.fullmatch(cleaned):
        return Lookup(QR, found[1], found[2])
    if _REGISTRATION.fullmatch(cleaned):
        return Lookup(REGISTRATION, cleaned)
    digits = cleaned.replace(".", "").replace("-", "")
    if _NIK.fullmatch(digits):
        return Lookup(NIK, digits)
    return None


@dataclass(frozen=True)
class ResidentStatus:
    """The status in words (no final stop) and the stored day it dates from, if any; `then`:
    words that follow the day inside the sentence (the day is then not in brackets)."""

    text: str
    on: str | None = None
    then: str = ""

    def line(self, date_text: Callable[[str], str]) -> str:
        """One sentence: `Sudah ditetapkan sebagai penerima (20 November 2026).`, or with
        `then`: `Ditunda pada musyawarah kelurahan 3 Desember 2026; akan dibahas lagi.`;
        `date_text` words a stored day ("" when it cannot)."""
        when = date_text(self.on) if self.on else ""
        if self.then:
            return f"{self.text} {when}{self.then}." if when else f"{self.text}{self.then}."
        return f"{self.text} ({when})." if when else f"{self.text}."


def _last(doc: Mapping[str, Any], step: str) -> dict[str, Any] | None:
    return next((e for e in reversed(events_of(doc)) if e["step"] == step), None)


def _since(doc: Mapping[str, Any], step: str) -> str | None:
    found = _last(doc, step)
    return str(found["date"]) if found else None


def resident_status(
    doc: Mapping[str, Any], applying: Sequence[str] = (), postponed_on: str | None = None
) -> ResidentStatus:
    """Where the household stands, for the resident: `applying` are the exclusion criteria
    that apply (less those a supervisor set aside); `postponed_on` the day of the locked
    musyawarah whose latest decision for it was *ditunda* (the meetings table holds it, not
    the document: a postponement leaves the household as it was)."""
    status = doc.get("status")
    found = doc.get("musyawarah")
    held: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    if doc.get("deleted"):
        return ResidentStatus("Data pendaftaran ini sudah dihapus; silakan tanya petugas")
    if status == "withdrawn":
        withdrawal = doc.get("withdrawal") or {}
        return ResidentStatus("Pendaftaran ini dibatalkan (ditarik)", withdrawal.get("at"))
    if status == "draft":
        return ResidentStatus("Pendaftaran belum selesai; silakan lengkapi di loket kelurahan")
    if status == DETERMINED:
        return ResidentStatus("Sudah ditetapkan sebagai penerima", _since(doc, DETERMINED))
    if status == REJECTED:
        rejected = _last(doc, REJECTED) or {}
        reason = f": {rejected['reason']}" if rejected.get("reason") else ""
        return ResidentStatus(f"Tidak ditetapkan oleh Kemensos{reason}", rejected.get("date"))
    if status == VERIFIED:
        return ResidentStatus(
            "Sudah diverifikasi; menunggu penetapan Kemensos", _since(doc, VERIFIED)
        )
    if status == IN_SIKS_NG:
        return ResidentStatus("Sedang diverifikasi Kemensos", _since(doc, IN_SIKS_NG))
    if status == "eligible":
        if (listed := _since(doc, TARGET_LIST)) is not None:
            return ResidentStatus(
                "Masuk daftar sasaran tetap Dinas Sosial; menunggu verifikasi Kemensos", listed
            )
        return ResidentStatus(
            "Layak menurut musyawarah kelurahan; menunggu daftar sasaran tetap Dinas Sosial",
            held.get("date"),
        )
    if status == "not_poor":
        return ResidentStatus("Dinilai tidak miskin dalam musyawarah kelurahan", held.get("date"))
    if status == "excluded":
        why = f" ({criteria_text(applying)})" if applying else ""
        return ResidentStatus(f"Tidak dapat diusulkan{why}")
    if status in ("registered", "proposed", "matched"):
        if postponed_on:
            return ResidentStatus(
                "Ditunda pada musyawarah kelurahan", postponed_on, "; akan dibahas lagi"
            )
        return ResidentStatus("Menunggu musyawarah kelurahan")
    return ResidentStatus(codes.label("household", "status", status) or "Status tidak diketahui")
