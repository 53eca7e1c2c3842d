"""Drafts: a half-typed household (None, missing, empty or wrongly typed values) evaluates
without an exception and says what is missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app import rules
from app.core.document import new_household, new_member

TODAY = dt.date(2026, 11, 22)
REGIONS = rules.load_region_codes(
    Path(__file__).resolve().parent.parent / "resources/regions/indonesia_prov_city_district.csv"
)


def evaluate(doc):
    return rules.evaluate(doc, today=TODAY, regions=REGIONS)


def test_a_none_heavy_draft_evaluates_and_reports_what_is_missing():
    doc = new_household("31.74.01.1001")
    doc["members"] = [new_member(), new_member(nik="31", birth_date="2020-13-45", sex=None)]
    doc["assets"]["land_building_njop_idr"] = None
    evaluation = evaluate(doc)
    rules_found = {f.rule for f in evaluation.findings}
    assert {"no_kk_format", "head_missing", "nik_format"} <= rules_found
    assert evaluation.proposable and evaluation.has_errors
    assert [f.message for f in evaluation.findings if f.rule == "nik_format"] == [
        "NIK anggota ke-1 belum diisi.",
        "NIK anggota ke-2 harus 16 digit angka.",
    ]


def test_missing_sections_and_wrong_types_do_not_crash():
    for doc in (
        {},
        {"members": None, "assets": None, "housing": None, "musyawarah": None},
        {"members": [None, 3, {}], "assets": [], "no_kk": 3174012304150007},
        {"members": [{"nik": 3174016705800004, "birth_date": 19800527, "sex": "2"}]},
        {"assets": {"land_building_njop_idr": "1000000001"}, "members": "x"},
    ):
        evaluation = evaluate(doc)
        assert evaluation.has_errors
        assert all(
            set(f.to_dict()) == {"rule", "kind", "message", "fields", "source"}
            for f in evaluation.findings
        )


ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**12),
    st.text(max_size=20),
    st.sampled_from(["3174016705800004", "1980-05-27", "2026-02-29", "bumn", "not_poor"]),
)
MEMBER_KEYS = [
    "nik",
    "name",
    "sex",
    "birth_date",
    "relationship",
    "public_post",
    "permanent_employee",
    "school_participation",
    "education_level",
    "disability",
    "pregnant",
]


@settings(max_examples=300, deadline=None)
@given(
    members=st.lists(st.dictionaries(st.sampled_from(MEMBER_KEYS), ANY_VALUE), max_size=4),
    no_kk=ANY_VALUE,
    assets=st.dictionaries(st.sampled_from(["car", "land_building_njop_idr"]), ANY_VALUE),
    housing=st.dictionaries(st.just("drinking_water"), ANY_VALUE),
)
def test_any_half_typed_household_evaluates_without_exception(members, no_kk, assets, housing):
    doc = {"members": members, "no_kk": no_kk, "assets": assets, "housing": housing}
    evaluation = evaluate(doc)
    for finding in evaluation.findings:
        assert finding.kind in ("exclusion", "error", "warning", "hint")
        assert finding.message and finding.source and finding.fields
