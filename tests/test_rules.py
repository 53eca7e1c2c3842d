"""The fmotm-dki-2021 rule set, rule by rule, including the edges named in the issue."""

from __future__ import annotations

import pytest
from helpers.households import REGIONS, TODAY, head, household

from app import rules
from app.core.document import new_household, new_member


def run(doc):
    return rules.evaluate(doc, today=TODAY, regions=REGIONS)


def rule_ids(doc, kind=None):
    return [f.rule for f in run(doc).findings if kind is None or f.kind == kind]


def test_a_complete_ordinary_household_is_proposable_without_errors():
    evaluation = run(household())
    assert evaluation.proposable and not evaluation.has_errors
    assert evaluation.rule_set == "fmotm-dki-2021"
    assert rule_ids(household(), "warning") == []


@pytest.mark.parametrize(
    ("post", "permanent", "excluded"),
    [
        ("pns", False, True),
        ("tni", False, True),
        ("polri", True, True),
        ("dpr", False, True),
        ("dprd", False, True),
        ("bumn", True, True),
        ("bumn", False, False),  # a contract BUMN worker is not excluded
        ("bumd", True, False),  # nor a BUMD employee
        ("other", True, False),
        ("none", False, False),
    ],
)
def test_public_post(post, permanent, excluded):
    doc = household(head(), new_member(nik="3174011203050001", name="Rizky", sex=1,
                                       birth_date="2005-03-12", relationship=3,
                                       public_post=post, permanent_employee=permanent))  # fmt: skip
    evaluation = run(doc)
    assert ("public_post" in evaluation.exclusions) is excluded
    if excluded:
        [finding] = evaluation.of_kind("exclusion")
        assert finding.fields[0] == "members[1].public_post"
        assert finding.message.startswith("Rizky adalah")


@pytest.mark.parametrize(
    ("njop", "excluded"),
    [(None, False), (0, False), (1_000_000_000, False), (1_000_000_001, True), (2 * 10**9, True)],
)
def test_njop_strictly_above_one_billion(njop, excluded):
    doc = household()
    doc["assets"]["land_building_njop_idr"] = njop
    assert ("njop_over_1b" in run(doc).exclusions) is excluded


@pytest.mark.parametrize(("water", "excluded"), [(1, True), (2, False), (3, False), (None, False)])
def test_only_branded_bottled_water_excludes(water, excluded):
    doc = household()
    doc["housing"]["drinking_water"] = water
    assert ("bottled_water" in run(doc).exclusions) is excluded


def test_car_and_musyawarah_and_several_exclusions_in_order():
    doc = household()
    doc["assets"]["car"] = True
    doc["musyawarah"]["decision"] = "not_poor"
    doc["housing"]["drinking_water"] = 1
    assert run(doc).exclusions == ["car", "bottled_water", "judged_not_poor"]
    doc["musyawarah"]["decision"] = "eligible"
    assert "judged_not_poor" not in run(doc).exclusions


@pytest.mark.parametrize(
    ("nik", "sex", "birth", "rule"),
    [
        ("317401670580000", 2, "1980-05-27", "nik_format"),  # 15 digits
        ("31740167058000041", 2, "1980-05-27", "nik_format"),  # 17 digits
        ("31740167058A0004", 2, "1980-05-27", "nik_format"),
        ("", 2, "1980-05-27", "answer_missing"),  # not given: completeness
        ("3174013205800004", 1, "1980-05-27", "nik_date"),  # day 32 for a man
        ("3174014005800004", 1, "1980-05-27", "nik_date"),  # day 40: neither
        ("3174017205800004", 2, "1980-05-27", "nik_date"),  # day 72
        ("3174010013800004", 1, "1980-05-27", "nik_date"),  # day 00, month 13
        ("3174012902010004", 1, "2001-02-29", "nik_date"),  # 2001 is not a leap year
        ("3174016705800000", 2, "1980-05-27", "nik_serial"),
        ("9974016705800004", 2, "1980-05-27", "nik_province"),
    ],
)
def test_nik_errors(nik, sex, birth, rule):
    doc = household(head(nik=nik, sex=sex, birth_date=birth))
    doc["members"][0]["nik"] = nik  # as typed, even empty (household() fills what is empty)
    assert rule in rule_ids(doc, "error")


@pytest.mark.parametrize(
    ("nik", "sex", "birth"),
    [
        ("3174014101800004", 2, "1980-01-01"),  # day 41: a woman born on the 1st
        ("3174017101800004", 2, "1980-01-31"),  # day 71: on the 31st
        ("3174012902000004", 1, "2000-02-29"),  # leap year
        ("3273016705800004", 2, "1980-05-27"),  # Bandung: migrants keep their NIK
    ],
)
def test_valid_niks_at_the_edges(nik, sex, birth):
    doc = household(head(nik=nik, sex=sex, birth_date=birth))
    assert rule_ids(doc, "error") == []
    assert rule_ids(doc, "warning") == []


def test_unknown_district_is_a_warning_not_an_error():
    doc = household(head(nik="3174996705800004"))
    assert "nik_region_unknown" in rule_ids(doc, "warning")
    assert rule_ids(doc, "error") == []


def test_nik_disagreeing_with_birth_date_and_sex_warns():
    doc = household(head(sex=1, birth_date="1981-05-27"))
    warnings = {f.rule: f for f in run(doc).of_kind("warning")}
    assert set(warnings) == {"nik_birth_date_mismatch", "nik_sex_mismatch"}
    assert "27-05-1980" in warnings["nik_birth_date_mismatch"].message
    assert "perempuan" in warnings["nik_sex_mismatch"].message


def test_nik_century_is_the_one_not_in_the_future():
    doc = household(head(), new_member(nik="3174011203250001", sex=1, birth_date="2025-03-12",
                                       relationship=3))  # fmt: skip
    assert rule_ids(doc, "warning") == []
    doc["members"][1]["birth_date"] = "1925-03-12"
    assert "nik_birth_date_mismatch" in rule_ids(doc)


def test_family_structure_errors():
    no_head = household(head(relationship=2))
    assert "head_missing" in rule_ids(no_head, "error")
    two_heads = household(head(), head(nik="3174011203050001", sex=1, birth_date="2005-03-12"))
    assert "head_multiple" in rule_ids(two_heads, "error")
    twice = household(head(), head(relationship=3))
    [finding] = [f for f in run(twice).findings if f.rule == "nik_duplicate_in_household"]
    assert finding.fields == ("members[0].nik", "members[1].nik")
    empty = new_household("31.74.01.1001", no_kk="3174012304150007")
    assert "members_missing" in rule_ids(empty, "error")


@pytest.mark.parametrize("no_kk", [None, "", "317401230415000", "31740123041500071", "abc"])
def test_no_kk_must_be_16_digits(no_kk):
    doc = household()
    doc["no_kk"] = no_kk  # as typed, even empty (household() fills what is empty)
    expected = "no_kk_format" if no_kk else "answer_missing"  # not given: completeness
    assert expected in rule_ids(doc, "error")


def test_implausible_ages_warn():
    child_older = household(
        head(), new_member(nik="3174011203700001", sex=1, birth_date="1970-03-12", relationship=3)
    )
    assert "age_implausible" in rule_ids(child_older, "warning")
    young_parent = household(
        head(), new_member(nik="3174011203050001", sex=1, birth_date="2005-03-12", relationship=6)
    )
    assert "age_implausible" in rule_ids(young_parent, "warning")


def test_program_hints_per_member():
    doc = household(
        head(birth_date="1960-01-01", nik="3174014101600004"),  # 66: KLJ
        new_member(nik="3174011203230001", sex=1, birth_date="2023-03-12", relationship=5),  # KAJ
        new_member(nik="3174011203100001", sex=1, birth_date="2010-03-12", relationship=3,
                   school_participation=2, education_level=8),  # 16, SMP: KJP Plus
        new_member(nik="3174011203050001", sex=1, birth_date="2005-03-12", relationship=3,
                   school_participation=2, education_level=19, disability="sensory"),  # KJMU, KPDJ
    )  # fmt: skip
    hints = {(f.rule, f.fields[0].split(".")[0]) for f in run(doc).of_kind("hint")}
    assert ("program_klj", "members[0]") in hints
    assert ("program_kaj", "members[1]") in hints
    assert ("program_kjp_plus", "members[2]") in hints
    assert ("program_kjmu", "members[3]") in hints and ("program_kpdj", "members[3]") in hints
    assert ("program_kjp_plus", "members[3]") not in hints  # university is KJMU, not KJP Plus
    [pkh] = [f for f in run(doc).findings if f.rule == "program_pkh"]
    assert "anak usia dini" in pkh.message and "lanjut usia" in pkh.message


def test_a_half_typed_draft_evaluates_without_crashing():
    doc = new_household("31.74.01.1001")
    doc["members"] = [new_member(), new_member(nik="31", birth_date=None, sex=None)]
    evaluation = run(doc)
    assert evaluation.has_errors and evaluation.proposable
    assert all(set(f.to_dict()) == {"rule", "kind", "message", "fields", "source"}
               for f in evaluation.findings)  # fmt: skip


def test_unknown_rule_set_is_refused():
    with pytest.raises(ValueError, match="unknown rule set"):
        rules.evaluate(household(), "nope")


def test_duplicate_findings_link_to_the_other_household():
    doc = household()
    found = rules.duplicate_findings(doc, {"3174016705800004": [("other-id", "Nur H.")]}, ["kk-id"])
    assert [(f.rule, f.kind, f.link) for f in found] == [
        ("nik_registered_elsewhere", "warning", "other-id"),
        ("no_kk_registered_elsewhere", "warning", "kk-id"),
    ]
    assert "3174********0004" in found[0].message and "Nur H." in found[0].message
