"""Program hints per member (KLJ, KAJ, KPDJ, KJP Plus, KJMU) and for the household (PKH)."""

from __future__ import annotations

import datetime as dt

import pytest

from app import rules
from app.core.document import new_household, new_member

TODAY = dt.date(2026, 11, 22)


def born_years_ago(years: int, days_more: int = 0) -> str:
    return (TODAY.replace(year=TODAY.year - years) - dt.timedelta(days=days_more)).isoformat()


def household_with(**values):
    """A head of 40 without hints, and the member under test (index 1)."""
    doc = new_household("31.74.01.1001", no_kk="3174012304150007")
    doc["members"] = [
        new_member(name="Budi", sex=1, birth_date=born_years_ago(40, 30), relationship=1),
        new_member(**{"name": "Sari", "sex": 2, "relationship": 3, **values}),
    ]
    return doc


def hints(doc):
    return [(f.rule, f.fields) for f in rules.evaluate(doc, today=TODAY).of_kind("hint")]


def member_hints(doc):
    return [rule for rule, _ in hints(doc) if rule != "program_pkh"]


@pytest.mark.parametrize(
    ("age", "days_more", "expected"),
    [
        (59, 364, []),
        (60, 0, ["program_klj"]),  # 60th birthday today
        (95, 0, ["program_klj"]),
        (0, 0, ["program_kaj"]),  # born today
        (6, 364, ["program_kaj"]),  # the day before turning 7
        (7, 0, []),
        (30, 0, []),
    ],
)
def test_age_programs(age, days_more, expected):
    doc = household_with(birth_date=born_years_ago(age, days_more))
    assert member_hints(doc) == expected
    for rule, fields in hints(doc):
        if rule != "program_pkh":
            assert fields == ("members[1].birth_date",)


@pytest.mark.parametrize(
    ("disability", "expected"),
    [("none", []), (None, []), ("physical", ["program_kpdj"]), ("multiple", ["program_kpdj"])],
)
def test_kpdj_for_any_disability(disability, expected):
    doc = household_with(birth_date=born_years_ago(30), disability=disability)
    assert member_hints(doc) == expected


@pytest.mark.parametrize(
    ("age", "school", "level", "expected"),
    [
        (6, 2, 3, ["program_kaj", "program_kjp_plus"]),  # first grade: both
        (15, 2, 8, ["program_kjp_plus"]),  # SMP
        (21, 2, 15, ["program_kjp_plus"]),  # SMK at 21
        (22, 2, 13, []),  # too old for KJP Plus
        (5, 2, 3, ["program_kaj"]),  # too young for KJP Plus
        (16, 3, 8, []),  # no longer in school
        (16, 1, None, []),  # never went to school
        (16, None, None, []),  # not typed yet
        (17, 2, 17, ["program_kjp_plus"]),  # SPM/PDF Ulya: still school
        (19, 2, 18, ["program_kjmu"]),  # D1/D2/D3: university, not KJP Plus
        (20, 2, 19, ["program_kjmu"]),  # S1
        (26, 2, 21, ["program_kjmu"]),  # S2: KJMU has no age limit here
        (20, 3, 19, []),  # graduated
    ],
)
def test_school_programs(age, school, level, expected):
    doc = household_with(
        birth_date=born_years_ago(age), school_participation=school, education_level=level
    )
    assert member_hints(doc) == expected


def test_hint_messages_name_the_member_and_the_program():
    doc = household_with(birth_date=born_years_ago(20), school_participation=2, education_level=19)
    [kjmu] = rules.evaluate(doc, today=TODAY).of_kind("hint")
    assert kjmu.message == "Sari dapat dipertimbangkan untuk KJMU (Kartu Jakarta Mahasiswa Unggul)."
    assert kjmu.fields == ("members[1].education_level",)
    assert "DKI Jakarta" in kjmu.source


def test_pkh_lists_each_component_once_pointing_at_the_first_member_it_applies_to():
    doc = household_with(birth_date=born_years_ago(2), disability="sensory")
    doc["members"][0].update(pregnant=True, sex=2)
    doc["members"].append(
        new_member(name="Oma", sex=2, birth_date=born_years_ago(70), relationship=6)
    )
    doc["members"].append(
        new_member(name="Adik", sex=1, birth_date=born_years_ago(1), relationship=3)
    )
    [pkh] = [f for f in rules.evaluate(doc, today=TODAY).findings if f.rule == "program_pkh"]
    assert pkh.kind == "hint"
    assert pkh.message == (
        "Keluarga memiliki komponen PKH: ibu hamil, anak usia dini, "
        "penyandang disabilitas (bila berat), lanjut usia."
    )
    assert pkh.fields == (
        "members[0].pregnant",
        "members[1].birth_date",
        "members[1].disability",
        "members[2].birth_date",
    )


def test_no_pkh_hint_without_a_component():
    doc = household_with(birth_date=born_years_ago(30))
    assert hints(doc) == []


def test_hints_stay_on_an_excluded_household_and_do_not_affect_the_verdict():
    doc = household_with(birth_date=born_years_ago(70))
    doc["assets"]["car"] = True
    evaluation = rules.evaluate(doc, today=TODAY)
    assert evaluation.exclusions == ["car"]
    assert [f.rule for f in evaluation.of_kind("hint")] == ["program_klj", "program_pkh"]
    doc["assets"]["car"] = False
    assert rules.evaluate(doc, today=TODAY).proposable


def test_members_without_birth_dates_get_no_age_hints():
    doc = household_with(birth_date=None, school_participation=2, education_level=8)
    assert hints(doc) == []
