"""The rules package as the service layer uses it: rule sets, findings, regions, duplicates,
and its purity (no Qt, no database, nothing from the app outside app.rules)."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from app import rules
from app.core.document import new_household, new_member
from app.rules.findings import Evaluation, Finding

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)


def household():
    doc = new_household("31.74.01.1001", no_kk="3174012304150007")
    doc["members"] = [
        new_member(
            nik="3174016705800004",
            name="Nur Hasanah",
            sex=2,
            birth_date="1980-05-27",
            relationship=1,
        ),
        new_member(
            nik="3174011203050001", name="Rizky", sex=1, birth_date="2005-03-12", relationship=3
        ),
    ]
    return doc


def test_the_default_rule_set_is_fmotm_dki_2021_and_selectable_by_id():
    assert rules.DEFAULT_RULE_SET == "fmotm-dki-2021"
    assert "fmotm-dki-2021" in rules.RULE_SETS
    assert rules.evaluate(household(), today=TODAY).rule_set == "fmotm-dki-2021"
    assert rules.evaluate(household(), "fmotm-dki-2021", today=TODAY).rule_set == "fmotm-dki-2021"


def test_an_unknown_rule_set_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="unknown rule set 'fmotm-2099'; known: fmotm-dki-2021"):
        rules.evaluate(household(), "fmotm-2099")


def test_a_new_rule_set_is_an_entry_of_data_and_small_functions(monkeypatch):
    def motorcycle(doc, ctx):
        if doc["assets"].get("motorcycle"):
            yield Finding(
                "motorcycle",
                "exclusion",
                "Keluarga memiliki sepeda motor.",
                ("assets.motorcycle",),
                "Aturan uji",
            )

    base = rules.RULE_SETS["fmotm-dki-2021"]
    test_set = rules.RuleSet("test-2099", "Uji", (*base.checks, motorcycle))
    monkeypatch.setitem(rules.RULE_SETS, "test-2099", test_set)
    doc = household()
    doc["assets"]["motorcycle"] = True
    assert rules.evaluate(doc, today=TODAY).proposable
    evaluation = rules.evaluate(doc, "test-2099", today=TODAY)
    assert (evaluation.rule_set, evaluation.exclusions) == ("test-2099", ["motorcycle"])


def test_finding_is_frozen_and_its_dict_has_exactly_the_contract_keys():
    finding = Finding(
        "nik_registered_elsewhere",
        "warning",
        "Pesan",
        ("members[0].nik",),
        "Sumber",
        link="other-household",
    )
    assert finding.to_dict() == {
        "rule": "nik_registered_elsewhere",
        "kind": "warning",
        "message": "Pesan",
        "fields": ["members[0].nik"],
        "source": "Sumber",
    }
    assert finding.link == "other-household"
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "error"  # type: ignore[misc]


def test_evaluation_properties():
    def f(rule, kind):
        return Finding(rule, kind, "m", ("x",), "s")

    evaluation = Evaluation(
        "fmotm-dki-2021",
        [
            f("car", "exclusion"),
            f("nik_format", "error"),
            f("public_post", "exclusion"),
            f("car", "exclusion"),
        ],
    )
    assert evaluation.exclusions == ["car", "public_post"]
    assert not evaluation.proposable and evaluation.has_errors
    only_warnings = Evaluation("fmotm-dki-2021", [f("nik_sex_mismatch", "warning")])
    assert only_warnings.proposable and not only_warnings.has_errors
    more = only_warnings.with_findings([f("car", "exclusion")])
    assert more.exclusions == ["car"] and only_warnings.proposable
    assert isinstance(rules.evaluate(household(), today=TODAY).findings, list)


def test_today_defaults_to_the_real_date():
    doc = household()
    doc["members"][1]["birth_date"] = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    doc["members"][1]["nik"] = None
    assert "age_implausible" in {f.rule for f in rules.evaluate(doc).findings}


def test_duplicates_name_and_link_the_other_household():
    doc = household()
    found = rules.duplicate_findings(
        doc,
        {
            "3174011203050001": [
                ("0192a1b2-0000-7000-8000-00000000abcd", "Rizky Pratama"),
                ("0192a1b2-0000-7000-8000-0000000000ef", None),
            ]
        },
        ["0192a1b2-0000-7000-8000-000000001234"],
    )
    assert [(f.rule, f.kind, f.fields, f.link) for f in found] == [
        (
            "nik_registered_elsewhere",
            "warning",
            ("members[1].nik",),
            "0192a1b2-0000-7000-8000-00000000abcd",
        ),
        (
            "nik_registered_elsewhere",
            "warning",
            ("members[1].nik",),
            "0192a1b2-0000-7000-8000-0000000000ef",
        ),
        (
            "no_kk_registered_elsewhere",
            "warning",
            ("no_kk",),
            "0192a1b2-0000-7000-8000-000000001234",
        ),
    ]
    assert found[0].message == (
        "NIK 3174********0001 sudah terdaftar di keluarga lain atas nama Rizky Pratama "
        "(ID …0000abcd). Buka keluarga itu untuk memeriksa."
    )
    assert "atas nama" not in found[1].message and "…000000ef" in found[1].message
    assert "No. KK 3174********0007" in found[2].message and "…00001234" in found[2].message
    assert "link" not in found[0].to_dict()


def test_no_duplicates_without_holders_or_values():
    doc = household()
    assert rules.duplicate_findings(doc, {}, []) == []
    doc["members"][0]["nik"] = None
    doc["no_kk"] = None
    assert rules.duplicate_findings(doc, {"": [("x", "y")]}, ["kk-id"]) == []


def test_region_codes_load_from_a_csv(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(
        "code,level,name,parent_code\n31,province,DKI Jakarta,\n31.74,city,Jakarta Selatan,31\n"
        "31.74.01,district,Tebet,31.74\n31.74.01.1001,village,Tebet Timur,31.74.01\n",
        encoding="utf-8",
    )
    codes = rules.load_region_codes(path)
    assert codes == rules.RegionCodes(
        frozenset({"31"}), frozenset({"31.74"}), frozenset({"31.74.01"})
    )


def test_the_shipped_region_file_has_all_of_indonesia():
    codes = rules.load_region_codes(ROOT / "resources/regions/indonesia_prov_city_district.csv")
    assert (len(codes.provinces), len(codes.cities), len(codes.districts)) == (38, 514, 7285)
    assert {"31", "32", "94"} <= codes.provinces and "31.74.01" in codes.districts


FORBIDDEN = ("PySide6", "PyQt", "peewee", "sqlite3", "sqlite_utils", "app.paths", "app.db")


def test_the_rules_package_is_pure():
    for path in sorted((ROOT / "app/rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
                if name.startswith("app"):
                    assert name == "app.rules" or name.startswith("app.rules."), (path, name)
