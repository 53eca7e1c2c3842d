"""NIK or No. KK already registered in another household (the service looks them up)."""

from __future__ import annotations

from app.rules import nik
from app.rules.context import member_path
from app.rules.findings import Finding

SOURCE = "Pencegahan data ganda DTKS"


def duplicate_findings(
    doc: dict,
    nik_holders: dict[str, list[tuple[str, str | None]]],
    kk_holders: list[str],
) -> list[Finding]:
    """Warnings, each linking to the other household.

    nik_holders: NIK -> [(other household_id, that member's name)];
    kk_holders: other household ids with this household's No. KK."""
    found = []
    for i, member in enumerate(doc.get("members") or []):
        for household_id, name in nik_holders.get(member.get("nik") or "", []):
            found.append(
                Finding(
                    "nik_registered_elsewhere",
                    "warning",
                    f"NIK {nik.mask(member['nik'])} sudah terdaftar di keluarga lain"
                    f"{f' atas nama {name}' if name else ''}.",
                    (member_path(i, "nik"),),
                    SOURCE,
                    link=household_id,
                )
            )
    for household_id in kk_holders:
        found.append(
            Finding(
                "no_kk_registered_elsewhere",
                "warning",
                f"No. KK {nik.mask(doc.get('no_kk'))} sudah terdaftar untuk keluarga lain.",
                ("no_kk",),
                SOURCE,
                link=household_id,
            )
        )
    return found
