"""Indonesian dates, Rupiah and the receipt's NIK mask, formatted without `locale`."""

from __future__ import annotations

import datetime as dt

from app.receipts.formatting import date_long, datetime_long, rupiah, thousands
from app.rules.nik import mask


def test_dates_are_written_the_indonesian_way_in_jakarta_time():
    # 07:05 UTC is 14.05 WIB; 23 November 2026 is a Monday
    assert datetime_long(dt.datetime(2026, 11, 23, 7, 5, tzinfo=dt.UTC)) == (
        "Senin, 23 November 2026 14.05 WIB"
    )
    # late evening UTC is already the next day in Jakarta
    assert datetime_long(dt.datetime(2026, 12, 31, 18, 30, tzinfo=dt.UTC)) == (
        "Jumat, 1 Januari 2027 01.30 WIB"
    )
    assert date_long(dt.date(2026, 8, 17)) == "Senin, 17 Agustus 2026"


def test_rupiah_groups_thousands_with_dots():
    assert rupiah(1_250_000_000) == "Rp 1.250.000.000"
    assert rupiah(500) == "Rp 500"
    assert rupiah(0) == "Rp 0"
    assert rupiah(-15_000) == "-Rp 15.000"
    assert thousands(1000) == "1.000"


def test_one_masking_style_for_every_nik_and_no_kk():
    assert mask("3174016705800004") == "3174********0004"  # one style: lists, logs, receipts
    assert mask(None) == ""
