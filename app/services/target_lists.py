"""Daftar sasaran tetap per kota (issue 19): after the musyawarah kelurahan, Dinsos determines
each kota's fixed target list, which its operators then type into SIKS-NG.

Which households (`draft`): of the kota's households stored here, those the musyawarah decided
*layak* in a **locked** meeting (locked here, or received locked from the kelurahan in a
bundle), status still `eligible`, no exclusion that applies (a car or an NJOP above Rp 1 M
found by the pemadanan, or any other criterion), not withdrawn, not deleted, and not on an
earlier list. Every other household is left out with its reason, counted per kelurahan.

`lock` makes the list and determines it at once: number (nomor penetapan), date, kota,
signatory, the members as the penetapan prints them; from then on it never changes (the
tables refuse it too); a second list is a new number and takes only households no list holds.
In the same transaction every member gets the event `target_list` (reference = the number)
through `dinsos_status.record`, so each kelurahan sees it in its next bundle.

Dinsos installation only; a Suku Dinas (area = one kota) makes its own kota's lists. Role
action `target_list.manage` (supervisor); `target_list.lock` and `target_list.print` are
audited with counts and the verification code, never a name or a NIK.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.core import dinsos_events
from app.core.document import now_iso
from app.core.errors import EXIT_BAD_INPUT, UserError
from app.core.status import criteria_text
from app.core.text import printable
from app.db import audit
from app.db import target_lists as rows
from app.db.connection import database
from app.db.target_lists import Candidate, Member, TargetList
from app.receipts.formatting import parse_date
from app.rules.nik import mask
from app.services import dinsos_status, installation
from app.services.actions import AuthError, Officer, require

ACTION = "target_list.manage"
MAX_NUMBER = 100

# why a household of the kota is not on the list, in the order the draft checks them
REASONS: dict[str, str] = {
    "deleted": "Dihapus",
    "withdrawn": "Ditarik",
    "listed": "Sudah dalam daftar sasaran tetap sebelumnya",
    "not_poor": "Dinilai tidak miskin (musyawarah)",
    "excluded": "Dikecualikan (hasil pemadanan atau kriteria lain)",
    "not_decided": "Belum diputuskan layak oleh musyawarah",
    "not_locked": "Keputusan musyawarah belum dikunci",
    "further": "Sudah diproses lebih lanjut (SIKS-NG)",
}
_NOT_YET = frozenset({"draft", "registered", "proposed", "matched", "excluded"})


class TargetListError(UserError):
    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class LeftOut:
    candidate: Candidate
    reason: str  # a key of REASONS
    detail: str  # e.g. "mobil, NJOP > Rp 1 M" or the earlier list's number


@dataclass(frozen=True)
class KelurahanCount:
    code: str
    kecamatan: str
    kelurahan: str
    households: int  # on the list
    people: int  # jiwa of those households
    left_out: dict[str, int]  # reason -> households


@dataclass(frozen=True)
class Draft:
    kota: str
    kota_name: str
    included: list[Candidate]
    left_out: list[LeftOut]
    per_kelurahan: list[KelurahanCount]
    fingerprint: str  # of the kota and the households on it: `lock(expected=...)` checks it

    def left_out_counts(self) -> dict[str, int]:
        counts = Counter(one.reason for one in self.left_out)
        return {reason: counts[reason] for reason in REASONS if counts[reason]}


@dataclass(frozen=True)
class Shown:
    target_list: TargetList
    kota_name: str
    members: list[Member]
    per_kelurahan: list[KelurahanCount]


# --- the draft -----------------------------------------------------------------------------------


def _why_not(c: Candidate) -> tuple[str, str] | None:
    """The reason a candidate is left out (and its detail), or None when it is on the list."""
    if c.deleted:
        return "deleted", ""
    if c.status == "withdrawn":
        return "withdrawn", ""
    if c.listed_in:
        return "listed", c.listed_in
    if c.decision == "not_poor" or c.status == "not_poor":
        return "not_poor", ""
    if c.exclusions:
        return "excluded", criteria_text(c.exclusions)
    if c.decision != "eligible":
        return "not_decided", ""
    if not c.decided_in_locked:
        return "not_locked", ""
    if c.status in _NOT_YET:  # e.g. matched again after the meeting: not `eligible` any more
        return "not_decided", c.status
    if c.status != "eligible":
        return "further", c.status
    return None


def _kota(kota: str) -> str:
    """The kota code checked against this installation: known, and within a Suku Dinas's
    area. Returns the kota's name."""
    name = installation.kota_codes().get(kota)
    if name is None:
        shown = printable(kota, 16)
        raise TargetListError(f"Kode kota {shown} tidak dikenal.", f"unknown kota code {shown}")
    area = installation.dinsos_area()
    if area not in (installation.PROVINCE_CODE, kota):
        raise AuthError(
            "Suku Dinas hanya dapat menetapkan daftar sasaran tetap kotanya sendiri.",
            f"a Suku Dinas makes only its own kota's target list (area {area}, not {kota})",
        )
    return name


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16].upper()


def _per_kelurahan(
    included: Sequence[tuple[str, int]], left_out: Sequence[tuple[str, str]]
) -> list[KelurahanCount]:
    """Counts per kelurahan from (village code, jiwa) on the list and (village code, reason)
    left out; kelurahan with nothing stored are not shown."""
    names = {v.code: v for v in installation.villages()}
    households: Counter[str] = Counter(code for code, _ in included)
    people: Counter[str] = Counter()
    for code, jiwa in included:
        people[code] += jiwa
    reasons: dict[str, Counter[str]] = {}
    for code, reason in left_out:
        reasons.setdefault(code, Counter())[reason] += 1
    found = []
    for code in sorted(set(households) | set(reasons)):
        village = names.get(code)
        left = reasons.get(code, Counter())
        found.append(
            KelurahanCount(
                code=code,
                kecamatan=village.district if village else "-",
                kelurahan=village.name if village else code,
                households=households[code],
                people=people[code],
                left_out={r: left[r] for r in REASONS if left[r]},
            )
        )
    return found


def _draft(kota: str, kota_name: str) -> Draft:
    included: list[Candidate] = []
    left: list[LeftOut] = []
    for candidate in rows.candidates(kota):
        why = _why_not(candidate)
        if why is None:
            included.append(candidate)
        else:
            left.append(LeftOut(candidate, *why))
    included = rows.with_heads(included)  # names, NIKs and jiwa: only of those on the list
    return Draft(
        kota=kota,
        kota_name=kota_name,
        included=included,
        left_out=left,
        per_kelurahan=_per_kelurahan(
            [(c.village_code, c.members) for c in included],
            [(o.candidate.village_code, o.reason) for o in left],
        ),
        fingerprint=_fingerprint(kota, *(c.household_id for c in included)),
    )


def _dinsos_only() -> None:
    if not installation.is_dinsos():
        raise AuthError(
            "Daftar sasaran tetap hanya dibuat di instalasi Dinas Sosial, bukan kelurahan.",
            "target lists are made at a Dinsos installation only",
        )


def draft(kota: str, officer: Officer | None) -> Draft:
    """What the kota's list would hold now, and who is left out and why (nothing written)."""
    require(officer, ACTION)
    _dinsos_only()
    return _draft(kota, _kota(kota))


# --- locking -------------------------------------------------------------------------------------


def _checked_number(number: str) -> str:
    number = " ".join(number.split())
    if not number or len(number) > MAX_NUMBER or printable(number, MAX_NUMBER) != number:
        raise TargetListError(
            f"Nomor penetapan harus diisi (paling banyak {MAX_NUMBER} karakter, tanpa karakter "
            "kontrol).",
            f"the list number must be 1 to {MAX_NUMBER} printable characters",
        )
    return number


def _checked_date(day: dt.date | str | None) -> str:
    if day is None:
        return dt.date.today().isoformat()
    parsed = day if isinstance(day, dt.date) else parse_date(day)
    if parsed is None:
        raise TargetListError(
            "Tanggal penetapan tidak sah (TTTT-BB-HH).", "the list date must be YYYY-MM-DD"
        )
    return parsed.isoformat()


def default_title() -> str:
    """Who determines the list by default: the head of this Dinsos office."""
    return f"Kepala {dinsos_status.sender()}"


def lock(
    kota: str,
    number: str,
    officer: Officer | None,
    *,
    date: dt.date | str | None = None,
    signatory_name: str | None = None,
    signatory_title: str | None = None,
    signatory_nip: str | None = None,
    expected: str | None = None,
) -> TargetList:
    """Make and determine the kota's list `number` from the draft as it is now (the GUI passes
    the `fingerprint` of the draft it showed as `expected`: a list that changed meanwhile is
    refused). One transaction: the list, its members, their `target_list` events, the audit."""
    officer = require(officer, ACTION)
    _dinsos_only()
    kota_name = _kota(kota)
    number, day = _checked_number(number), _checked_date(date)
    with database.atomic():
        if rows.get(number) is not None:
            raise TargetListError(
                "Daftar sasaran tetap dengan nomor ini sudah ditetapkan dan tidak dapat diubah; "
                "daftar baru memakai nomor baru.",
                f"target list {number} is locked and never changes: a new list takes a new number",
            )
        found = _draft(kota, kota_name)
        if expected is not None and expected != found.fingerprint:
            raise TargetListError(
                "Daftar berubah sejak ditampilkan; tampilkan ulang, periksa, lalu kunci lagi.",
                "the list changed since the draft was shown: show it again",
            )
        if not found.included:
            raise TargetListError(
                "Tidak ada keluarga yang dapat masuk daftar sasaran tetap kota ini.",
                f"no household of kota {kota} can be on a target list",
            )
        ids = [c.household_id for c in found.included]
        made = TargetList(
            number=number,
            kota=kota,
            date=day,
            signatory_name=" ".join((signatory_name or "").split()) or None,
            signatory_title=" ".join((signatory_title or "").split()) or default_title(),
            signatory_nip=" ".join((signatory_nip or "").split()) or None,
            verification=_fingerprint(number, kota, day, *ids),
            households=len(ids),
            locked_by=officer.username,
            locked_at=now_iso(),
        )
        rows.insert(made, [_member(i, c) for i, c in enumerate(found.included, 1)])
        by = dinsos_status.sender()
        news = {hid: [dinsos_events.event(dinsos_events.TARGET_LIST, day, by, reference=number)]
                for hid in ids}  # fmt: skip
        dinsos_status.record(news, officer, audit_detail={"target_list": number})
        audit.append(
            "target_list.lock",
            officer=officer.username,
            detail={
                "number": number,
                "kota": kota,
                "date": day,
                "households": len(ids),
                "people": sum(c.members for c in found.included),
                "left_out": found.left_out_counts(),
                "verification": made.verification,
            },
        )
    return made


def _member(position: int, c: Candidate) -> Member:
    return Member(
        household_id=c.household_id,
        position=position,
        village_code=c.village_code,
        registration_number=c.registration_number,
        head_name=c.head_name,
        head_nik_masked=mask(c.head_nik) or None,
        address=c.address,
        rw=c.rw,
        rt=c.rt,
        members=c.members,
    )


# --- locked lists ---------------------------------------------------------------------------------


def lists(officer: Officer | None, kota: str | None = None) -> list[TargetList]:
    require(officer, ACTION)
    return rows.all_lists(kota)


def show(number: str, officer: Officer | None) -> Shown:
    require(officer, ACTION)
    found = rows.get(number)
    if found is None:
        shown = printable(number, 40)
        raise TargetListError(
            f"Daftar sasaran tetap nomor {shown} tidak ada.", f"no target list {shown}"
        )
    members = rows.members(number)
    return Shown(
        target_list=found,
        kota_name=installation.kota_codes().get(found.kota, found.kota),
        members=members,
        per_kelurahan=_per_kelurahan([(m.village_code, m.members) for m in members], []),
    )
