"""Indonesian dates and Rupiah, formatted by hand: never Python's `locale` (many machines have
no id_ID locale, and `locale` is process-wide state).

Times are shown in WIB (UTC+7, no daylight saving), the time of the Jakarta counters.
"""

from __future__ import annotations

import datetime as dt

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # date.weekday() order
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def month_year(day: dt.date) -> str:
    """E.g. "November 2026"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def date_long(day: dt.date) -> str:
    """E.g. "Senin, 23 November 2026"."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def date_short(day: dt.date) -> str:
    """E.g. "23 November 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def in_wib(moment: dt.datetime) -> dt.datetime:
    """A timezone-aware moment in WIB (a naive one is taken as UTC, as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(WIB)


def datetime_long(moment: dt.datetime) -> str:
    """E.g. "Senin, 23 November 2026 14.05 WIB" (Indonesian writes times with a dot)."""
    local = in_wib(moment)
    return f"{date_long(local.date())} {local.hour:02d}.{local.minute:02d} WIB"


def parse_iso(text: str) -> dt.datetime:
    """A stored ISO time ("2026-11-23T07:05:00.000Z") as an aware datetime; ValueError when
    it is not one."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_date(value: object) -> dt.date | None:
    """A stored ISO date ("2026-11-23"), or None when there is none or it is impossible
    ("2024-99-99", another script's digits, not text): every stored date is read through this
    (issue 15), so one damaged date shows as "-" instead of breaking a receipt."""
    if not isinstance(value, str) or len(value) != 10 or not value.isascii():
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def date_or_dash(value: object) -> str:
    """A stored ISO date as "23 November 2026", or "-" when absent or impossible."""
    day = parse_date(value)
    return date_short(day) if day else "-"


def thousands(number: int) -> str:
    """1234567 -> "1.234.567" (Indonesian groups thousands with dots)."""
    sign = "-" if number < 0 else ""
    digits = str(abs(int(number)))
    groups = []
    while digits:
        groups.append(digits[-3:])
        digits = digits[:-3]
    return sign + ".".join(reversed(groups))


def rupiah(amount: int | float) -> str:
    """1250000000 -> "Rp 1.250.000.000" (whole Rupiah; sen are not used on these forms)."""
    value = round(amount)
    if value < 0:
        return f"-Rp {thousands(-value)}"
    return f"Rp {thousands(value)}"
