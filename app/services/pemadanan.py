"""Importing pemadanan results (issue 19): a Dukcapil or Bapenda result file, read through a
column profile (app/services/pemadanan_files.py), is first previewed — how many rows match a
household here, which NIKs Dukcapil did not find, cars, NJOP above the limit, households of
another kelurahan, rows that match nothing — and then applied in one transaction.

Applying writes each household's results the way the per-household command does
(`households.record_matching`, `household match ID`; both through app/services/matching.py),
in bulk (`dinsos_status.store`, issue 20): the rules use them (a car or an NJOP
above Rp 1 miliar excludes, a NIK Dukcapil does not know warns) and they travel to the
kelurahan in its next bundle. What the other source said before is kept. The audit entry holds
counts and the profile, no NIK. `request` writes the file Dinsos sends them (an export
profile, app/services/exports.py). Both only on a Dinsos installation (DESIGN §11).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from app.core.document import Document
from app.core.pemadanan_profiles import SOURCES, Profile, Result
from app.db import audit, canonical, listing
from app.db.connection import database
from app.db.transaction import disk_full_as
from app.paths import AppPaths
from app.rules.exclusions import NJOP_LIMIT_IDR
from app.services import dinsos_status, exports, installation, result_profiles
from app.services.actions import AuthError, Officer, require
from app.services.matching import with_matching
from app.services.pemadanan_files import FileRefused, RowError, read_file

COUNTS = (
    ("rows", "baris hasil"),
    ("matched", "cocok dengan anggota keluarga di basis data ini"),
    ("nik_not_found", "NIK tidak ditemukan Dukcapil"),
    ("car", "memiliki mobil"),
    ("njop_over_limit", "NJOP di atas Rp 1 M"),
    ("other_kelurahan", "NIK juga terdaftar di kelurahan lain"),
    ("unmatched", "tidak cocok dengan data mana pun"),
    ("refused", "baris ditolak"),
    ("households", "keluarga yang diperbarui"),
)


@dataclass
class Plan:
    """What an import would do: counts, refused rows and, per household, its results."""

    profile: str
    counts: dict[str, int] = field(default_factory=lambda: {key: 0 for key, _ in COUNTS})
    errors: list[RowError] = field(default_factory=list)
    by_household: dict[str, list[Result]] = field(default_factory=dict)


def plan(path: Path, profile: Profile) -> Plan:
    """The preview of importing `path` through `profile`: nothing is written. The NIKs are
    looked up for the whole file at once (app/db/listing.py `holders`), not row by row."""
    read = read_file(path, profile)
    result = Plan(profile.name, errors=read.errors)
    counts = result.counts
    counts["refused"] = len(read.errors)
    held = listing.holders("nik", [found.nik for _row, found in read.results])
    for _row, found in read.results:
        counts["rows"] += 1
        holders = held.get(found.nik)
        if not holders:
            counts["unmatched"] += 1
            continue
        counts["matched"] += 1
        counts["nik_not_found"] += found.found is False
        counts["car"] += found.car is True
        counts["njop_over_limit"] += (found.njop_idr or 0) > NJOP_LIMIT_IDR
        # the NIK is registered in more than one household: in more than one kelurahan?
        counts["other_kelurahan"] += len({one.village_code for one in holders}) > 1
        for household_id in dict.fromkeys(one.household_id for one in holders):
            result.by_household.setdefault(household_id, []).append(found)
    counts["households"] = len(result.by_household)
    return result


def names() -> list[str]:
    """The profiles offered: built-in, then those remembered here (result_profiles.py)."""
    return result_profiles.names(result_profiles.PEMADANAN)


def load_profile(name: str) -> Profile:
    """A built-in or remembered profile by name, or a profile file (PATH.toml); checked."""
    return cast(Profile, result_profiles.load(result_profiles.PEMADANAN, name))


def remember_profile(path: Path, officer: Officer | None) -> str:
    """*Muat profil…*: check the profile file and keep it here; its name."""
    return result_profiles.remember(result_profiles.PEMADANAN, path, officer)


def preview(path: Path, profile_name: str, officer: Officer | None) -> Plan:
    """The preview (role checked first: the file holds personal data)."""
    require(officer, "pemadanan.import")
    _refuse_kelurahan()
    return plan(path, load_profile(profile_name))


def _refuse_kelurahan() -> None:
    """Pemadanan results belong to Dinsos (DESIGN §11): a kelurahan installation gets them in
    bundles, it does not import them."""
    if not installation.is_dinsos():
        raise AuthError("Hasil pemadanan hanya diimpor di instalasi Dinas Sosial, bukan kelurahan.")


def _merged(
    before: dict[str, object], niks: set[str], results: list[Result]
) -> tuple[bool | None, int | None, list[str]]:
    """The household's matching after this file's results: what the file says about cars and
    NJOP replaces what was recorded (any member's car counts, the highest NJOP); NIKs Dukcapil
    found leave the not-found list; what the file does not say is kept."""
    car, njop = before.get("car_per_bapenda"), before.get("njop_per_bapenda_idr")
    cars = [one.car for one in results if one.car is not None]
    if cars:
        car = any(cars)
    njops = [one.njop_idr for one in results if one.njop_idr is not None]
    if njops:
        njop = max(njops)
    listed = before.get("nik_not_found")
    not_found = {str(n) for n in (listed if isinstance(listed, list) else []) if str(n) in niks}
    for one in results:
        if one.found is False:
            not_found.add(one.nik)
        elif one.found is True:
            not_found.discard(one.nik)
    return (
        car if isinstance(car, bool) else None,
        njop if isinstance(njop, int) and not isinstance(njop, bool) else None,
        sorted(not_found & niks),
    )


def apply(path: Path, profile_name: str, officer: Officer | None) -> Plan:
    """Import the results: each matched household's matching is recorded as the per-household
    command records it (`matching.with_matching`), written in bulk (`dinsos_status.store`: a
    new revision each, one `household.save` audit entry each) in one transaction, and one
    `pemadanan.import` audit entry with the counts. Returns the plan it applied."""
    officer = require(officer, "pemadanan.import")
    _refuse_kelurahan()
    require(officer, "matching.record")  # as `household match`
    profile = load_profile(profile_name)
    done = plan(path, profile)
    ids = list(done.by_household)
    with disk_full_as("hasil pemadanan"), database.atomic():
        for start in range(0, len(ids), dinsos_status.CHUNK):
            docs = canonical.load_many(ids[start : start + dinsos_status.CHUNK])
            dinsos_status.store([(doc, _matched(doc, done.by_household[hid], officer))
                                 for hid, doc in docs.items()], officer)  # fmt: skip
        audit.append(
            "pemadanan.import",
            officer=officer.username,
            detail={"profile": profile.name, "source": profile.source, "counts": done.counts},
        )
    return done


def _matched(doc: Document, results: list[Result], officer: Officer) -> Document:
    """The household with this file's results merged into its matching (`_merged`); a
    registered household becomes matched."""
    niks = {str(m["nik"]) for m in doc["members"] if m.get("nik")}
    car, njop, not_found = _merged(doc.get("matching") or {}, niks, results)
    status = "matched" if doc["status"] == "registered" else doc["status"]
    return with_matching(doc, officer.full_name, car=car, njop_idr=njop,
                         nik_not_found=not_found, status=status)  # fmt: skip


REQUEST_STATUSES = ("registered",)  # registered, not yet matched


def request(
    source: str,
    fmt: str,
    target: str | Path,
    officer: Officer | None,
    *,
    statuses: Sequence[str] = REQUEST_STATUSES,
    force: bool = False,
    paths: AppPaths | None = None,
) -> exports.ExportResult:
    """The request file for Dukcapil or Bapenda: NIK, No. KK, name and birth date of every
    member of the chosen households, through the export profile `pemadanan-<source>-v1`
    (written, audited and refused as every export is: app/services/exports.py)."""
    if source not in SOURCES:
        raise FileRefused(
            f"Sumber pemadanan {source[:16]!r} tidak dikenal (dukcapil atau bapenda)."
        )
    require(officer, "export.personal")
    _refuse_kelurahan()
    return exports.export(f"pemadanan-{source}-v1", fmt, target, officer, statuses=statuses,
                          force=force, paths=paths)  # fmt: skip
