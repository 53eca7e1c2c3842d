"""Household documents for the tests: one ordinary head of family, a fixed day, and `complete`,
which fills the answers a final save needs (the schema's `x-core` marks) that a test leaves
empty, so a test builds only what it is about."""

from __future__ import annotations

import datetime as dt
import itertools

from app import rules
from app.core.document import new_household, new_member
from app.paths import resource
from app.rules import completeness, nik
from app.rules.context import HEAD, SPOUSE, iso_date, unanswered

TODAY = dt.date(2026, 11, 22)
REGIONS = rules.load_region_codes(resource("regions", "indonesia_prov_city_district.csv"))
# Ordinary answers of a Tebet Timur household that trigger no exclusion (drinking water is
# tap water, not bottled), for every required household and housing field.
ANSWERS = {
    "no_kk": "3174012304150007",
    "rw": 5,
    "rt": 3,
    "address": "Jl. Tebet Timur Dalam II No. 5",
    "housing.tenure": 1,  # milik sendiri
    "housing.floor": 2,  # keramik
    "housing.wall": 1,  # tembok
    "housing.roof": 2,  # genteng
    "housing.drinking_water": 3,  # leding
    "housing.lighting": 1,  # PLN dengan meteran
    "housing.cooking_fuel": 4,  # elpiji 3 kg
    "housing.toilet": 1,  # sendiri
}
BORN = dt.date(1980, 5, 27)
MOTHERS = ("Siti Rahmah", "Sumiati", "Aminah", "Romlah")
DISTRICT = "31.74.01"  # Tebet
_SERIALS = itertools.count(9000)  # a filled No. KK or NIK differs from every other one filled


def head(**values):
    """Nur Hasanah, head of family, born 27-05-1980, married, with a NIK that agrees."""
    base = {
        "nik": "3174016705800004",
        "name": "Nur Hasanah",
        "sex": 2,
        "birth_date": "1980-05-27",
        "relationship": 1,
        "marital_status": 2,
    }
    return new_member(**{**base, **values})


def household(*members, **values):
    """A complete household in Tebet Timur with a valid No. KK and the given members (default:
    head); a value given as None stays unanswered only if the test empties it afterwards."""
    doc = new_household("31.74.01.1001", **{"no_kk": "3174012304150007", **values})
    doc["members"] = list(members) or [head()]
    return complete(doc)


def complete(doc):
    """`doc` (changed in place and returned) with every answer a final save needs filled where
    it is empty: the household's and housing's from ANSWERS, each member's from what the
    member already has (birth date and sex from the NIK, a NIK from them, the first member
    without a relationship the head when there is none). What is given is kept."""
    for required in completeness.schema_requirements():
        if required.section == "members":
            continue
        path = f"{required.section}.{required.key}" if required.section else required.key
        target = doc[required.section] if required.section else doc
        if unanswered(target.get(required.key)):
            value = ANSWERS[path]
            if path == "no_kk":  # not one shared by every completed household
                value = f"{value[:12]}{next(_SERIALS) % 10000:04d}"
            target[required.key] = value
    for i, member in enumerate(doc["members"]):
        _complete_member(doc, i, member)
    return doc


def _complete_member(doc, i, member):
    known = _nik_info(member.get("nik"))
    if unanswered(member.get("sex")):
        member["sex"] = known.sex if known else (nik.FEMALE if i % 2 == 0 else nik.MALE)
    if unanswered(member.get("birth_date")):
        born = known.birth_date if known else BORN.replace(year=BORN.year + 25 * min(i, 1))
        member["birth_date"] = born.isoformat()
    if unanswered(member.get("nik")):
        born = iso_date(member["birth_date"]) or BORN
        member["nik"] = nik.build(DISTRICT, born, member["sex"], next(_SERIALS) % 9999 + 1)
    if unanswered(member.get("name")):
        member["name"] = f"Anggota {i + 1}"
    if unanswered(member.get("relationship")):
        has_head = any(m.get("relationship") == HEAD for m in doc["members"])
        member["relationship"] = 3 if has_head else HEAD  # a child, else the head
    if unanswered(member.get("marital_status")):
        member["marital_status"] = 2 if member["relationship"] in (HEAD, SPOUSE) else 1
    if unanswered(member.get("mother_name")) and member["relationship"] in (HEAD, SPOUSE):
        member["mother_name"] = MOTHERS[i % len(MOTHERS)]  # schema v2: the head's and spouse's
    missing = [r.key for r in completeness.schema_requirements() if r.section == "members"
               and (not isinstance(r, completeness.MemberRequirement) or r.applies(member))
               and unanswered(member.get(r.key))]  # fmt: skip
    assert not missing, f"complete() does not know how to fill members' {missing}"


def _nik_info(value):
    try:
        return nik.parse(value, today=TODAY) if isinstance(value, str) else None
    except nik.NikError:
        return None
