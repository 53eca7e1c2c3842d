"""Demo NIKs and No. KK are unique across kelurahan, as real ones are unique in the country:
two demo runs must not make possible-duplicate pairs that real data would not have (issue 20,
~4 false pairs per household at Dinsos when every run counted serials from 0001)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.demo.tables import ELSEWHERE_DEPTH, SERIALS, _jakarta_villages, _Serials
from app.rules import nik
from app.services.demo import generate

TODAY = dt.date(2026, 11, 22)
NEIGHBOURS = ("31.74.01.1001", "31.74.01.1002", "31.74.01.1003")  # one kecamatan (Tebet)
ELSEWHERE = "31.71.01.1001"  # another kota


def run(village: str, seed: int, count: int = 600) -> tuple[set[str], set[str]]:
    docs = list(generate(count, seed=seed, village_code=village, today=TODAY))
    niks = [m["nik"] for d in docs for m in d["members"]]
    kks = [d["no_kk"] for d in docs]
    for member in (m for d in docs for m in d["members"]):
        info = nik.parse(member["nik"], today=TODAY)  # still a valid NIK: date, sex, serial
        assert (info.birth_date.isoformat(), info.sex) == (member["birth_date"], member["sex"])
    assert len(set(niks)) == len(niks) and len(set(kks)) == len(kks)  # unique in the run
    return set(niks), set(kks)


def test_two_kelurahan_of_one_kecamatan_and_another_share_no_nik_or_no_kk():
    runs = [run(village, seed) for seed, village in enumerate((*NEIGHBOURS, ELSEWHERE), 1)]
    for i, (niks, kks) in enumerate(runs):
        for other_niks, other_kks in runs[i + 1 :]:
            assert niks.isdisjoint(other_niks)
            assert kks.isdisjoint(other_kks)
    # the same key (kecamatan, birth date, sex) does occur in both neighbours: the serials,
    # not luck, keep them apart
    keys = [{n[:12] for n in niks} for niks, _ in runs[:2]]
    assert len(keys[0] & keys[1]) > 20


def test_every_kelurahan_of_jakarta_has_its_own_serials_in_every_key():
    by_district = _jakarta_villages()
    plans = {code: _Serials(code) for codes in by_district.values() for code in codes}
    assert len(plans) == 267
    elsewhere: dict[int, str] = {}
    for code, plan in plans.items():  # a NIK from another kecamatan: any kelurahan may issue
        for k in range(ELSEWHERE_DEPTH):
            serial = plan.nik(False, k)
            assert serial >= 1 and elsewhere.setdefault(serial, code) == code
    for codes in by_district.values():  # own kecamatan: only its kelurahan share the key
        owner: dict[tuple[str, int], str] = {}
        for code in codes:
            plan = plans[code]
            for k in range(600):
                serial = plan.nik(True, k)
                assert serial not in elsewhere and serial <= SERIALS
                assert owner.setdefault(("nik", serial), code) == code
            for k in range(900):
                assert owner.setdefault(("kk", plan.no_kk(k)), code) == code


def test_a_run_too_large_for_the_serials_is_refused_not_repeated():
    plan = _Serials(NEIGHBOURS[0])
    with pytest.raises(ValueError, match="another kecamatan"):
        plan.nik(False, ELSEWHERE_DEPTH)
    with pytest.raises(ValueError, match="no serial left"):
        plan.nik(True, SERIALS)
