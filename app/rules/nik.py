"""NIK (Nomor Induk Kependudukan) structure: parse, build and mask.

A NIK is 16 digits: PP KK CC DDMMYY SSSS -- province, city/regency and district codes of
where it was first issued (Kemendagri codes, without dots), the birth date (women: day + 40),
and a serial that is never 0000. The two-digit year takes the century that does not put the
birth in the future.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# ASCII digits only, and the whole string: `\d` would accept other scripts' digits and `$`
# a trailing newline.
NIK_RE = re.compile(r"[0-9]{16}", re.ASCII)
MALE, FEMALE = 1, 2  # questionnaire code 405
FEMALE_DAY_OFFSET = 40


class NikError(ValueError):
    """A NIK that cannot be read; `reason` is a stable machine id: length, date, serial."""

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


def is_sixteen_digits(value: object) -> bool:
    """True for a string of exactly 16 ASCII digits (the form of a NIK and of a No. KK)."""
    return isinstance(value, str) and NIK_RE.fullmatch(value) is not None


def _birth_date(day: int, month: int, year2: int, today: dt.date) -> dt.date:
    """The real date for DD MM YY, in the century that does not put it after `today`."""
    year = 2000 + year2
    if year > today.year:
        year -= 100
    try:
        born = dt.date(year, month, day)
        if born > today:  # e.g. born later this year in the current two-digit year
            born = born.replace(year=year - 100)
    except ValueError:  # day/month out of range, or 29 February of a non-leap year
        raise NikError("date", "Tanggal lahir dalam NIK tidak valid") from None
    return born


def parse(nik: str, today: dt.date | None = None) -> NikInfo:
    """Read a NIK's structure; raise NikError (reason: length, date, serial) when impossible.

    Region codes are returned as written; whether they exist is for the caller to check.
    """
    if not is_sixteen_digits(nik):
        raise NikError("length", "NIK harus 16 digit angka")
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = MALE
    if FEMALE_DAY_OFFSET < day <= FEMALE_DAY_OFFSET + 31:
        sex, day = FEMALE, day - FEMALE_DAY_OFFSET
    birth = _birth_date(day, month, year2, today or dt.date.today())
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
    if sex not in (MALE, FEMALE):
        raise ValueError(f"sex must be {MALE} or {FEMALE}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == FEMALE else 0)
    region = district.replace(".", "")
    if len(region) != 6 or not region.isascii() or not region.isdigit():
        raise ValueError(f"not a district code: {district!r}")
    return f"{region}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


KEEP_FIRST = KEEP_LAST = 4  # the province and city codes, the last 4 digits


def mask(nik: str | None) -> str:
    """A NIK or No. KK as every screen, log and paper shows it (one style, issue 16): first 4
    and last 4 digits, `3174********0003`. The first 4 name only the province and city."""
    if not nik:
        return ""
    nik = str(nik)
    if len(nik) <= KEEP_FIRST + KEEP_LAST:
        return "*" * len(nik)
    return nik[:KEEP_FIRST] + "*" * (len(nik) - KEEP_FIRST - KEEP_LAST) + nik[-KEEP_LAST:]
