"""FMOTM exclusion criteria of DKI Jakarta (contract ids, DESIGN §4; Ingub Sekda 54/2021).

A household with any of these cannot be proposed into DTKS.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.rules.context import Context, member_path, members, section, who
from app.rules.findings import Finding

SOURCE = "Ingub Sekda DKI Jakarta No. 54 Tahun 2021"
NJOP_LIMIT_IDR = 1_000_000_000
# Posts that exclude whatever the contract; a BUMN employee only when permanent; BUMD never.
ALWAYS_EXCLUDED_POSTS = {
    "pns": "PNS",
    "tni": "TNI",
    "polri": "POLRI",
    "dpr": "anggota DPR",
    "dprd": "anggota DPRD",
}
BOTTLED_WATER = 1  # 306a: air kemasan bermerk (2, air isi ulang, is not excluded)
JUDGED_NOT_POOR = "not_poor"  # musyawarah kelurahan decision
# For the resident (the receipt): one plain sentence per exclusion id, what the household was
# found to have, without the jargon. The findings' messages below are for officers.
RESIDENT_WORDING = {
    "public_post": (
        "Ada anggota keluarga yang bekerja sebagai PNS, TNI, POLRI atau pegawai tetap BUMN, "
        "atau menjadi anggota DPR/DPRD."
    ),
    "car": "Keluarga tercatat memiliki mobil.",
    "njop_over_1b": (
        "Keluarga tercatat memiliki tanah dan bangunan dengan nilai pajak (NJOP) lebih dari "
        "Rp 1 miliar."
    ),
    "bottled_water": (
        "Air minum utama keluarga tercatat air kemasan bermerek (bukan air isi ulang)."
    ),
    "judged_not_poor": "Musyawarah kelurahan menilai keluarga ini tidak termasuk keluarga miskin.",
}


def public_post(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    for i, member in members(doc):
        post = member.get("public_post")
        fields: tuple[str, ...] = (member_path(i, "public_post"),)
        if post in ALWAYS_EXCLUDED_POSTS:
            what = ALWAYS_EXCLUDED_POSTS[post]
        elif post == "bumn" and member.get("permanent_employee"):
            what = "pegawai tetap BUMN"
            fields += (member_path(i, "permanent_employee"),)
        else:
            continue
        yield Finding(
            "public_post",
            "exclusion",
            f"{who(member, i)} adalah {what}: keluarga dengan anggota PNS, TNI, POLRI, pegawai "
            "tetap BUMN, atau anggota DPR/DPRD tidak dapat diusulkan.",
            fields,
            SOURCE,
        )


def car(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if section(doc, "assets").get("car"):
        yield Finding("car", "exclusion", "Keluarga memiliki mobil.", ("assets.car",), SOURCE)
    elif section(doc, "matching").get("car_per_bapenda"):
        yield Finding(
            "car",
            "exclusion",
            "Menurut data Bapenda (hasil pemadanan Dinsos), keluarga memiliki mobil.",
            ("matching.car_per_bapenda",),
            SOURCE,
        )


def _amount(value: object) -> int | float | None:
    """An NJOP in Rupiah, or None when unknown (a bool is not an amount)."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def njop_over_1b(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    typed = _amount(section(doc, "assets").get("land_building_njop_idr"))
    matched = _amount(section(doc, "matching").get("njop_per_bapenda_idr"))
    if typed is not None and typed > NJOP_LIMIT_IDR:
        yield Finding(
            "njop_over_1b",
            "exclusion",
            "Keluarga memiliki tanah dan bangunan dengan NJOP di atas Rp 1.000.000.000.",
            ("assets.land_building_njop_idr",),
            SOURCE,
        )
    elif matched is not None and matched > NJOP_LIMIT_IDR:
        yield Finding(
            "njop_over_1b",
            "exclusion",
            "Menurut data Bapenda (hasil pemadanan Dinsos), NJOP tanah dan bangunan keluarga "
            f"Rp {matched:,.0f}, di atas Rp 1.000.000.000.".replace(",", "."),
            ("matching.njop_per_bapenda_idr",),
            SOURCE,
        )


def bottled_water(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if section(doc, "housing").get("drinking_water") == BOTTLED_WATER:
        yield Finding(
            "bottled_water",
            "exclusion",
            "Sumber air minum utama adalah air kemasan bermerk (air isi ulang tidak termasuk).",
            ("housing.drinking_water",),
            SOURCE,
        )


def judged_not_poor(doc: dict[str, Any], ctx: Context) -> Iterator[Finding]:
    if section(doc, "musyawarah").get("decision") == JUDGED_NOT_POOR:
        yield Finding(
            "judged_not_poor",
            "exclusion",
            "Musyawarah kelurahan menilai keluarga ini tidak miskin.",
            ("musyawarah.decision",),
            SOURCE,
        )


CHECKS = (public_post, car, njop_over_1b, bottled_water, judged_not_poor)
