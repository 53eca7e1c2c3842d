"""Program hints: which Jakarta and national programs a member or household may fit."""

from __future__ import annotations

from collections.abc import Iterator

from app.rules.context import Context, age, member_path
from app.rules.findings import Finding

IN_SCHOOL = 2  # 412: masih sekolah
UNIVERSITY = frozenset(range(18, 23))  # 413: D1/D2/D3 .. S3
ELDERLY, YOUNG_CHILD_MAX = 60, 6


def member_programs(doc: dict, ctx: Context) -> Iterator[Finding]:
    for i, member in enumerate(doc.get("members") or []):
        years = age(member, ctx.today)
        who = member.get("name") or f"anggota ke-{i + 1}"
        schooling = member.get("school_participation") == IN_SCHOOL
        university = member.get("education_level") in UNIVERSITY
        hints = []
        if years is not None and years >= ELDERLY:
            hints.append(("program_klj", "KLJ (Kartu Lansia Jakarta)", "birth_date"))
        if years is not None and 0 <= years <= YOUNG_CHILD_MAX:
            hints.append(("program_kaj", "KAJ (Kartu Anak Jakarta)", "birth_date"))
        if member.get("disability") not in (None, "none"):
            hints.append(
                ("program_kpdj", "KPDJ (Kartu Penyandang Disabilitas Jakarta)", "disability")
            )
        if years is not None and 6 <= years <= 21 and schooling and not university:
            hints.append(("program_kjp_plus", "KJP Plus", "school_participation"))
        if schooling and university:
            hints.append(
                ("program_kjmu", "KJMU (Kartu Jakarta Mahasiswa Unggul)", "education_level")
            )
        for rule, program, key in hints:
            yield Finding(
                rule,
                "hint",
                f"{who} dapat dipertimbangkan untuk {program}.",
                (member_path(i, key),),
                "Program bantuan sosial Pemprov DKI Jakarta",
            )


def household_pkh(doc: dict, ctx: Context) -> Iterator[Finding]:
    reasons: dict[str, int] = {}
    for i, member in enumerate(doc.get("members") or []):
        years = age(member, ctx.today)
        for reason, applies in (
            ("ibu hamil", member.get("pregnant")),
            ("anak usia dini", years is not None and 0 <= years <= YOUNG_CHILD_MAX),
            ("penyandang disabilitas", member.get("disability") not in (None, "none")),
            ("lanjut usia", years is not None and years >= ELDERLY),
        ):
            if applies:
                reasons.setdefault(reason, i)
    if reasons:
        yield Finding(
            "program_pkh",
            "hint",
            f"Keluarga memiliki komponen PKH: {', '.join(reasons)}.",
            tuple(f"members[{i}]" for i in reasons.values()),
            "Program Keluarga Harapan (Kemensos)",
        )


CHECKS = (member_programs, household_pkh)
