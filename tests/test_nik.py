"""NIK structure: whatever `build` makes, `parse` reads back the same region, date, sex, serial;
whatever `parse` accepts, `build` writes back the same digits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.rules import load_region_codes, nik

TODAY = dt.date(2026, 11, 22)
REGIONS = load_region_codes(
    Path(__file__).resolve().parent.parent / "resources/regions/indonesia_prov_city_district.csv"
)
DISTRICTS = sorted(REGIONS.districts)


def hundred_years_before(today: dt.date) -> dt.date:
    """The earliest birth date a two-digit year can still name on `today`."""
    try:
        return today.replace(year=today.year - 100) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return dt.date(today.year - 100, 3, 1)


@st.composite
def today_and_birth(draw):
    today = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)))
    born = draw(st.dates(min_value=hundred_years_before(today), max_value=today))
    return today, born


@settings(max_examples=500, deadline=None)
@given(
    district=st.sampled_from(DISTRICTS),
    dates=today_and_birth(),
    sex=st.sampled_from([nik.MALE, nik.FEMALE]),
    serial=st.integers(1, 9999),
)
def test_build_then_parse_round_trips(district, dates, sex, serial):
    today, born = dates
    value = nik.build(district, born, sex, serial)
    assert len(value) == 16 and value.isdigit()
    info = nik.parse(value, today=today)
    assert (info.district, info.birth_date, info.sex, int(info.serial)) == (
        district,
        born,
        sex,
        serial,
    )
    assert info.province == district[:2] and info.city == district[:5]
    assert info.province in REGIONS.provinces and info.city in REGIONS.cities


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_whatever_parse_accepts_builds_back_to_the_same_digits(value):
    try:
        info = nik.parse(value, today=TODAY)
    except nik.NikError as exc:
        assert exc.reason in ("date", "serial")
        return
    assert info.birth_date <= TODAY
    assert hundred_years_before(TODAY) <= info.birth_date
    assert nik.build(info.district, info.birth_date, info.sex, int(info.serial)) == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_anything_not_16_ascii_digits_is_a_length_error(value):
    assume(not (len(value) == 16 and value.isascii() and value.isdigit()))
    with pytest.raises(nik.NikError) as raised:
        nik.parse(value, today=TODAY)
    assert raised.value.reason == "length"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "length"),
        (3174016705800004, "length"),  # a number, not text
        ("3174016705800004\n", "length"),
        ("3174013205800004", "date"),  # day 32
        ("3174014005800004", "date"),  # day 40
        ("3174017205800004", "date"),  # day 72
        ("3174012902230004", "date"),  # 29 Feb 2023
        ("3174016705800000", "serial"),
    ],
)
def test_parse_refuses_impossible_niks_with_a_reason(value, reason):
    with pytest.raises(nik.NikError) as raised:
        nik.parse(value, today=TODAY)
    assert raised.value.reason == reason


@pytest.mark.parametrize(
    ("value", "born", "sex"),
    [
        ("3174014101800004", dt.date(1980, 1, 1), nik.FEMALE),  # day 41
        ("3174017112800004", dt.date(1980, 12, 31), nik.FEMALE),  # day 71
        ("3174013112800004", dt.date(1980, 12, 31), nik.MALE),
        ("3174012902000004", dt.date(2000, 2, 29), nik.MALE),  # leap year
        ("3174012211260001", dt.date(2026, 11, 22), nik.MALE),  # born today
        ("3174012311260001", dt.date(1926, 11, 23), nik.MALE),  # tomorrow: a century back
        ("3174010101270001", dt.date(1927, 1, 1), nik.MALE),  # '27 is still to come
    ],
)
def test_parse_reads_date_sex_and_century(value, born, sex):
    info = nik.parse(value, today=TODAY)
    assert (info.birth_date, info.sex) == (born, sex)


def test_a_29_february_that_would_be_in_the_future_falls_back_to_a_non_leap_year():
    # On 15 January 2000 a NIK's "29 02 00" can only mean 1900, which had no 29 February.
    with pytest.raises(nik.NikError) as raised:
        nik.parse("3174012902000004", today=dt.date(2000, 1, 15))
    assert raised.value.reason == "date"


@pytest.mark.parametrize(
    ("district", "sex", "serial"),
    [
        ("31.74", 1, 1),
        ("31.74.0A", 1, 1),
        ("31.74.01", 3, 1),
        ("31.74.01", 1, 0),
        ("31.74.01", 1, 10_000),
    ],
)
def test_build_refuses_what_no_nik_can_hold(district, sex, serial):
    with pytest.raises(ValueError):
        nik.build(district, dt.date(1980, 1, 1), sex, serial)


def test_mask_shows_only_the_ends():
    assert nik.mask("3174016705800004") == "3174********0004"
    assert nik.mask("31740167") == "********"
    assert nik.mask(None) == "" and nik.mask("") == ""
