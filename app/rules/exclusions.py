"""FMOTM exclusion criteria of DKI Jakarta (contract ids, DESIGN §4; Ingub Sekda 54/2021).

A household with any of these cannot be proposed into DTKS.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.rules.context import Context, member_path
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


def public_post(doc: dict, ctx: Context) -> Iterator[Finding]:
    for i, member in enumerate(doc.get("members") or []):
        post = member.get("public_post")
        if post in ALWAYS_EXCLUDED_POSTS:
            what = ALWAYS_EXCLUDED_POSTS[post]
        elif post == "bumn" and member.get("permanent_employee"):
            what = "pegawai tetap BUMN"
        else:
            continue
        name = member.get("name") or f"anggota ke-{i + 1}"
        yield Finding(
            "public_post",
            "exclusion",
            f"{name} adalah {what}: keluarga dengan anggota PNS, TNI, POLRI, pegawai tetap BUMN, "
            "atau anggota DPR/DPRD tidak dapat diusulkan.",
            (member_path(i, "public_post"), member_path(i, "permanent_employee")),
            SOURCE,
        )


def car(doc: dict, ctx: Context) -> Iterator[Finding]:
    if (doc.get("assets") or {}).get("car"):
        yield Finding("car", "exclusion", "Keluarga memiliki mobil.", ("assets.car",), SOURCE)


def njop_over_1b(doc: dict, ctx: Context) -> Iterator[Finding]:
    njop = (doc.get("assets") or {}).get("land_building_njop_idr")
    if njop is not None and njop > NJOP_LIMIT_IDR:
        yield Finding(
            "njop_over_1b",
            "exclusion",
            "Keluarga memiliki tanah dan bangunan dengan NJOP di atas Rp 1.000.000.000.",
            ("assets.land_building_njop_idr",),
            SOURCE,
        )


def bottled_water(doc: dict, ctx: Context) -> Iterator[Finding]:
    if (doc.get("housing") or {}).get("drinking_water") == BOTTLED_WATER:
        yield Finding(
            "bottled_water",
            "exclusion",
            "Sumber air minum utama adalah air kemasan bermerk (air isi ulang tidak termasuk).",
            ("housing.drinking_water",),
            SOURCE,
        )


def judged_not_poor(doc: dict, ctx: Context) -> Iterator[Finding]:
    if (doc.get("musyawarah") or {}).get("decision") == "not_poor":
        yield Finding(
            "judged_not_poor",
            "exclusion",
            "Musyawarah kelurahan menilai keluarga ini tidak miskin.",
            ("musyawarah.decision",),
            SOURCE,
        )


CHECKS = (public_post, car, njop_over_1b, bottled_water, judged_not_poor)
