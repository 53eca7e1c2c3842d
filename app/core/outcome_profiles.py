"""Column profiles for SIKS-NG outcome files (issue 19): which column of the file Dinsos gets
back from SIKS-NG holds the NIK or the No. KK, the outcome, the reason of a rejection, the ID
DTKS and the date, and which cell texts mean which outcome — as data (`resources/outcomes/
<name>.toml`), like the pemadanan profiles (app/core/pemadanan_profiles.py), whose NIK reading
and row refusal this shares.

`parse(name, text)` reads and checks one profile (`ProfileError`, one line). `read_row(profile,
cells)` turns one row (folded header -> cell) into an `Outcome` or a refusal reason
(`RowRefused`), never echoing the NIK, the No. KK or the ID DTKS. Pure: no files, no database.

Columns: `nik` and/or `no_kk` (the key: at least one; a row may fill either), `status` (the
outcome) and/or `dtks_id` (at least one), `reason` (required by a rejection), `date` (optional:
without it the import date is used). Values: `in_siks_ng`, `verified`, `determined`,
`rejected`: the cell texts (case-insensitive) meaning each outcome. A date is DD-MM-YYYY,
YYYY-MM-DD or a date cell of a spreadsheet; anything else refuses the row, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.core import dinsos_events
from app.core.export_profiles import ProfileError
from app.core.pemadanan_profiles import RowRefused, _fold, profile_head, read_nik

COLUMNS = ("nik", "no_kk", "status", "reason", "dtks_id", "date")
OUTCOMES = (
    dinsos_events.IN_SIKS_NG,
    dinsos_events.VERIFIED,
    dinsos_events.DETERMINED,
    dinsos_events.REJECTED,
)
_PROFILE_KEYS = {"name", "version", "title", "columns", "values"}
_DTKS_ID = re.compile(r"^[0-9A-Za-z.-]{1,40}$")  # the schema's pattern for dtks_id
_DATE_DMY = re.compile(r"^([0-9]{2})-([0-9]{2})-([0-9]{4})$")
_DATE_YMD = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
MAX_REASON = 300  # the schema's maxLength of an event's reason

__all__ = ["ProfileError", "Profile", "Outcome", "RowRefused", "parse", "read_row"]


@dataclass(frozen=True)
class Profile:
    name: str
    version: int
    title: str
    columns: dict[str, str]  # nik | no_kk | status | reason | dtks_id | date -> folded header
    values: dict[str, frozenset[str]]  # outcome step -> cell texts (folded)

    def headers(self) -> list[str]:
        return list(self.columns.values())


@dataclass(frozen=True)
class Outcome:
    """What one row says about one household, keyed by its NIK or its No. KK."""

    nik: str | None
    no_kk: str | None
    step: str | None  # one of OUTCOMES, or None when the row only assigns an ID DTKS
    reason: str | None  # of a rejection
    dtks_id: str | None
    date: str | None  # YYYY-MM-DD; None when the profile has no date column


def _fail(name: str, what: str) -> ProfileError:
    return ProfileError(f"profil hasil SIKS-NG {name}: {what}")


def parse(name: str, text: str) -> Profile:
    """The profile in `text` (TOML), checked; ProfileError (one line) when it cannot be used."""
    data, own, version, title = profile_head(text, _PROFILE_KEYS, lambda what: _fail(name, what))
    columns, values = data.get("columns"), data.get("values", {})
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise _fail(name, "columns dan values harus tabel")
    bad = sorted(set(columns) - set(COLUMNS)) + sorted(set(values) - set(OUTCOMES))
    if bad:
        raise _fail(name, f"kolom atau nilai tidak dikenal: {', '.join(bad)}")
    if not all(isinstance(h, str) and h.strip() for h in columns.values()):
        raise _fail(name, "setiap kolom harus nama kolom (teks)")
    folded = {key: _fold(header) for key, header in columns.items()}
    if not {"nik", "no_kk"} & set(folded):
        raise _fail(name, "columns.nik atau columns.no_kk wajib ada")
    if not {"status", "dtks_id"} & set(folded):
        raise _fail(name, "columns.status atau columns.dtks_id wajib ada")
    if len(set(folded.values())) != len(folded):
        raise _fail(name, "dua kolom memakai nama kolom yang sama")
    texts: dict[str, frozenset[str]] = {}
    for key, value in values.items():
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise _fail(name, f"values.{key} harus daftar teks yang tidak kosong")
        texts[key] = frozenset(_fold(v) for v in value)
    if "status" in folded and not texts:
        raise _fail(name, f"kolom status memerlukan values (di antara: {', '.join(OUTCOMES)})")
    if sum(len(t) for t in texts.values()) != len(frozenset().union(*texts.values())):
        raise _fail(name, "satu teks tidak boleh berarti dua hasil")
    if dinsos_events.REJECTED in texts and "reason" not in folded:
        raise _fail(name, "hasil ditolak memerlukan columns.reason (alasannya)")
    return Profile(own, version, title, folded, texts)


def read_date(cell: object, header: str = "TANGGAL") -> str:
    """YYYY-MM-DD of a cell written DD-MM-YYYY or YYYY-MM-DD, or of a spreadsheet's date
    cell; RowRefused for anything else (a number, 03/04/2026, a day that does not exist)."""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise RowRefused(f"{header} kosong")
    if not isinstance(cell, str):
        raise RowRefused(f"{header} berupa angka, bukan tanggal (DD-MM-YYYY atau YYYY-MM-DD)")
    text = cell.strip()
    dmy, ymd = _DATE_DMY.fullmatch(text), _DATE_YMD.fullmatch(text)
    try:
        if dmy:
            return dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1])).isoformat()
        if ymd:
            return dt.date(int(ymd[1]), int(ymd[2]), int(ymd[3])).isoformat()
    except ValueError:
        raise RowRefused(f"{header} bukan tanggal yang ada") from None
    raise RowRefused(f"{header} harus DD-MM-YYYY atau YYYY-MM-DD")


def _text(cell: object) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def _key(profile: Profile, cells: Mapping[str, object], key: str, label: str) -> str | None:
    if key not in profile.columns:
        return None
    cell = cells.get(profile.columns[key], "")
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    return read_nik(cell, label)


def read_row(profile: Profile, cells: Mapping[str, object]) -> Outcome:
    """One row (folded header -> cell: text, a number or a date from a spreadsheet) as an
    Outcome; RowRefused when it cannot be used. Columns the profile does not name are ignored."""
    nik = _key(profile, cells, "nik", "NIK")
    no_kk = _key(profile, cells, "no_kk", "No. KK")
    if nik is None and no_kk is None:
        raise RowRefused("NIK dan No. KK kosong")
    step = None
    status = _fold(_text(cells.get(profile.columns.get("status", ""), "")))
    if status:
        step = next((k for k, texts in profile.values.items() if status in texts), None)
        if step is None:
            raise RowRefused(f"nilai tidak dikenal di kolom {profile.columns['status']}")
    dtks_id = None
    if "dtks_id" in profile.columns:
        cell = cells.get(profile.columns["dtks_id"], "")
        if cell is not None and not isinstance(cell, str):
            raise RowRefused("ID DTKS berupa angka, bukan teks (ubah kolomnya menjadi Teks)")
        dtks_id = (cell or "").strip() or None
        if dtks_id is not None and not _DTKS_ID.fullmatch(dtks_id):
            raise RowRefused("ID DTKS hanya huruf, angka, titik atau '-' (maks. 40)")
    if step is None and dtks_id is None:
        raise RowRefused("baris tanpa hasil SIKS-NG (status kosong, ID DTKS kosong)")
    reason = None
    if step == dinsos_events.REJECTED:
        reason = _text(cells.get(profile.columns["reason"], ""))[:MAX_REASON] or None
        if reason is None:
            raise RowRefused(f"ditolak tanpa alasan di kolom {profile.columns['reason']}")
    date = None
    if "date" in profile.columns:
        date = read_date(cells.get(profile.columns["date"]), profile.columns["date"])
    return Outcome(nik, no_kk, step, reason, dtks_id, date)
