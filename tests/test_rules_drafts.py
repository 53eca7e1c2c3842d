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
    assert {"answer_missing", "nik_format", "date_invalid"} <= rules_found
    assert "head_missing" not in rules_found  # the relationships are not given yet
    assert evaluation.proposable and evaluation.has_errors and not evaluation.complete
    assert [f.message for f in evaluation.findings if f.rule == "nik_format"] == [
        "NIK anggota ke-2 harus 16 digit angka.",
    ]
    missing = [f.message for f in evaluation.missing]
    assert "No. KK belum diisi" in missing and "Anggota 1: NIK belum diisi" in missing
    assert "Anggota 2: Jenis kelamin belum diisi" in missing
    assert "Anggota 2: Tanggal lahir belum diisi" not in missing  # typed, not a real date
    assert [f.message for f in evaluation.findings if f.rule == "date_invalid"] == [
        "Tanggal tidak valid: 2020-13-45"
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
    st.sampled_from(
        ["3174016705800004", "1980-05-27", "2026-02-29", "31-02-1980", "2021-W01-1", "bumn"]
    ),
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
    musyawarah=st.dictionaries(
        st.sampled_from(["decision", "date"]), ANY_VALUE | st.just("not_poor")
    ),
)
def test_any_half_typed_household_evaluates_without_exception(
    members, no_kk, assets, housing, musyawarah
):
    doc = {
        "members": members,
        "no_kk": no_kk,
        "assets": assets,
        "housing": housing,
        "musyawarah": musyawarah,
    }
    evaluation = evaluate(doc)
    for finding in evaluation.findings:
        assert finding.kind in ("exclusion", "error", "warning", "hint")
        assert finding.message and finding.source and finding.fields
