"""NIK or No. KK already registered in another household (the service looks them up)."""

from __future__ import annotations

from typing import Any

from app.rules import nik
from app.rules.context import member_path, members, text
from app.rules.findings import Finding

SOURCE = "Pencegahan data ganda DTKS (Kemensos)"


def household_ref(household_id: str) -> str:
    """How a message names another household: the end of its id (the link opens it). Ids are
    UUIDv7, whose first digits are a timestamp shared by households made the same minute."""
    return f"ID …{str(household_id)[-8:]}"


def duplicate_findings(
    doc: dict[str, Any],
    nik_holders: dict[str, list[tuple[str, str | None]]],
    kk_holders: list[str],
) -> list[Finding]:
    """Warnings, each naming and linking to the other household (`Finding.link`).

    nik_holders: NIK -> [(other household_id, that member's name)];
    kk_holders: other household ids with this household's No. KK."""
    found = []
    for i, member in members(doc):
        value = text(member, "nik")
        for household_id, name in nik_holders.get(value, []) if value else []:
            holder = f" atas nama {name}" if name else ""  # the GUI tests read this phrase
            found.append(
                Finding(
                    "nik_registered_elsewhere",
                    "warning",
                    f"NIK {nik.mask(value)} sudah terdaftar di keluarga lain{holder} "
                    f"({household_ref(household_id)}). Buka keluarga itu untuk memeriksa.",
                    (member_path(i, "nik"),),
                    SOURCE,
                    link=household_id,
                )
            )
    kk = doc.get("no_kk")
    for household_id in kk_holders if kk else []:
        found.append(
            Finding(
                "no_kk_registered_elsewhere",
                "warning",
                f"No. KK {nik.mask(kk)} sudah terdaftar untuk keluarga lain "
                f"({household_ref(household_id)}). Buka keluarga itu untuk memeriksa.",
                ("no_kk",),
                SOURCE,
                link=household_id,
            )
        )
    return found
