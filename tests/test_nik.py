"""NIK structure: whatever `build` makes, `parse` reads back the same region, date, sex, serial."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app import checks
from app.rules import nik

TODAY = dt.date(2026, 11, 22)
DISTRICTS = sorted(checks.region_codes().districts)


@settings(max_examples=200, deadline=None)
@given(
    district=st.sampled_from(DISTRICTS),
    born=st.dates(min_value=TODAY - dt.timedelta(days=99 * 365), max_value=TODAY),
    sex=st.sampled_from([nik.MALE, nik.FEMALE]),
    serial=st.integers(1, 9999),
)
def test_build_then_parse_round_trips(district, born, sex, serial):
    value = nik.build(district, born, sex, serial)
    assert len(value) == 16 and value.isdigit()
    info = nik.parse(value, today=TODAY)
    assert (info.district, info.birth_date, info.sex, int(info.serial)) == (
        district, born, sex, serial)  # fmt: skip
    assert info.province == district[:2] and info.city == district[:5]


def test_mask_shows_only_the_ends():
    assert nik.mask("3174016705800004") == "3174********0004"
    assert nik.mask(None) == ""
