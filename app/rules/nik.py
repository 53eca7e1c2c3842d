"""NIK (Nomor Induk Kependudukan) structure: parse and build.

A NIK is 16 digits: PP KK CC DDMMYY SSSS -- province, city/regency and district codes of
where it was first issued (Kemendagri codes, without dots), the birth date (women: day + 40),
and a serial that is never 0000. The two-digit year takes the century that does not put the
birth in the future.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

NIK_RE = re.compile(r"^\d{16}$")
MALE, FEMALE = 1, 2  # questionnaire code 405


class NikError(ValueError):
    """A NIK that cannot be read; `reason` is a stable machine id."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class NikInfo:
    province: str  # "31"
    city: str  # "31.74"
    district: str  # "31.74.01"
    birth_date: dt.date
    sex: int  # 1 laki-laki, 2 perempuan
    serial: str  # "0001"


def _century_year(two_digits: int, today: dt.date) -> int:
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def parse(nik: str, today: dt.date | None = None) -> NikInfo:
    """Read a NIK's structure; raise NikError (reason: length, date, serial) when impossible.

    Region codes are returned as written; whether they exist is for the caller to check.
    """
    today = today or dt.date.today()
    if not NIK_RE.match(nik or ""):
        raise NikError("length", "NIK harus 16 digit angka")
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = MALE
    if 41 <= day <= 71:
        sex, day = FEMALE, day - 40
    year = _century_year(year2, today)
    try:
        birth = dt.date(year, month, day)
    except ValueError:
        raise NikError("date", "Tanggal lahir dalam NIK tidak valid") from None
    if birth > today:  # e.g. born later this year in the current two-digit year
        try:
            birth = birth.replace(year=year - 100)
        except ValueError:  # 29 February
            raise NikError("date", "Tanggal lahir dalam NIK tidak valid") from None
    if nik[12:] == "0000":
        raise NikError("serial", "Nomor urut NIK tidak boleh 0000")
    return NikInfo(
        province=nik[0:2],
        city=f"{nik[0:2]}.{nik[2:4]}",
        district=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_date=birth,
        sex=sex,
        serial=nik[12:],
    )


def build(district: str, birth_date: dt.date, sex: int, serial: int) -> str:
    """Compose a NIK from a district code ("31.74.01"), birth date, sex code and serial."""
    if not 1 <= serial <= 9999:
        raise ValueError("serial must be 1..9999")
    day = birth_date.day + (40 if sex == FEMALE else 0)
    region = district.replace(".", "")
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"not a district code: {district!r}")
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def mask(nik: str | None) -> str:
    """NIK masked for lists, logs and receipts: first 4 and last 4 digits shown."""
    if not nik:
        return ""
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]
