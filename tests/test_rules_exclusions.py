"""FMOTM exclusion criteria (contract ids, DESIGN §4): what makes a household not proposable."""

from __future__ import annotations

import pytest
from helpers.households import TODAY, head, household

from app import rules
from app.core.document import new_household, new_member

SOURCE = "Ingub Sekda DKI Jakarta No. 54 Tahun 2021"


def son(**values):
    base = {
        "nik": "3174011203050001",
        "name": "Rizky",
        "sex": 1,
        "birth_date": "2005-03-12",
        "relationship": 3,
    }
    return new_member(**{**base, **values})


def evaluate(doc):
    return rules.evaluate(doc, today=TODAY)


def test_an_ordinary_household_has_no_exclusion():
    evaluation = evaluate(household(head(), son()))
    assert evaluation.proposable
    assert evaluation.exclusions == []
    assert evaluation.of_kind("exclusion") == []


@pytest.mark.parametrize(
    ("post", "permanent", "excluded", "named"),
    [
        ("pns", False, True, "PNS"),
        ("pns", True, True, "PNS"),
        ("tni", False, True, "TNI"),
        ("polri", False, True, "POLRI"),
        ("dpr", False, True, "anggota DPR"),
        ("dprd", True, True, "anggota DPRD"),
        ("bumn", True, True, "pegawai tetap BUMN"),
        ("bumn", False, False, None),  # a contract BUMN worker
        ("bumd", True, False, None),  # a BUMD employee, even permanent
        ("bumd", False, False, None),
        ("other", True, False, None),
        ("none", False, False, None),
        (None, None, False, None),  # draft: not chosen yet
    ],
)
def test_public_post(post, permanent, excluded, named):
    evaluation = evaluate(household(head(), son(public_post=post, permanent_employee=permanent)))
    assert evaluation.proposable is not excluded
    assert evaluation.exclusions == (["public_post"] if excluded else [])
    if excluded:
        [finding] = evaluation.of_kind("exclusion")
        assert finding.message.startswith(f"Rizky adalah {named}:")
        assert "tidak dapat diusulkan" in finding.message
        assert finding.fields[0] == "members[1].public_post"
        assert finding.source == SOURCE


def test_permanent_bumn_points_at_both_fields_and_pns_only_at_the_post():
    bumn = evaluate(household(head(), son(public_post="bumn", permanent_employee=True)))
    assert bumn.findings[0].fields == ("members[1].public_post", "members[1].permanent_employee")
    pns = evaluate(household(head(public_post="pns")))
    assert pns.of_kind("exclusion")[0].fields == ("members[0].public_post",)


def test_two_public_servants_give_one_exclusion_id_and_two_findings():
    evaluation = evaluate(household(head(public_post="tni"), son(public_post="polri")))
    assert evaluation.exclusions == ["public_post"]
    assert [f.message.split(":")[0] for f in evaluation.of_kind("exclusion")] == [
        "Nur Hasanah adalah TNI",
        "Rizky adalah POLRI",
    ]


def test_a_member_without_a_name_is_named_by_position():
    doc = household(head(), son(public_post="pns"))
    doc["members"][1]["name"] = None  # household() fills what is empty
    evaluation = evaluate(doc)
    assert evaluation.of_kind("exclusion")[0].message.startswith("anggota ke-2 adalah PNS")


@pytest.mark.parametrize(("car", "excluded"), [(True, True), (False, False), (None, False)])
def test_car(car, excluded):
    doc = household()
    doc["assets"]["car"] = car
    evaluation = evaluate(doc)
    assert evaluation.exclusions == (["car"] if excluded else [])
    if excluded:
        assert evaluation.findings[0].to_dict() == {
            "rule": "car",
            "kind": "exclusion",
            "message": "Keluarga memiliki mobil.",
            "fields": ["assets.car"],
            "source": SOURCE,
        }


def test_a_motorcycle_is_not_a_car():
    doc = household()
    doc["assets"]["motorcycle"] = True
    assert evaluate(doc).proposable


@pytest.mark.parametrize(
    ("njop", "excluded"),
    [
        (None, False),  # unknown NJOP is not an exclusion
        (0, False),
        (999_999_999, False),
        (1_000_000_000, False),  # exactly Rp 1 miliar: not above
        (1_000_000_001, True),
        (5_000_000_000, True),
    ],
)
def test_njop_strictly_above_one_billion(njop, excluded):
    doc = household()
    doc["assets"]["land_building_njop_idr"] = njop
    evaluation = evaluate(doc)
    assert evaluation.exclusions == (["njop_over_1b"] if excluded else [])
    if excluded:
        [finding] = evaluation.of_kind("exclusion")
        assert "Rp 1.000.000.000" in finding.message
        assert finding.fields == ("assets.land_building_njop_idr",)


@pytest.mark.parametrize("water", [None, *range(2, 12)])
def test_drinking_water_other_than_branded_bottled_is_fine(water):
    doc = household()
    doc["housing"]["drinking_water"] = water  # 2 = air isi ulang (refill)
    assert evaluate(doc).proposable


def test_branded_bottled_water_excludes():
    doc = household()
    doc["housing"]["drinking_water"] = 1
    evaluation = evaluate(doc)
    assert evaluation.exclusions == ["bottled_water"]
    [finding] = evaluation.of_kind("exclusion")
    assert "air kemasan bermerk" in finding.message
    assert finding.fields == ("housing.drinking_water",)


@pytest.mark.parametrize(
    ("decision", "excluded"), [(None, False), ("eligible", False), ("not_poor", True)]
)
def test_musyawarah_judged_not_poor(decision, excluded):
    doc = household()
    doc["musyawarah"]["decision"] = decision
    evaluation = evaluate(doc)
    assert evaluation.exclusions == (["judged_not_poor"] if excluded else [])
    if excluded:
        assert "Musyawarah kelurahan" in evaluation.findings[0].message
        assert evaluation.findings[0].fields == ("musyawarah.decision",)


def test_every_exclusion_at_once_in_contract_order_and_errors_do_not_hide_them():
    doc = household(head(nik="123"), son(public_post="dpr"))  # an error too
    doc["assets"].update(car=True, land_building_njop_idr=2_000_000_000)
    doc["housing"]["drinking_water"] = 1
    doc["musyawarah"]["decision"] = "not_poor"
    evaluation = evaluate(doc)
    assert evaluation.exclusions == [
        "public_post",
        "car",
        "njop_over_1b",
        "bottled_water",
        "judged_not_poor",
    ]
    assert not evaluation.proposable and evaluation.has_errors
    assert all(f.source == SOURCE for f in evaluation.of_kind("exclusion"))


def test_exclusions_do_not_depend_on_the_members_being_complete():
    doc = new_household("31.74.01.1001")  # no members, no No. KK
    doc["assets"]["car"] = True
    assert evaluate(doc).exclusions == ["car"]
