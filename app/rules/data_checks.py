"""Data checks: NIK and No. KK validity, NIK vs birth date and sex, family structure, ages.

Errors block saving as final; warnings never block.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from app.rules import nik
from app.rules.context import Context, age, birth_date, member_path
from app.rules.findings import Finding

NIK_SOURCE = "UU 24/2013 Administrasi Kependudukan (struktur NIK Dukcapil)"
KK_SOURCE = "UU 24/2013 Administrasi Kependudukan (Kartu Keluarga)"
DATA_SOURCE = "Kelengkapan data DTKS (Kemensos)"
HEAD, SPOUSE, CHILD, PARENT = 1, 2, 3, 6
SIXTEEN_DIGITS = re.compile(r"^\d{16}$")
MAX_AGE = 120
NIK_MESSAGES = {
    "length": "harus 16 digit angka",
    "date": "berisi tanggal lahir yang tidak mungkin (tanggal 01-31, untuk perempuan 41-71)",
    "serial": "bernomor urut 0000, yang tidak pernah diterbitkan",
}


def _who(member: dict, index: int) -> str:
    return member.get("name") or f"anggota ke-{index + 1}"


def members_present(doc: dict, ctx: Context) -> Iterator[Finding]:
    if not doc.get("members"):
        yield Finding(
            "members_missing", "error", "Belum ada anggota keluarga.", ("members",), DATA_SOURCE
        )


def no_kk_format(doc: dict, ctx: Context) -> Iterator[Finding]:
    if not SIXTEEN_DIGITS.match(doc.get("no_kk") or ""):
        yield Finding(
            "no_kk_format", "error", "No. KK harus 16 digit angka.", ("no_kk",), KK_SOURCE
        )


def head_of_family(doc: dict, ctx: Context) -> Iterator[Finding]:
    members = doc.get("members") or []
    heads = [i for i, m in enumerate(members) if m.get("relationship") == HEAD]
    if members and not heads:
        yield Finding(
            "head_missing",
            "error",
            "Belum ada anggota yang tercatat sebagai kepala keluarga.",
            tuple(member_path(i, "relationship") for i in range(len(members))),
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


def nik_valid(doc: dict, ctx: Context) -> Iterator[Finding]:
    """Each member's NIK: structure, region prefix, and agreement with birth date and sex."""
    for i, member in enumerate(doc.get("members") or []):
        value = member.get("nik")
        path = member_path(i, "nik")
        who = _who(member, i)
        if not value:
            yield Finding("nik_format", "error", f"NIK {who} belum diisi.", (path,), NIK_SOURCE)
            continue
        try:
            info = nik.parse(value, today=ctx.today)
        except nik.NikError as exc:
            rule = "nik_format" if exc.reason == "length" else f"nik_{exc.reason}"
            yield Finding(
                rule, "error", f"NIK {who} {NIK_MESSAGES[exc.reason]}.", (path,), NIK_SOURCE
            )
            continue
        yield from _region(info, who, path, ctx)
        yield from _agreement(info, member, i, who)


def _region(info: nik.NikInfo, who: str, path: str, ctx: Context) -> Iterator[Finding]:
    if ctx.regions is None:
        return
    if info.province not in ctx.regions.provinces:
        yield Finding(
            "nik_province",
            "error",
            f"NIK {who} diawali kode provinsi {info.province} yang tidak ada.",
            (path,),
            NIK_SOURCE,
        )
    elif info.city not in ctx.regions.cities or info.district not in ctx.regions.districts:
        yield Finding(
            "nik_region_unknown",
            "warning",
            f"Kode wilayah NIK {who} ({info.district}) tidak dikenal; periksa kembali NIK.",
            (path,),
            NIK_SOURCE,
        )


def _agreement(info: nik.NikInfo, member: dict, i: int, who: str) -> Iterator[Finding]:
    born = birth_date(member)
    if born is not None and born != info.birth_date:
        yield Finding(
            "nik_birth_date_mismatch",
            "warning",
            f"Tanggal lahir {who} ({born:%d-%m-%Y}) berbeda dengan yang tertera di NIK "
            f"({info.birth_date:%d-%m-%Y}).",
            (member_path(i, "birth_date"), member_path(i, "nik")),
            NIK_SOURCE,
        )
    sex = member.get("sex")
    if sex is not None and sex != info.sex:
        in_nik = "perempuan" if info.sex == nik.FEMALE else "laki-laki"
        yield Finding(
            "nik_sex_mismatch",
            "warning",
            f"Jenis kelamin {who} berbeda dengan NIK (menurut NIK: {in_nik}).",
            (member_path(i, "sex"), member_path(i, "nik")),
            NIK_SOURCE,
        )


def nik_unique_in_household(doc: dict, ctx: Context) -> Iterator[Finding]:
    seen: dict[str, list[int]] = defaultdict(list)
    for i, member in enumerate(doc.get("members") or []):
        if member.get("nik"):
            seen[member["nik"]].append(i)
    for value, indexes in seen.items():
        if len(indexes) > 1:
            names = ", ".join(_who(doc["members"][i], i) for i in indexes)
            yield Finding(
                "nik_duplicate_in_household",
                "error",
                f"NIK {nik.mask(value)} tercatat lebih dari sekali dalam keluarga ini ({names}).",
                tuple(member_path(i, "nik") for i in indexes),
                NIK_SOURCE,
            )


def plausible_ages(doc: dict, ctx: Context) -> Iterator[Finding]:
    members = doc.get("members") or []
    heads = [m for m in members if m.get("relationship") == HEAD and birth_date(m)]
    head_born = birth_date(heads[0]) if len(heads) == 1 else None
    for i, member in enumerate(members):
        born, who = birth_date(member), _who(member, i)
        path = (member_path(i, "birth_date"),)
        if born is None:
            continue
        if born > ctx.today:
            yield Finding(
                "age_implausible",
                "warning",
                f"Tanggal lahir {who} ada di masa depan.",
                path,
                DATA_SOURCE,
            )
        elif (age(member, ctx.today) or 0) > MAX_AGE:
            yield Finding(
                "age_implausible",
                "warning",
                f"Umur {who} lebih dari {MAX_AGE} tahun.",
                path,
                DATA_SOURCE,
            )
        elif head_born and member.get("relationship") == CHILD and born <= head_born:
            yield Finding(
                "age_implausible",
                "warning",
                f"{who} tercatat sebagai anak tetapi tidak lebih muda dari kepala keluarga.",
                path,
                DATA_SOURCE,
            )
        elif head_born and member.get("relationship") == PARENT and born >= head_born:
            yield Finding(
                "age_implausible",
                "warning",
                f"{who} tercatat sebagai orang tua/mertua tetapi tidak lebih tua dari "
                "kepala keluarga.",
                path,
                DATA_SOURCE,
            )


CHECKS = (
    members_present,
    no_kk_format,
    head_of_family,
    nik_valid,
    nik_unique_in_household,
    plausible_ages,
)
