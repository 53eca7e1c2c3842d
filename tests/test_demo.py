"""Demo data: valid, realistic, deterministic, and usable through the app's own paths."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid

import pytest
from conftest import ADMIN_OFFICER
from helpers.households import complete

from app.core.document import new_member, validate
from app.core.errors import UserError
from app.db import audit, listing
from app.db import audit as audit_log
from app.demo.tables import JAKARTA_STREETS
from app.rules import nik
from app.services import checks, households, installation
from app.services.demo import generate, load_demo

TODAY = dt.date(2026, 11, 22)
VILLAGE = "31.74.01.1001"
HEAD, SPOUSE, CHILD, GRANDCHILD = 1, 2, 3, 5
EXCLUSION_IDS = {"public_post", "car", "njop_over_1b", "bottled_water"}


@pytest.fixture(scope="module")
def docs():
    return list(generate(400, seed=7, village_code=VILLAGE, today=TODAY))


def members(docs):
    return [m for d in docs for m in d["members"]]


def born(member) -> dt.date:
    return dt.date.fromisoformat(member["birth_date"])


def age(member) -> int:
    return (TODAY - born(member)).days // 365


def test_every_document_is_valid(docs):
    for doc in docs:
        validate(doc)


def test_niks_agree_with_birth_date_and_sex_and_are_unique(docs):
    everyone = members(docs)
    for member in everyone:
        info = nik.parse(member["nik"], today=TODAY)
        assert info.birth_date == born(member)
        assert info.sex == member["sex"]
    niks = [m["nik"] for m in everyone]
    assert len(set(niks)) == len(niks)
    migrants = sum(not n.startswith("31") for n in niks) / len(niks)
    assert 0.05 < migrants < 0.2  # about 10% issued in another province


def test_final_households_pass_the_apps_checks_and_carry_their_exclusions(docs):
    finals = [d for d in docs if d["status"] != "draft"]
    for doc in finals:
        evaluation = checks.evaluate(doc, TODAY)
        assert [f.rule for f in evaluation.findings if f.kind in ("error", "warning")] == []
        assert doc["exclusions"] == evaluation.exclusions
        assert doc["status"] == ("excluded" if doc["exclusions"] else "registered")
    excluded = [d for d in finals if d["exclusions"]]
    assert 0.02 < len(excluded) / len(docs) < 0.1
    criteria = {e for d in excluded for e in d["exclusions"]}
    assert criteria <= EXCLUSION_IDS and len(criteria) >= 3  # the demo exercises the rules


def test_some_households_are_drafts_without_number(docs):
    drafts = [d for d in docs if d["status"] == "draft"]
    assert 0.02 < len(drafts) / len(docs) < 0.1
    assert all(d["registration_number"] is None and d["exclusions"] == [] for d in drafts)


def test_families_are_plausible(docs):
    sizes = [len(d["members"]) for d in docs]
    assert min(sizes) >= 1 and max(sizes) <= 8
    assert 3.3 < statistics.mean(sizes) < 4.7
    for doc in docs:
        heads = [m for m in doc["members"] if m["relationship"] == HEAD]
        assert len(heads) == 1 and doc["members"][0] is heads[0]
        parents = [m for m in doc["members"] if m["relationship"] in (HEAD, SPOUSE)]
        for child in (m for m in doc["members"] if m["relationship"] == CHILD):
            assert all(age(p) - age(child) >= 18 for p in parents)
    for member in members(docs):
        if member["school_participation"] == 2:  # still in school
            assert 5 <= age(member) <= 25
        if age(member) < 15:
            assert member["employment_position"] is None and member["marital_status"] == 1
        if member["pregnant"]:
            assert member["sex"] == 2 and 18 <= age(member) <= 43
        if member["public_post"] != "none":
            assert 21 <= age(member) <= 58


def test_kk_numbers_and_addresses_look_like_jakarta(docs):
    numbers = [d["no_kk"] for d in docs]
    assert len(set(numbers)) == len(numbers)
    for doc in docs:
        kk = doc["no_kk"]
        assert len(kk) == 16 and kk.isdigit() and kk.startswith("317401")
        issued = dt.datetime.strptime(kk[6:12], "%d%m%y").date()
        assert max(born(m) for m in doc["members"]) <= issued <= TODAY
        assert 1 <= doc["rw"] <= 15 and 1 <= doc["rt"] <= 20
        assert doc["address"].startswith("Jl. ") and " No. " in doc["address"]
        street = doc["address"].removeprefix("Jl. ").split(" No. ")[0]
        assert street in JAKARTA_STREETS  # Jakarta's streets, not Bandung's
        assert doc["phone"] is None or (doc["phone"].startswith("08") and len(doc["phone"]) >= 11)


def test_ids_are_uuid7_ascending_with_the_creation_time(docs):
    ids = []
    for doc in docs:
        created = dt.datetime.fromisoformat(doc["created_at"])
        household = uuid.UUID(doc["household_id"])
        assert household.version == 7
        assert household.int >> 80 == int(created.timestamp() * 1000)
        ids += [doc["household_id"], *(m["member_id"] for m in doc["members"])]
    assert ids == sorted(ids)


def test_same_seed_same_documents():
    def run(seed):
        return list(generate(30, seed=seed, village_code=VILLAGE, today=TODAY))

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_load_demo_fills_the_store_for_the_apps_paths(empty_store):
    summary = load_demo(200, seed=1, officer=ADMIN_OFFICER)
    assert installation.village_code() == VILLAGE  # chosen because none was set
    assert summary["village_code"] == VILLAGE
    assert summary["households"] == 200 == households.household_count()
    assert summary["registered"] + summary["excluded"] + summary["drafts"] == 200
    rows = households.household_page(limit=500)
    assert summary["members"] == sum(r.member_count for r in rows)
    numbers = sorted(r.registration_number for r in rows if r.registration_number)
    finals = summary["registered"] + summary["excluded"]
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, finals + 1))

    household = households.load_household(rows[0].id)
    someone = household["members"][-1]
    assert [r.id for r in households.search_households(someone["nik"])] == [
        household["household_id"]
    ]
    assert listing.members_with_nik(someone["nik"])[0].name == someone["name"]
    fragment = someone["name"][1:5]
    assert household["household_id"] in {r.id for r in households.search_households(fragment)}

    assert [e.action for e in audit.entries()][-1] == "demo.load"
    assert audit_log.verify() == (4, None)  # set-up and the kelurahan wrote 3


def test_registration_numbers_continue_after_the_demo(empty_store):
    first = load_demo(50, seed=1, officer=ADMIN_OFFICER)
    second = load_demo(50, seed=2, officer=ADMIN_OFFICER)
    finals = sum(s["registered"] + s["excluded"] for s in (first, second))

    doc = households.new_household()
    doc["no_kk"] = "3174010101260077"
    doc["members"] = [new_member(nik="3174015708850077", name="Dewi", relationship=1)]
    saved = households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)
    assert saved["registration_number"].endswith(f"-{finals + 1:06d}")


def test_loading_the_same_demo_twice_is_refused_with_nothing_written(empty_store):
    load_demo(20, seed=5, officer=ADMIN_OFFICER)
    with pytest.raises(UserError, match="seed"):
        load_demo(20, seed=5, officer=ADMIN_OFFICER)
    assert households.household_count() == 20
