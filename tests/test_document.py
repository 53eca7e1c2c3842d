"""The household document contract (DESIGN §3): what the schema accepts and refuses."""

from __future__ import annotations

import copy
import re

import pytest

from app.core import codes, document
from app.core.document import SCHEMA_VERSION, DocumentError

VILLAGE = "31.74.01.1001"


@pytest.fixture
def doc():
    household = document.new_household(VILLAGE, no_kk="3174010101260001", rw=3, rt=7)
    household["members"] = [
        document.new_member(nik="3174015708850003", name="Dewi Lestari", sex=2, relationship=1),
        document.new_member(name="Budi", sex=1, relationship=3),
    ]
    return document.validate(household)


def changed(doc, path, value):
    """A copy of `doc` with the value at `path` (keys and list indexes) replaced."""
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def test_new_household_and_member_are_valid():
    household = document.new_household(VILLAGE)
    household["members"].append(document.new_member())
    assert document.validate(household) is household
    assert household["schema_version"] == SCHEMA_VERSION
    assert household["status"] == "draft"
    assert household["household_id"] != household["members"][0]["member_id"]


def test_new_household_takes_values(doc):
    assert doc["no_kk"] == "3174010101260001"
    assert doc["members"][0]["name"] == "Dewi Lestari"
    assert set(doc["housing"]) == {
        "tenure", "floor_area_m2", "floor", "wall", "roof", "drinking_water", "lighting",
        "power_va", "cooking_fuel", "toilet", "sewage",
    }  # fmt: skip
    assert doc["assets"]["car"] is False
    assert doc["assets"]["land_building_njop_idr"] is None


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("members", 0, "sex"), 3, "data.members[0].sex: 3 is not one of"),
        (("housing", "drinking_water"), 99, "data.housing.drinking_water: 99 is not one of"),
        (("housing", "power_va"), [450, 1000], "data.housing.power_va[1]: 1000 is not one of"),
        (("members", 1, "public_post"), "mayor", 'public_post: "mayor" is not one of'),
        (("status",), "approved", 'data.status: "approved" is not one of'),
        (("musyawarah", "decision"), "poor", 'data.musyawarah.decision: "poor" is not one of'),
        (("village_code",), "3174011001", 'data.village_code: "3174011001" does not match'),
        (("village_code",), "31.74.01.10011", 'village_code: "31.74.01.10011" does not match'),
        (("household_id",), "not-a-uuid", 'data.household_id: "not-a-uuid" does not match'),
        (("members", 0, "member_id"), "1234", 'data.members[0].member_id: "1234" does not match'),
        (("members", 0, "birth_date"), "17-08-1985", 'birth_date: "17-08-1985" does not match'),
        (("rw",), "03", 'data.rw: "03" is not of types "null", "integer"'),
        (("rt",), 1000, "data.rt: 1000 is greater than the maximum of 999"),
        (("housing", "floor_area_m2"), 0, "floor_area_m2: 0 is less than the minimum of 1"),
        (("assets", "land_building_njop_idr"), -1, "njop_idr: -1 is less than the minimum of 0"),
        (("assets", "land_building_njop_idr"), "1000000", 'njop_idr: "1000000" is not of types'),
        (("assets", "car"), 1, 'data.assets.car: 1 is not of type "boolean"'),
        (("members", 0, "pregnant"), None, 'pregnant: null is not of type "boolean"'),
        (("members",), {}, 'data.members: {} is not of type "array"'),
        (("deleted",), "false", 'data.deleted: "false" is not of type "boolean"'),
    ],
)
def test_schema_rejects_bad_values_with_readable_messages(doc, path, value, message):
    with pytest.raises(DocumentError) as err:
        document.validate(changed(doc, path, value))
    assert str(err.value).startswith("invalid household document: ")
    assert message in str(err.value)


@pytest.mark.parametrize(
    "path",
    [
        ("members", 0, "sex"),
        ("members", 0, "relationship"),
        ("housing", "drinking_water"),
        ("housing", "tenure"),
        ("rw",),
        ("assets", "land_building_njop_idr"),
    ],
)
@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_codes(doc, path, value):
    # In Python True == 1, so an enum check alone would let `true` pass as code 1.
    with pytest.raises(DocumentError, match='is not of types "null", "integer"'):
        document.validate(changed(doc, path, value))


def test_boolean_is_not_a_power_capacity(doc):
    with pytest.raises(DocumentError, match=r'power_va\[0\]: true is not of type "integer"'):
        document.validate(changed(doc, ("housing", "power_va"), [True]))


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ((), "data: Additional properties are not allowed ('nickname'"),
        (("housing",), "data.housing: Additional properties are not allowed ('nickname'"),
        (("assets",), "data.assets: Additional properties are not allowed ('nickname'"),
        (("members", 0), "data.members[0]: Additional properties are not allowed ('nickname'"),
        (("musyawarah",), "data.musyawarah: Additional properties are not allowed ('nickname'"),
    ],
)
def test_extra_keys_are_refused(doc, where, message):
    doc = copy.deepcopy(doc)
    target = doc
    for key in where:
        target = target[key]
    target["nickname"] = "x"
    with pytest.raises(DocumentError, match=re.escape(message)):
        document.validate(doc)


@pytest.mark.parametrize("key", ["no_kk", "members", "status", "rev"])
def test_missing_keys_are_refused(doc, key):
    del doc[key]
    with pytest.raises(DocumentError, match=f'"{key}" is a required property'):
        document.validate(doc)


def test_missing_member_key_is_refused(doc):
    del doc["members"][1]["pregnant"]
    with pytest.raises(DocumentError, match=r'members\[1\]: "pregnant" is a required'):
        document.validate(doc)


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 99])
def test_newer_schema_version_is_refused_with_a_clear_message(doc, version):
    doc["schema_version"] = version
    doc["future_field"] = {"anything": True}  # what a newer version might add
    with pytest.raises(DocumentError) as err:
        document.validate(doc)
    assert f"schema_version {version}" in str(err.value)
    assert "Please update the application" in str(err.value)


@pytest.mark.parametrize("version", [0, "1", True, None, 1.5])
def test_bad_schema_version_is_refused(doc, version):
    doc["schema_version"] = version
    with pytest.raises(DocumentError, match="schema_version"):
        document.validate(doc)


@pytest.mark.parametrize("value", [[], "household", 1, None])
def test_non_object_is_refused(value):
    with pytest.raises(DocumentError, match="expected a JSON object"):
        document.validate(value)


def test_parse_and_dumps_round_trip(doc):
    doc["members"][0]["name"] = 'Siti "Ani" Nur\'aini — Ñoño 李'
    doc["assets"]["land_building_njop_idr"] = 9_000_000_000_000_000_000
    text = document.dumps(doc, pretty=True)
    assert "李".encode() in text  # UTF-8, not \u escapes
    assert document.parse(text) == doc
    assert document.parse(text.decode()) == doc


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"schema_version": 1}', "invalid household document"),
    ],
)
def test_parse_refuses_what_is_not_a_document(data, message):
    with pytest.raises(DocumentError, match=message):
        document.parse(data)


def test_every_coded_choice_is_valid(doc):
    """Each code the UI offers (app.core.codes, read from the schema) passes validation."""
    coded = {
        "housing": ["tenure", "floor", "wall", "roof", "drinking_water", "lighting",
                    "cooking_fuel", "toilet", "sewage"],
        "members": ["sex", "relationship", "marital_status", "school_participation",
                    "education_level", "employment_position", "public_post", "disability",
                    "chronic_illness"],
    }  # fmt: skip
    for section, fields in coded.items():
        for field in fields:
            options = codes.choices(section, field)
            assert options, (section, field)
            for code, label in options:
                assert label
                path = ("members", 0, field) if section == "members" else (section, field)
                document.validate(changed(doc, path, code))
    assert codes.label("housing", "drinking_water", 1) == "Air kemasan bermerk"
