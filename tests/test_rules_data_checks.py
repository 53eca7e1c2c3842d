"""Data checks: NIK and No. KK, family structure, ages; errors block a final save, warnings not."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.households import REGIONS, TODAY, head, household

from app import rules
from app.core.document import new_member


def member(nik, birth, relationship, sex=1, name=None):
    return new_member(nik=nik, name=name, sex=sex, birth_date=birth, relationship=relationship)


def evaluate(doc, regions=REGIONS):
    return rules.evaluate(doc, today=TODAY, regions=regions)


def found(doc, kind, regions=REGIONS):
    return {f.rule: f for f in evaluate(doc, regions).findings if f.kind == kind}


def test_a_complete_household_has_no_errors_or_warnings():
    evaluation = evaluate(household())
    assert not evaluation.has_errors
    assert evaluation.of_kind("error") == [] and evaluation.of_kind("warning") == []


@pytest.mark.parametrize(
    ("nik", "rule", "says"),
    [
        ("317401670580000", "nik_format", "16 digit"),  # 15 digits
        ("31740167058000041", "nik_format", "16 digit"),  # 17 digits
        ("3174 0167 0580 0004", "nik_format", "16 digit"),
        ("31740167058A0004", "nik_format", "16 digit"),
        ("3174011203050001\n", "nik_format", "16 digit"),  # trailing newline
        ("٣١٧٤٠١٦٧٠٥٨٠٠٠٠٤", "nik_format", "16 digit"),  # Arabic-Indic digits
        ("3174010005800004", "nik_date", "tanggal lahir yang tidak mungkin"),  # day 00
        ("3174013205800004", "nik_date", "tanggal lahir yang tidak mungkin"),  # day 32
        ("3174014005800004", "nik_date", "tanggal lahir yang tidak mungkin"),  # day 40
        ("3174017205800004", "nik_date", "tanggal lahir yang tidak mungkin"),  # day 72
        ("3174011500800004", "nik_date", "tanggal lahir yang tidak mungkin"),  # month 00
        ("3174011513800004", "nik_date", "tanggal lahir yang tidak mungkin"),  # month 13
        ("3174013104800004", "nik_date", "tanggal lahir yang tidak mungkin"),  # 31 April
        ("3174017104800004", "nik_date", "tanggal lahir yang tidak mungkin"),  # 31 April, woman
        ("3174012902010004", "nik_date", "tanggal lahir yang tidak mungkin"),  # 2001: not leap
        ("3174016902230004", "nik_date", "tanggal lahir yang tidak mungkin"),  # 29+40, 2023
        ("3174016705800000", "nik_serial", "nomor urut 0000"),
        ("9974016705800004", "nik_province", "kode provinsi 99 yang tidak ada"),
        ("0074016705800004", "nik_province", "kode provinsi 00 yang tidak ada"),
    ],
)
def test_nik_errors_name_the_member_and_point_at_the_field(nik, rule, says):
    doc = household(head(), member(nik, "2005-03-12", 3, name="Rizky"))
    errors = [f for f in evaluate(doc).findings if f.kind == "error"]
    assert [f.rule for f in errors] == [rule]
    assert errors[0].message.startswith("NIK Rizky ") and says in errors[0].message
    assert errors[0].fields == ("members[1].nik",)


@pytest.mark.parametrize("nik", ["", None, "  "])
def test_a_nik_not_given_is_reported_once_as_missing(nik):
    doc = household(head(), member("3174011203050001", "2005-03-12", 3, name="Rizky"))
    doc["members"][1]["nik"] = nik
    errors = [f.to_dict() for f in evaluate(doc).of_kind("error")]
    assert [(e["rule"], e["message"], e["fields"]) for e in errors] == [
        ("answer_missing", "Anggota 2: NIK belum diisi", ["members[1].nik"])
    ]


@pytest.mark.parametrize(
    ("nik", "sex", "birth"),
    [
        ("3174014101800004", 2, "1980-01-01"),  # day 41: a woman born on the 1st
        ("3174017101800004", 2, "1980-01-31"),  # day 71: on the 31st
        ("3174010101800004", 1, "1980-01-01"),  # day 01, a man
        ("3174013101800004", 1, "1980-01-31"),  # day 31, a man
        ("3174012902000004", 1, "2000-02-29"),  # 2000 is a leap year
        ("3174016902240004", 2, "2024-02-29"),  # so is 2024 (woman: 29 + 40)
        ("3174016705809999", 2, "1980-05-27"),  # serial 9999
        ("3273016705800004", 2, "1980-05-27"),  # Bandung: migrants keep their NIK
        ("3578016705800004", 2, "1980-05-27"),  # Surabaya
        ("9401016705800004", 2, "1980-05-27"),  # Nabire, Papua Tengah (2022)
    ],
)
def test_valid_niks_at_the_edges_give_no_error_or_warning(nik, sex, birth):
    doc = household(head(nik=nik, sex=sex, birth_date=birth))
    assert found(doc, "error") == {}
    assert found(doc, "warning") == {}, found(doc, "warning")


@pytest.mark.parametrize(
    ("nik", "region"),
    [("3174996705800004", "31.74.99"), ("3199016705800004", "31.99.01")],
)
def test_an_unknown_city_or_district_is_a_warning_not_an_error(nik, region):
    doc = household(head(nik=nik))
    assert found(doc, "error") == {}
    warning = found(doc, "warning")["nik_region_unknown"]
    assert region in warning.message and warning.fields == ("members[0].nik",)


def test_without_region_codes_prefixes_are_not_checked():
    doc = household(head(nik="9974996705800004"))
    assert found(doc, "error", regions=None) == {}
    assert found(doc, "warning", regions=None) == {}
    assert "nik_province" in found(doc, "error")


def test_nik_disagreeing_with_birth_date_and_sex_warns_without_blocking():
    doc = household(head(sex=1, birth_date="1981-05-27"))
    warnings = found(doc, "warning")
    assert set(warnings) == {"nik_birth_date_mismatch", "nik_sex_mismatch"}
    date = warnings["nik_birth_date_mismatch"]
    assert "27-05-1981" in date.message and "27-05-1980" in date.message
    assert date.fields == ("members[0].birth_date", "members[0].nik")
    sex = warnings["nik_sex_mismatch"]
    assert "(laki-laki)" in sex.message and "menurut NIK: perempuan" in sex.message
    assert sex.fields[0] == "members[0].sex"
    assert not evaluate(doc).has_errors


def test_an_empty_sex_or_birth_date_is_not_a_mismatch():
    assert found(household(head(sex=None, birth_date=None)), "warning") == {}


@pytest.mark.parametrize(
    ("today", "nik", "born"),
    [
        (TODAY, "3174011203250001", "2025-03-12"),  # '25 is 2025: not in the future
        (TODAY, "3174011212260001", "1926-12-12"),  # '26 December is still to come: 1926
        (TODAY, "3174012211260001", "2026-11-22"),  # born today
        (dt.date(2030, 1, 1), "3174011203270001", "2027-03-12"),  # `today` decides
    ],
)
def test_nik_century_is_the_one_not_putting_the_birth_in_the_future(today, nik, born):
    doc = household(head(), member(nik, born, 5))  # a grandchild
    warnings = {f.rule for f in rules.evaluate(doc, today=today).of_kind("warning")}
    assert "nik_birth_date_mismatch" not in warnings


@pytest.mark.parametrize(
    ("no_kk", "says"),
    [
        (None, "No. KK belum diisi"),
        ("", "No. KK belum diisi"),
        ("317401230415000", "No. KK harus 16 digit angka."),
        ("31740123041500071", "No. KK harus 16 digit angka."),
        ("3174-0123-0415-00", "No. KK harus 16 digit angka."),
    ],
)
def test_no_kk_must_be_16_digits(no_kk, says):
    doc = household()
    doc["no_kk"] = no_kk
    [error] = evaluate(doc).of_kind("error")
    rule = "answer_missing" if not no_kk else "no_kk_format"  # not given: completeness
    assert (error.rule, error.message, error.fields) == (rule, says, ("no_kk",))


def test_no_kk_with_an_unknown_region_only_warns():
    doc = household(no_kk="9999012304150007")
    assert found(doc, "error") == {}
    assert "99.99.01" in found(doc, "warning")["no_kk_region_unknown"].message


def test_no_members_is_an_error():
    doc = household()
    doc["members"] = []
    errors = found(doc, "error")
    assert errors["members_missing"].message == "Belum ada anggota keluarga."
    assert "head_missing" not in errors


def test_no_head_of_family_points_at_every_relationship():
    doc = household(head(relationship=2), member("3174011203050001", "2005-03-12", 3))
    error = found(doc, "error")["head_missing"]
    assert "kepala keluarga" in error.message
    assert error.fields == ("members[0].relationship", "members[1].relationship")


def test_two_heads_of_family():
    doc = household(
        head(),
        member("3174011203050001", "2005-03-12", 2),
        head(nik="3174014101800004", birth_date="1980-01-01"),
    )
    error = found(doc, "error")["head_multiple"]
    assert error.message == "Kepala keluarga hanya boleh satu orang."
    assert error.fields == ("members[0].relationship", "members[2].relationship")


def test_the_same_nik_twice_in_one_household():
    doc = household(
        head(),
        member("3174011203050001", "2005-03-12", 3, name="Rizky"),
        head(relationship=6, name="Siti"),
    )
    error = found(doc, "error")["nik_duplicate_in_household"]
    assert "3174********0004" in error.message and "Nur Hasanah, Siti" in error.message
    assert error.fields == ("members[0].nik", "members[2].nik")


@pytest.mark.parametrize(
    ("members", "warned", "says"),
    [
        ([("3174011203700001", "1970-03-12", 3)], "members[1]", "anak"),  # older than the head
        ([("3174011206750001", "1975-06-12", 3)], "members[1]", "anak"),  # same age (51)
        ([("3174011203050001", "2005-03-12", 3)], None, None),
        ([("3174011203050001", "2005-03-12", 6)], "members[1]", "orang tua"),  # parent of 21
        ([("3174011203500001", "1950-03-12", 6)], None, None),
        # a stepchild older than the young spouse but younger than the head: fine
        (
            [("3174014101950004", "1995-01-01", 2, 2), ("3174011203780001", "1978-03-12", 3)],
            None,
            None,
        ),
        # a child older than both the head and the spouse
        (
            [("3174014101950004", "1995-01-01", 2, 2), ("3174011203700001", "1970-03-12", 3)],
            "members[2]",
            "kepala keluarga maupun pasangannya",
        ),
        # a parent-in-law younger than the head but older than the spouse: fine
        (
            [("3174014101950004", "1995-01-01", 2, 2), ("3174014101700004", "1970-01-01", 6, 2)],
            None,
            None,
        ),
    ],
)
def test_implausible_family_ages_warn(members, warned, says):
    doc = household(
        head(birth_date="1975-05-27", nik="3174016705750004"),
        *(member(m[0], m[1], m[2], sex=m[3] if len(m) > 3 else 1) for m in members),
    )
    warnings = [f for f in evaluate(doc).findings if f.kind == "warning"]
    if warned is None:
        assert warnings == []
    else:
        [warning] = warnings
        assert warning.rule == "age_implausible" and says in warning.message
        assert warning.fields == (f"{warned}.birth_date", f"{warned}.relationship")


@pytest.mark.parametrize(
    ("birth", "says"),
    [("2027-01-01", "masa depan"), ("1900-01-01", "lebih dari 120 tahun")],
)
def test_birth_in_the_future_or_over_120_years_warns(birth, says):
    doc = household(head(nik=None, birth_date=birth))
    warning = found(doc, "warning")["age_implausible"]
    assert says in warning.message and warning.fields == ("members[0].birth_date",)
