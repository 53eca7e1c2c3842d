"""What a receipt says, worked out from the household document: plain values, no drawing.

`receipt_content()` picks the head of family, lists what was registered so the resident can
check it (No. KK, address with RT/RW, every member with the NIK masked the one way every screen
masks it, app/rules/nik.py `mask`), splits the exclusions into those
that apply and those a supervisor set aside (`exclusion_overrides`), and words them for the
resident (app/rules/exclusions.py `RESIDENT_WORDING`). The layouts (app/receipts/layout.py)
only place these values on paper.

The verification code is SHA-256 over what the receipt certifies (registration number,
household id, the head's full NIK, member count, the exclusions that apply), 16 hex digits.
The kelurahan recomputes it from the stored household to check a receipt a resident brings
(`verification_code`); the full NIK is in the hash but never on the paper.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from app.receipts.formatting import date_short, in_wib, month_year, parse_date
from app.rules.exclusions import RESIDENT_WORDING
from app.rules.nik import mask

HEAD_OF_FAMILY = 1  # relationship code 409
MATCHING_DAYS = 14  # Dukcapil/Bapenda matching: the kelurahan's planning figure
QR_PREFIX = "DTKS"


@dataclass(frozen=True)
class SetAside:
    """An exclusion a supervisor set aside, with the written reason and document reference."""

    rule: str
    wording: str
    reason: str
    reference: str
    by: str


@dataclass(frozen=True)
class Person:
    """A member as the receipt lists them: the name and the masked NIK."""

    name: str
    nik_masked: str


@dataclass(frozen=True)
class Step:
    what: str
    when: str


@dataclass(frozen=True)
class ReceiptContent:
    province: str
    kelurahan: str
    kecamatan: str
    kota: str
    registration_number: str
    issued_at: dt.datetime  # when the original receipt was given
    head_name: str
    head_nik_masked: str
    member_count: int
    no_kk_masked: str
    address: str  # the street address, RT/RW
    members: tuple[Person, ...]
    exclusions: tuple[str, ...]  # wording of each exclusion that applies
    set_aside: tuple[SetAside, ...]
    steps: tuple[Step, ...]
    officer_name: str  # who registered (printed the original), under *Petugas pendaftaran*
    verification: str
    copy: int = 0  # 0: the original; n: the n-th reprint (SALINAN)
    printed_at: dt.datetime | None = None  # when this copy was printed (reprints)
    reprinted_by: str = ""  # who printed this SALINAN, named apart from the registering one

    @property
    def proposable(self) -> bool:
        return not self.exclusions

    @property
    def qr_payload(self) -> str:
        return f"{QR_PREFIX}:{self.registration_number}:{self.verification}"


def head_of_family(doc: dict[str, Any]) -> dict[str, Any]:
    members: list[dict[str, Any]] = doc.get("members") or []
    for member in members:
        if member.get("relationship") == HEAD_OF_FAMILY:
            return member
    return members[0] if members else {}


def overrides_by_rule(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["rule"]: o for o in doc.get("exclusion_overrides") or [] if o.get("rule")}


def applying_exclusions(doc: dict[str, Any]) -> list[str]:
    """Exclusion ids stored with the household, less those a supervisor set aside."""
    overridden = overrides_by_rule(doc)
    return [rule for rule in doc.get("exclusions") or [] if rule not in overridden]


def verification_code(doc: dict[str, Any]) -> str:
    head = head_of_family(doc)
    body = "|".join(
        [
            doc.get("registration_number") or "",
            doc["household_id"],
            head.get("nik") or "",
            str(len(doc.get("members") or [])),
            ",".join(sorted(applying_exclusions(doc))),
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()[:16].upper()


def address_line(doc: dict[str, Any]) -> str:
    """The address as the form holds it, with RT/RW (`Jl. Melati 5, RT 003 / RW 005`)."""
    parts = [" ".join(str(doc.get("address") or "").split())]
    rt, rw = doc.get("rt"), doc.get("rw")
    parts.append(
        " / ".join(
            f"{name} {value:03d}"
            for name, value in (("RT", rt), ("RW", rw))
            if isinstance(value, int)
        )
    )
    return ", ".join(part for part in parts if part) or "-"


def wording(rule: str) -> str:
    return RESIDENT_WORDING.get(rule, f"Kriteria pengecualian {rule}.")


def _month_end(day: dt.date, months_ahead: int) -> dt.date:
    month_index = day.month - 1 + months_ahead
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def next_steps(issued: dt.date, proposable: bool, musyawarah: dt.date | None) -> list[Step]:
    """The process after registration (Ingub Sekda 54/2021) with dates: the musyawarah date
    when the kelurahan has set it (or held it), otherwise estimates from the registration day."""
    held = musyawarah or _month_end(issued, 1)
    meeting = date_short(held) if musyawarah else f"paling lambat {date_short(held)}"
    decided = month_year(_month_end(held, 2))
    if not proposable:
        return [
            Step(
                "Bila keterangan di atas tidak benar lagi (misalnya mobil sudah dijual), datang "
                "ke kelurahan membawa bukti; supervisor kelurahan dapat meninjaunya.",
                f"sebelum musyawarah kelurahan ({meeting})",
            ),
            Step(
                "Bila keadaan keluarga berubah, Anda dapat mendaftar kembali.",
                "kapan saja",
            ),
        ]
    return [
        Step(
            "Pemadanan data dengan Dukcapil (NIK, KK) dan Bapenda (NJOP)",
            f"sampai {date_short(issued + dt.timedelta(days=MATCHING_DAYS))}",
        ),
        Step("Musyawarah kelurahan membahas usulan keluarga", meeting),
        Step("Penetapan DTKS oleh Kementerian Sosial", f"perkiraan {decided}"),
        Step(
            "Cek hasilnya di cekbansos.kemensos.go.id atau di loket kelurahan",
            f"mulai {decided}",
        ),
    ]


def receipt_content(
    doc: dict[str, Any],
    *,
    province: str,
    kelurahan: str,
    kecamatan: str,
    kota: str,
    officer_name: str,
    issued_at: dt.datetime,
    copy: int = 0,
    printed_at: dt.datetime | None = None,
    musyawarah: dt.date | None = None,
    officer_names: dict[str, str] | None = None,
    reprinted_by: str = "",
) -> ReceiptContent:
    """The receipt of a household saved as final. `officer_name` is who registered it (on a
    reprint still the original's officer), `reprinted_by` who prints a SALINAN;
    `officer_names` maps usernames (of the supervisors who set exclusions aside) to names."""
    head = head_of_family(doc)
    names = officer_names or {}
    exclusions = tuple(wording(rule) for rule in applying_exclusions(doc))
    set_aside = tuple(
        SetAside(
            rule,
            wording(rule),
            str(o.get("reason") or ""),
            str(o.get("reference") or ""),
            names.get(o.get("by") or "", o.get("by") or ""),
        )
        for rule, o in overrides_by_rule(doc).items()
    )
    held = doc.get("musyawarah") or {}
    # A held musyawarah's date wins; an impossible stored date (2024-99-99) is read as none.
    musyawarah = parse_date(held.get("date") if isinstance(held, dict) else None) or musyawarah
    return ReceiptContent(
        province=province,
        kelurahan=kelurahan,
        kecamatan=kecamatan,
        kota=kota,
        registration_number=doc.get("registration_number") or "",
        issued_at=issued_at,
        head_name=head.get("name") or "-",
        head_nik_masked=mask(head.get("nik")) or "-",
        member_count=len(doc.get("members") or []),
        no_kk_masked=mask(doc.get("no_kk")) or "-",
        address=address_line(doc),
        members=tuple(
            Person(m.get("name") or "-", mask(m.get("nik")) or "-")
            for m in doc.get("members") or []
        ),
        exclusions=exclusions,
        set_aside=set_aside,
        steps=tuple(next_steps(in_wib(issued_at).date(), not exclusions, musyawarah)),
        officer_name=officer_name,
        verification=verification_code(doc),
        copy=copy,
        printed_at=printed_at,
        reprinted_by=reprinted_by if copy else "",
    )
