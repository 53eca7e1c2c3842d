"""Column profiles for pemadanan result files (issue 19): which column of a Dukcapil or Bapenda
result file holds the NIK and what each cell value means, as data (`resources/pemadanan/
<name>.toml`), not code — like the export profiles (app/core/export_profiles.py).

`parse(name, text)` reads and checks one profile; a malformed one is refused with one line
(`ProfileError`). `read_row(profile, cells)` turns one row (header -> cell) into a `Result` or
a refusal reason (`RowRefused`), never echoing the NIK. Pure: no files, no database.

Columns: `nik` (required), `found` (Dukcapil: found / not found), `car` (Bapenda: owns a car),
`njop` (Bapenda: NJOP in Rupiah, digits with optional thousands dots). Values: `found`,
`not_found`, `car_yes`, `car_no`: the cell texts (case-insensitive) meaning each answer.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from typing import Any

from app.core.export_profiles import ProfileError
from app.rules.nik import is_sixteen_digits

SOURCES = ("dukcapil", "bapenda")
COLUMNS = ("nik", "found", "car", "njop")
VALUES = {"found": "found", "not_found": "found", "car_yes": "car", "car_no": "car"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_PROFILE_KEYS = {"name", "version", "title", "source", "columns", "values"}
_NJOP = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})*$|^[0-9]{1,15}$")
MAX_NJOP_IDR = 10**15

__all__ = ["ProfileError", "Profile", "Result", "RowRefused", "parse", "read_row"]


@dataclass(frozen=True)
class Profile:
    name: str
    version: int
    title: str
    source: str  # dukcapil | bapenda
    columns: dict[str, str]  # nik | found | car | njop -> header (folded to upper case)
    values: dict[str, frozenset[str]]  # found | not_found | car_yes | car_no -> cell texts

    def headers(self) -> list[str]:
        return list(self.columns.values())


@dataclass(frozen=True)
class Result:
    """What one row of a result file says about one NIK; None where the file says nothing."""

    nik: str
    found: bool | None = None
    car: bool | None = None
    njop_idr: int | None = None


class RowRefused(ValueError):
    """One row that cannot be used: the reason, without the NIK or any other personal data."""


def _fail(name: str, what: str) -> ProfileError:
    return ProfileError(f"profil pemadanan {name}: {what}")


def _texts(name: str, key: str, value: object) -> frozenset[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(name, f"values.{key} harus daftar teks yang tidak kosong")
    return frozenset(_fold(v) for v in value)


def _fold(text: str) -> str:
    return " ".join(text.split()).upper()


def profile_head(
    text: str, keys: Set[str], fail: Callable[[str], ProfileError]
) -> tuple[dict[str, Any], str, int, str]:
    """A result-file profile's TOML (pemadanan here, SIKS-NG outcomes in outcome_profiles.py)
    with its name, version and title checked; `fail(what)` makes the one-line refusal."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise fail(f"bukan TOML yang sah ({exc})") from None
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise fail(f"kunci tidak dikenal: {', '.join(unknown)}")
    own = data.get("name")
    if not isinstance(own, str) or not _NAME.fullmatch(own):
        raise fail("name harus huruf kecil, angka atau '-'")
    version, title = data.get("version", 1), data.get("title", own)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise fail("version harus bilangan bulat >= 1")
    if not isinstance(title, str):
        raise fail("title harus teks")
    return data, own, version, title


def parse(name: str, text: str) -> Profile:
    """The profile in `text` (TOML), checked; ProfileError (one line) when it cannot be used."""
    data, own, version, title = profile_head(text, _PROFILE_KEYS, lambda what: _fail(name, what))
    source = data.get("source")
    if source not in SOURCES:
        raise _fail(name, f"source harus salah satu dari: {', '.join(SOURCES)}")
    columns, values = data.get("columns"), data.get("values", {})
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise _fail(name, "columns dan values harus tabel")
    bad = sorted(set(columns) - set(COLUMNS)) + sorted(set(values) - set(VALUES))
    if bad:
        raise _fail(name, f"kolom atau nilai tidak dikenal: {', '.join(bad)}")
    if not all(isinstance(h, str) and h.strip() for h in columns.values()):
        raise _fail(name, "setiap kolom harus nama kolom (teks)")
    folded = {key: _fold(header) for key, header in columns.items()}
    if "nik" not in folded:
        raise _fail(name, "columns.nik wajib ada")
    if len(set(folded.values())) != len(folded):
        raise _fail(name, "dua kolom memakai nama kolom yang sama")
    if len(folded) < 2:
        raise _fail(name, "selain nik, minimal satu kolom hasil (found, car atau njop)")
    texts = {key: _texts(name, key, value) for key, value in values.items()}
    for key, column in VALUES.items():
        if column in folded and key not in texts:
            raise _fail(name, f"kolom {column} memerlukan values.{key}")
    return Profile(own, version, title, str(source), folded, texts)


def _answer(profile: Profile, cell: str, yes: str, no: str) -> bool | None:
    value = _fold(cell)
    if not value:
        return None
    if value in profile.values[yes]:
        return True
    if value in profile.values[no]:
        return False
    raise RowRefused(f"nilai tidak dikenal di kolom {profile.columns[VALUES[yes]]}")


def read_nik(cell: object, label: str = "NIK") -> str:
    """The NIK (or, with `label`, the No. KK) of a cell: exactly 16 ASCII digits as text. A
    number (a cell Excel turned into `3.17401E+15` or a float) is refused: its last digits are
    lost."""
    if not isinstance(cell, str):
        raise RowRefused(
            f"{label} berupa angka, bukan teks (ubah kolom {label} menjadi Teks di Excel)"
        )
    text = cell.strip()
    if is_sixteen_digits(text):
        return text
    if re.fullmatch(r"[0-9.,]+[eE][+-]?[0-9]+|[0-9]+[.,][0-9]*", text):
        raise RowRefused(f"{label} rusak oleh Excel (bentuk angka ilmiah/desimal), bukan 16 digit")
    return _refuse_nik(text, label)


def _refuse_nik(text: str, label: str = "NIK") -> str:
    if not text:
        raise RowRefused(f"{label} kosong")
    raise RowRefused(f"{label} harus tepat 16 digit")


def read_njop(cell: str) -> int | None:
    text = cell.strip()
    if not text:
        return None
    if not _NJOP.fullmatch(text):
        raise RowRefused("NJOP harus angka Rupiah (digit, boleh dengan titik ribuan)")
    value = int(text.replace(".", ""))
    if value > MAX_NJOP_IDR:
        raise RowRefused("NJOP terlalu besar")
    return value


def read_row(profile: Profile, cells: Mapping[str, object]) -> Result:
    """One row (folded header -> cell: text, or a number from a spreadsheet) as a Result;
    RowRefused when it cannot be used. Columns the profile does not name are ignored."""
    nik = read_nik(cells.get(profile.columns["nik"], ""))

    def text(key: str) -> str:
        cell = cells.get(profile.columns[key], "")
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)  # an NJOP typed as a number in a spreadsheet
        return "" if cell is None else str(cell)

    found = car = njop = None
    if "found" in profile.columns:
        found = _answer(profile, text("found"), "found", "not_found")
    if "car" in profile.columns:
        car = _answer(profile, text("car"), "car_yes", "car_no")
    if "njop" in profile.columns:
        njop = read_njop(text("njop"))
    if found is None and car is None and njop is None:
        raise RowRefused("baris tanpa hasil pemadanan")
    return Result(nik, found, car, njop)
