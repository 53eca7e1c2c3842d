"""Program hints: which Jakarta and national programs a member or household may fit.

Hints never block anything; they are shown for every household (an excluded one too), so the
officer can tell the family where else to ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.rules.context import Context, age, member_path, members, who
from app.rules.findings import Finding

JAKARTA_SOURCE = "Program bantuan sosial Pemprov DKI Jakarta"
PKH_SOURCE = "Program Keluarga Harapan (Permensos 1/2018)"
IN_SCHOOL = 2  # 412: masih sekolah
UNIVERSITY = frozenset(range(18, 23))  # 413: D1/D2/D3 .. S3
ELDERLY = 60  # KLJ and PKH: 60 years and over
YOUNG_CHILD_MAX = 6  # KAJ and PKH: 0-6 years
KJP_PLUS_AGES = range(6, 22)  # 6-21 years, in school below university
NO_DISABILITY = (None, "", "none")


def _disabled(member: dict[str, Any]) -> bool:
    return member.get("disability") not in NO_DISABILITY


def _member_hints(member: dict[str, Any], years: int | None) -> list[tuple[str, str, str]]:
    """(rule id, program, field the hint points at) for one member."""
    schooling = member.get("school_participation") == IN_SCHOOL
    university = member.get("education_level") in UNIVERSITY
    hints = []
    if years is not None and years >= ELDERLY:
        hints.append(("program_klj", "KLJ (Kartu Lansia Jakarta)", "birth_date"))
    if years is not None and 0 <= years <= YOUNG_CHILD_MAX:
        hints.append(("program_kaj", "KAJ (Kartu Anak Jakarta)", "birth_date"))
    if _disabled(member):
        hints.append(("program_kpdj", "KPDJ (Kartu Penyandang Disabilitas Jakarta)", "disability"))
    if years in KJP_PLUS_AGES and schooling and not university:
        hints.append(
            ("program_kjp_plus", "KJP Plus (Kartu Jakarta Pintar Plus)", "school_participation")
        )
    if schooling and university:
        hints.append(("program_kjmu", "KJMU (Kartu Jakarta Mahasiswa Unggul)", "education_level"))
    return hints


def member_programs(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    for i, member in members(doc):
        for rule, program, key in _member_hints(member, age(member, ctx.today)):
            yield Finding(
                rule,
                "hint",
                f"{who(member, i)} dapat dipertimbangkan untuk {program}.",
                (member_path(i, key),),
                JAKARTA_SOURCE,
            )


def household_pkh(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    """One household hint listing the PKH components present, each pointing at a member."""
    reasons: dict[str, str] = {}  # reason -> field path of the first member it applies to
    for i, member in members(doc):
        years = age(member, ctx.today)
        for reason, applies, key in (
            ("ibu hamil", member.get("pregnant") is True, "pregnant"),
            ("anak usia dini", years is not None and 0 <= years <= YOUNG_CHILD_MAX, "birth_date"),
            ("penyandang disabilitas (bila berat)", _disabled(member), "disability"),
            ("lanjut usia", years is not None and years >= ELDERLY, "birth_date"),
        ):
            if applies:
                reasons.setdefault(reason, member_path(i, key))
    if reasons:
        yield Finding(
            "program_pkh",
            "hint",
            f"Keluarga memiliki komponen PKH: {', '.join(reasons)}.",
            tuple(dict.fromkeys(reasons.values())),
            PKH_SOURCE,
        )


CHECKS = (member_programs, household_pkh)
