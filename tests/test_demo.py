"""Demo data: valid, realistic, deterministic, and usable through the app's own paths."""

from __future__ import annotations

import datetime as dt

from app import services
from app.db import listing
from app.demo import generate, load_demo
from app.document import new_member, validate
from app.rules import nik

TODAY = dt.date(2026, 11, 22)


def strip_ids(doc):
    """Content without the clock-made ids, to compare two runs."""
    members = [{k: v for k, v in m.items() if k != "member_id"} for m in doc["members"]]
    return {**{k: v for k, v in doc.items() if k != "household_id"}, "members": members}


def test_generated_households_are_valid_and_consistent():
    docs = list(generate(300, seed=7, village_code="31.74.01.1001", today=TODAY))
    niks = [m["nik"] for d in docs for m in d["members"]]
    assert len(niks) == len(set(niks)), "NIKs must be unique"
    migrants = 0
    for doc in docs:
        validate(doc)
        heads = [m for m in doc["members"] if m["relationship"] == 1]
        assert len(heads) == 1
        for member in doc["members"]:
            info = nik.parse(member["nik"], today=TODAY)
            assert info.birth_date.isoformat() == member["birth_date"]
            assert info.sex == member["sex"]
            migrants += info.district != "31.74.01"
            if member["relationship"] == 3:
                assert member["birth_date"] > heads[0]["birth_date"]  # children younger
        assert doc["no_kk"].startswith("317401") and len(doc["no_kk"]) == 16
    assert 0.03 < migrants / len(niks) < 0.2
    statuses = {d["status"] for d in docs}
    assert {"registered", "excluded", "draft"} <= statuses
    excluded = [d for d in docs if d["status"] == "excluded"]
    assert all(d["exclusions"] for d in excluded)


def test_same_seed_same_content():
    first = [strip_ids(d) for d in generate(20, seed=3, village_code="31.74.01.1001", today=TODAY)]
    again = [strip_ids(d) for d in generate(20, seed=3, village_code="31.74.01.1001", today=TODAY)]
    other = [strip_ids(d) for d in generate(20, seed=4, village_code="31.74.01.1001", today=TODAY)]
    assert first == again
    assert first != other


def test_load_demo_fills_the_store_and_numbering_continues(empty_store):
    summary = load_demo(200, seed=1)
    assert services.village_code() == "31.74.01.1001"  # chosen because none was set
    assert summary["households"] == 200 == services.household_count()
    assert summary["registered"] + summary["excluded"] + summary["drafts"] == 200
    rows = services.household_page(limit=500)
    numbers = sorted(r.registration_number for r in rows if r.registration_number)
    assert len(numbers) == summary["registered"] + summary["excluded"]
    assert len(set(numbers)) == len(numbers)

    someone = services.load_household(rows[0].id)["members"][0]
    assert [r.id for r in services.search_households(someone["nik"])] == [rows[0].id]
    fragment = someone["name"].split()[0][:4]
    assert rows[0].id in {r.id for r in services.search_households(fragment)}
    assert listing.members_with_nik(someone["nik"])[0].name == someone["name"]

    doc = services.new_household()
    doc["no_kk"] = "3174010101260077"
    doc["members"] = [new_member(nik="3174015708850077", name="Dewi", relationship=1)]
    saved = services.save_household(doc, final=True)
    last = max(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert saved["registration_number"].endswith(f"-{last + 1:06d}")
