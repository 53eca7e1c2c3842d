"""Data checks: NIK and No. KK validity, NIK vs birth date and sex, family structure, ages.

Errors block saving as final; warnings never block. An answer not given yet is
app/rules/completeness.py's to report (these checks judge what is typed); a draft's empty or
wrongly typed values never raise here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from app.rules import nik
from app.rules.context import (
    CHILD,
    HEAD,
    PARENT,
    SPOUSE,
    Context,
    age_on,
    birth_date,
    iso_date,
    member_path,
    members,
    section,
    text,
    unanswered,
    who,
)
from app.rules.findings import Finding
from app.rules.regions import RegionCodes

NIK_SOURCE = "UU 24/2013 Administrasi Kependudukan (struktur NIK Dukcapil)"
KK_SOURCE = "UU 24/2013 Administrasi Kependudukan (Kartu Keluarga)"
DATA_SOURCE = "Kelengkapan data DTKS (Kemensos)"
MAX_AGE = 120
NIK_MESSAGES = {
    "length": "harus 16 digit angka",
    "date": "berisi tanggal lahir yang tidak mungkin (tanggal 01-31, untuk perempuan 41-71)",
    "serial": "bernomor urut 0000, yang tidak pernah diterbitkan",
}
SEX_WORDS = {nik.MALE: "laki-laki", nik.FEMALE: "perempuan"}


def members_present(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if not members(doc):
        yield Finding(
            "members_missing", "error", "Belum ada anggota keluarga.", ("members",), DATA_SOURCE
        )


def no_kk_format(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    value = doc.get("no_kk")
    if value is None or unanswered(value):
        return  # not given yet: completeness.py says so
    if not nik.is_sixteen_digits(value):
        yield Finding(
            "no_kk_format", "error", "No. KK harus 16 digit angka.", ("no_kk",), KK_SOURCE
        )
    elif ctx.regions is not None and _unknown_region(value, ctx.regions):
        yield Finding(
            "no_kk_region_unknown",
            "warning",
            f"Kode wilayah No. KK ({_district(value)}) tidak dikenal; periksa kembali No. KK.",
            ("no_kk",),
            KK_SOURCE,
        )


def head_of_family(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    listed = members(doc)
    heads = [i for i, m in listed if m.get("relationship") == HEAD]
    unknown = any(unanswered(m.get("relationship")) for _, m in listed)  # may be the head
    if listed and not heads and not unknown:
        yield Finding(
            "head_missing",
            "error",
            "Belum ada anggota yang tercatat sebagai kepala keluarga.",
            tuple(member_path(i, "relationship") for i, _ in listed),
            DATA_SOURCE,
        )
    elif len(heads) > 1:
        yield Finding(
            "head_multiple",
            "error",
            "Kepala keluarga hanya boleh satu orang.",
            tuple(member_path(i, "relationship") for i in heads),
            DATA_SOURCE,
        )


def nik_valid(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Each member's NIK: structure, region prefix, and agreement with birth date and sex."""
    for i, member in members(doc):
        value = member.get("nik")
        path = member_path(i, "nik")
        name = who(member, i)
        if value is None or unanswered(value):
            continue  # not given yet: completeness.py says so
        try:
            info = nik.parse(value, today=ctx.today)
        except nik.NikError as exc:
            rule = "nik_format" if exc.reason == "length" else f"nik_{exc.reason}"
            yield Finding(
                rule, "error", f"NIK {name} {NIK_MESSAGES[exc.reason]}.", (path,), NIK_SOURCE
            )
            continue
        if ctx.regions is not None:
            yield from _nik_region(value, info, name, path, ctx.regions)
        yield from _agreement(info, member, i, name)


def _district(digits: str) -> str:
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"


def _unknown_region(digits: str, regions: RegionCodes) -> bool:
    return (
        digits[0:2] not in regions.provinces
        or f"{digits[0:2]}.{digits[2:4]}" not in regions.cities
        or _district(digits) not in regions.districts
    )


def _nik_region(
    value: str, info: nik.NikInfo, name: str, path: str, regions: RegionCodes
) -> Iterator[Finding]:
    """A province that does not exist is an error; an unknown city or district only a warning
    (codes change over time, and migrants keep the NIK of where they first registered)."""
    if info.province not in regions.provinces:
        yield Finding(
            "nik_province",
            "error",
            f"NIK {name} diawali kode provinsi {info.province} yang tidak ada.",
            (path,),
            NIK_SOURCE,
        )
    elif _unknown_region(value, regions):
        yield Finding(
            "nik_region_unknown",
            "warning",
            f"Kode wilayah NIK {name} ({info.district}) tidak dikenal; periksa kembali NIK.",
            (path,),
            NIK_SOURCE,
        )


def _agreement(info: nik.NikInfo, member: dict[str, Any], i: int, name: str) -> Iterator[Finding]:
    born = birth_date(member)
    if born is not None and born != info.birth_date:
        yield Finding(
            "nik_birth_date_mismatch",
            "warning",
            f"Tanggal lahir {name} ({born:%d-%m-%Y}) berbeda dengan yang tertera di NIK "
            f"({info.birth_date:%d-%m-%Y}).",
            (member_path(i, "birth_date"), member_path(i, "nik")),
            NIK_SOURCE,
        )
    sex = member.get("sex")
    if sex in SEX_WORDS and sex != info.sex:
        yield Finding(
            "nik_sex_mismatch",
            "warning",
            f"Jenis kelamin {name} ({SEX_WORDS[sex]}) berbeda dengan NIK "
            f"(menurut NIK: {SEX_WORDS[info.sex]}).",
            (member_path(i, "sex"), member_path(i, "nik")),
            NIK_SOURCE,
        )


def nik_unique_in_household(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    seen: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for i, member in members(doc):
        value = text(member, "nik").strip()
        if value:
            seen[value].append((i, member))
    for value, holders in seen.items():
        if len(holders) > 1:
            names = ", ".join(who(m, i) for i, m in holders)
            yield Finding(
                "nik_duplicate_in_household",
                "error",
                f"NIK {nik.mask(value)} tercatat lebih dari sekali dalam keluarga ini ({names}).",
                tuple(member_path(i, "nik") for i, _ in holders),
                NIK_SOURCE,
            )


def plausible_ages(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Birth dates that cannot be right: in the future, over 120 years, a child not younger
    than its parents, a parent (or parent-in-law) not older than the couple.

    The couple is the head and any spouse: a child may be a stepchild of one of them and a
    parent-in-law may be younger than an older head, so only "not younger (older) than all of
    them" is implausible."""
    dated = [(i, m, birth_date(m)) for i, m in members(doc)]
    known = [
        (m.get("relationship"), age_on(born, ctx.today))
        for _, m, born in dated
        if born is not None and born <= ctx.today and m.get("relationship") in (HEAD, SPOUSE)
    ]
    couple = [years for _, years in known]
    has_spouse = any(relationship == SPOUSE for relationship, _ in known)
    partners = "kepala keluarga maupun pasangannya" if has_spouse else "kepala keluarga"
    relationship: tuple[str, ...]  # the relationship field too, when it is what looks wrong
    for i, member, born in dated:
        if born is None:
            continue
        years, name, relationship = age_on(born, ctx.today), who(member, i), ()
        if born > ctx.today:
            message = f"Tanggal lahir {name} ({born:%d-%m-%Y}) ada di masa depan."
        elif years > MAX_AGE:
            message = f"Umur {name} tercatat {years} tahun, lebih dari {MAX_AGE} tahun."
        elif couple and member.get("relationship") == CHILD and years >= max(couple):
            message = f"{name} tercatat sebagai anak tetapi tidak lebih muda dari {partners}."
            relationship = (member_path(i, "relationship"),)
        elif couple and member.get("relationship") == PARENT and years <= min(couple):
            message = (
                f"{name} tercatat sebagai orang tua/mertua tetapi tidak lebih tua dari {partners}."
            )
            relationship = (member_path(i, "relationship"),)
        else:
            continue
        check = "tanggal lahir atau hubungan keluarga" if relationship else "tanggal lahir"
        yield Finding(
            "age_implausible",
            "warning",
            f"{message} Periksa kembali {check}.",
            (member_path(i, "birth_date"), *relationship),
            DATA_SOURCE,
        )


def dates_valid(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """A date kept as it was typed ("31-02-1980") or that does not exist: the form keeps what
    the officer typed in the draft, and the final save needs a real date."""
    dates = [(member_path(i, "birth_date"), m.get("birth_date")) for i, m in members(doc)]
    dates.append(("musyawarah.date", section(doc, "musyawarah").get("date")))
    for path, value in dates:
        if not unanswered(value) and iso_date(value) is None:
            message = f"Tanggal tidak valid: {str(value).strip()}"
            yield Finding("date_invalid", "error", message, (path,), DATA_SOURCE)


def nik_in_dukcapil(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """Dinsos matched the household against Dukcapil: a NIK it did not find is probably
    mistyped, or the resident must update their civil registration."""
    missing = section(doc, "matching").get("nik_not_found") or []
    for i, member in members(doc):
        if member.get("nik") and member["nik"] in missing:
            yield Finding(
                "nik_not_in_dukcapil",
                "warning",
                f"NIK {who(member, i)} tidak ditemukan di data Dukcapil (hasil pemadanan "
                "Dinsos). Periksa kembali dengan KTP/KK; bila benar, minta warga memperbarui "
                "data di Dukcapil.",
                (member_path(i, "nik"),),
                "Hasil pemadanan Dinsos dengan Dukcapil",
            )


CHECKS = (
    members_present,
    no_kk_format,
    head_of_family,
    nik_valid,
    nik_unique_in_household,
    plausible_ages,
    dates_valid,
    nik_in_dukcapil,
)
