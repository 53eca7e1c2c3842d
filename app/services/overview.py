"""The Dinsos overview of kelurahan (issue 19): per kecamatan and kelurahan of the
installation's area, the last bundle received and when, households by status, the latest
locked musyawarah and its BA number, bundles missing from each sender (sequence gaps) and
households in conflict. Counts only (no names, no NIK). The SQL is app/db/overview.py; the
XLSX goes through app/exports and app/services/outputs.py."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.bundle.file import HOUSEHOLDS
from app.core.errors import UserError
from app.core.export_model import Column, Profile
from app.core.status import status_choices
from app.db import overview as stored
from app.db import regions
from app.paths import AppPaths
from app.services import installation
from app.services.actions import Officer, require
from app.services.outputs import write_output
from app.services.sync.sequence import Gap, gap_text, gaps

STATUS_LABELS = dict(status_choices())  # every household.status, in order, with its label
STATUSES = tuple(STATUS_LABELS)


@dataclass
class Row:
    village_code: str
    kelurahan: str
    kecamatan: str
    kota: str
    last_bundle_at: str | None = None
    bundles: int = 0
    households: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    meeting_locked: bool = False
    meeting_date: str | None = None
    ba_number: str | None = None
    missing_bundles: int = 0
    gaps: str = ""
    in_conflict: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sender_gaps(kind: str) -> dict[str, list[Gap]]:
    seen: dict[str, set[int]] = defaultdict(set)
    full: dict[str, int] = defaultdict(int)
    for peer, sequence, is_full in stored.received_sequences(kind):
        seen[peer].add(sequence)
        if is_full:
            full[peer] = max(full[peer], sequence)
    return {peer: gaps(numbers, full[peer]) for peer, numbers in seen.items()}


def overview(officer: Officer | None) -> list[Row]:
    """One row per kelurahan of this Dinsos installation's area, by code."""
    require(officer, "dinsos.overview")
    area = installation.dinsos_area()
    if area is None:
        raise UserError("Ikhtisar kelurahan hanya untuk loket Dinas Sosial.")
    rows = {
        v.code: Row(v.code, v.name, v.district, v.city)
        for v in regions.villages()
        if v.code.startswith(area)
    }
    for code, status, count in stored.households_by_status(area):
        if code in rows:
            rows[code].by_status[status] = count
            rows[code].households += count
    for code, count in stored.households_in_conflict(area).items():
        if code in rows:
            rows[code].in_conflict = count
    for code, (date, number, _received) in stored.latest_meetings(area).items():
        if code in rows:
            rows[code].meeting_locked, rows[code].meeting_date = True, date
            rows[code].ba_number = number
    sender_gaps = _sender_gaps(HOUSEHOLDS)
    senders: dict[str, set[str]] = defaultdict(set)
    for code, peer, last_at, _sequence, count in stored.bundles_by_village(area, HOUSEHOLDS):
        if code not in rows:
            continue
        row = rows[code]
        row.bundles += count
        if row.last_bundle_at is None or last_at > row.last_bundle_at:
            row.last_bundle_at = last_at
        senders[code].add(peer)
    for code, peers in senders.items():
        found = [g for peer in sorted(peers) for g in sender_gaps.get(peer, [])]
        rows[code].missing_bundles = sum(last - first + 1 for first, last in found)
        rows[code].gaps = gap_text(found)
    return [rows[code] for code in sorted(rows)]


HEADERS = (
    ("Kode", "text"), ("Kota", "text"), ("Kecamatan", "text"), ("Kelurahan", "text"),
    ("Paket terakhir", "text"), ("Jumlah paket", "number"), ("Keluarga", "number"),
    *((f"Status: {STATUS_LABELS[s]}", "number") for s in STATUSES),
    ("Musyawarah terkunci", "text"), ("Tanggal musyawarah", "text"), ("Nomor BA", "text"),
    ("Paket hilang", "number"), ("Nomor paket hilang", "text"), ("Keluarga konflik", "number"),
)  # fmt: skip


def table_row(row: Row) -> list[str | int | None]:
    """The row as the table and the XLSX show it (numbers stay numbers)."""
    return [
        row.village_code, row.kota, row.kecamatan, row.kelurahan,
        row.last_bundle_at, row.bundles, row.households,
        *(row.by_status.get(s, 0) for s in STATUSES),
        "ya" if row.meeting_locked else "tidak", row.meeting_date, row.ba_number,
        row.missing_bundles, row.gaps, row.in_conflict,
    ]  # fmt: skip


def write_xlsx(
    rows: list[Row], target: str | os.PathLike[str], *, force: bool = False,
    paths: AppPaths | None = None,
) -> Path:  # fmt: skip
    """The overview as one XLSX sheet, written through the output checks."""
    from app.exports.xlsx import write_xlsx as xlsx_bytes

    columns = tuple(
        Column(header=h, field="", type=t, width=22 if t == "text" else 12) for h, t in HEADERS
    )
    profile = Profile("ikhtisar-kelurahan", 1, "Ikhtisar kelurahan", "household", "Ikhtisar",
                      "%d-%m-%Y", "all", columns)  # fmt: skip
    data, _count = xlsx_bytes(profile, (table_row(r) for r in rows))
    return write_output(target, data, force=force, paths=paths)
