"""Storage (app/db): lossless round trip, updates, search, paging, registration numbers, drafts.

Every test runs on a real SQLite file (conftest `store`); nothing of our storage is mocked.
"""

from __future__ import annotations

import re
import uuid

import orjson
import pytest
from conftest import ADMIN_OFFICER
from helpers.households import complete
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import codes, document
from app.db import drafts, households, listing, registration
from app.db.connection import database
from app.db.models import Member
from app.services import households as hh_service
from app.services import installation

TEST_VILLAGE = "31.74.01.1001"  # the `store` fixture's kelurahan

HYPOTHESIS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def canonical(doc) -> bytes:
    """JSON with sorted keys: unlike ==, it tells False from 0 and 1.0 from 1."""
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


# --- generated households ---------------------------------------------------------------


def coded(section: str, field: str, nullable: bool = True):
    """A valid code for the field, taken from the schema's enum (app.core.codes)."""
    values = st.sampled_from([code for code, _ in codes.choices(section, field)])
    return st.none() | values if nullable else values


def maybe(strategy):
    return st.none() | strategy


TRICKY_NAMES = ["Ma'ruf Amin", 'Siti "Ani" Nurhaliza', "O'Neil \\ %_", "Nur'aini — Ñoño", "李"]
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
names = st.sampled_from(TRICKY_NAMES) | texts
digits = st.text("0123456789", min_size=16, max_size=16)
iso_dates = st.dates().map(lambda d: d.isoformat())
uuids = st.uuids().map(str)


@st.composite
def members(draw, member_id: str):
    return {
        "member_id": member_id,
        "nik": draw(maybe(digits)),
        "name": draw(maybe(names)),
        "sex": draw(coded("members", "sex")),
        "birth_place": draw(maybe(texts)),
        "birth_date": draw(maybe(iso_dates)),
        "relationship": draw(coded("members", "relationship")),
        "marital_status": draw(coded("members", "marital_status")),
        "school_participation": draw(coded("members", "school_participation")),
        "education_level": draw(coded("members", "education_level")),
        "employment_position": draw(coded("members", "employment_position")),
        "public_post": draw(coded("members", "public_post", nullable=False)),
        "permanent_employee": draw(st.booleans()),
        "disability": draw(coded("members", "disability", nullable=False)),
        "chronic_illness": draw(coded("members", "chronic_illness")),
        "pregnant": draw(st.booleans()),
        "mother_name": draw(maybe(names)),  # schema v2 (issue 18)
        "occupation": draw(maybe(texts)),
        "dtks_id": draw(maybe(dtks_ids)),
        "presence": draw(coded("members", "presence")),
    }


dtks_ids = st.text("0123456789ABCXYZ.-", max_size=40)
HOUSING_CODES = ("tenure", "floor", "wall", "roof", "drinking_water", "lighting",
                 "cooking_fuel", "toilet", "sewage")  # fmt: skip


@st.composite
def household_documents(draw):
    member_ids = draw(st.lists(uuids, max_size=10, unique=True))
    housing = {field: draw(coded("housing", field)) for field in HOUSING_CODES}
    housing["floor_area_m2"] = draw(maybe(st.integers(1, 100_000)))
    power = st.sampled_from([code for code, _ in codes.choices("housing", "power_va")])
    housing["power_va"] = draw(st.lists(power, max_size=3))
    assets = {key: draw(st.booleans()) for key, _ in codes.asset_flags()}
    assets["land_building_njop_idr"] = draw(
        maybe(st.integers(0, 2**63 - 1) | st.sampled_from([0, 10**12, 2**53 + 1, 2**63 - 1]))
    )
    doc = document.new_household(
        draw(st.sampled_from([TEST_VILLAGE, "31.71.01.1001", "31.01.01.1001"])),
        household_id=draw(uuids),
        no_kk=draw(maybe(digits)),
        rw=draw(maybe(st.integers(0, 999))),
        rt=draw(maybe(st.integers(0, 999))),
        address=draw(maybe(texts)),
        phone=draw(maybe(st.text("+0123456789 -", max_size=32))),
        dtks_id=draw(maybe(dtks_ids)),
        house_photo=draw(st.booleans()),
        housing=housing,
        assets=assets,
        members=[draw(members(member_id)) for member_id in member_ids],
        musyawarah={
            "decision": draw(st.sampled_from([None, "eligible", "not_poor"])),
            "date": draw(maybe(iso_dates)),
            "minutes_number": draw(maybe(texts)),
        },
        status=draw(coded("household", "status", nullable=False)),
        registration_number=draw(
            maybe(st.text(st.characters(exclude_categories=["Cs"]), max_size=64))
        ),
        exclusions=draw(st.lists(texts, max_size=3, unique=True)),
        created_at=draw(texts),
        updated_at=draw(texts),
        rev=draw(maybe(texts)),
        revs=draw(st.lists(texts, max_size=3)),
        deleted=draw(st.booleans()),
    )
    return document.validate(doc)


@HYPOTHESIS
@given(doc=household_documents())
def test_round_trip_is_lossless(store, doc):
    with database.atomic() as txn:  # each example leaves the database as it found it
        households.save(doc)
        loaded = households.load(doc["household_id"])
        txn.rollback()
    assert canonical(loaded) == canonical(doc)
    assert list(loaded) == list(document.load_schema()["required"])
    document.validate(loaded)
    assert document.parse(document.dumps(loaded)) == doc


@HYPOTHESIS
@given(doc=household_documents(), order=st.randoms())
def test_update_replaces_members(store, doc, order):
    with database.atomic() as txn:
        households.save(doc)
        kept = list(doc["members"])
        order.shuffle(kept)
        kept = kept[: order.randint(0, len(kept))]
        updated = {**doc, "members": kept, "address": "Jl. Baru"}
        households.save(updated)
        loaded = households.load(doc["household_id"])
        stored_ids = [m.id for m in Member.select().where(Member.household == doc["household_id"])]
        txn.rollback()
    assert canonical(loaded) == canonical(updated)
    assert sorted(stored_ids) == sorted(m["member_id"] for m in kept)


# --- fixed households for the query tests -----------------------------------------------


def make_household(no_kk: str, people: list[tuple[str, str]], **values) -> dict:
    doc = document.new_household(TEST_VILLAGE, no_kk=no_kk, **values)
    doc["members"] = [
        document.new_member(nik=nik, name=name, relationship=1 if i == 0 else 3)
        for i, (nik, name) in enumerate(people)
    ]
    return complete(doc)


@pytest.fixture
def families(store):
    saved = {}
    for key, no_kk, people in [
        ("lestari", "3174010101260001",
         [("3174015708850003", "Dewi Lestari"), ("3174011203100001", "Budi Santoso")]),
        ("maruf", "3174010202260002",
         [("3174020101700001", "Ma'ruf Hidayat"), ("3174024101750002", 'Siti "Ani" Aminah')]),
        ("wati", "3171010303260003",
         [("3171016505900004", "Wati Susilawati")]),
    ]:  # fmt: skip
        saved[key] = hh_service.save_household(
            make_household(no_kk, people), final=True, officer=ADMIN_OFFICER
        )
    return saved


def found(text: str) -> set[str]:
    return {row.id for row in listing.search(text)}


def ids(families, *keys) -> set[str]:
    return {families[key]["household_id"] for key in keys}


def test_update_through_services_keeps_order_and_drops_removed_member(families):
    doc = hh_service.load_household(families["lestari"]["household_id"])
    budi, dewi = doc["members"][1], doc["members"][0]
    added = document.new_member(nik="3174014505850005", name="Rina Lestari", relationship=1)
    doc["members"] = [added, budi]
    doc["members"][1] = {**budi, "name": "Budi Setiawan"}
    hh_service.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)

    loaded = hh_service.load_household(doc["household_id"])
    assert [m["member_id"] for m in loaded["members"]] == [added["member_id"], budi["member_id"]]
    assert loaded["members"][1]["name"] == "Budi Setiawan"
    assert not Member.select().where(Member.id == dewi["member_id"]).exists()
    assert found("Dewi") == set()  # the FTS index follows deletes
    assert found("Santoso") == set()  # ... and renames
    assert found("Setiawan") == ids(families, "lestari")
    assert found(dewi["nik"]) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3174015708850003", ["lestari"]),  # whole NIK
        ("31740157", ["lestari"]),  # NIK prefix
        ("317402", ["maruf"]),  # NIK prefix of two members of one household
        ("3174", ["lestari", "maruf"]),  # NIK and No. KK prefixes
        ("3171010303260003", ["wati"]),  # whole No. KK
        ("31710103", ["wati"]),  # No. KK prefix
        ("0003", ["wati"]),  # not a NIK fragment: the registration number's sequence (3rd)
        ("Lestari", ["lestari"]),  # name fragment (FTS5 trigram)
        ("estar", ["lestari"]),  # middle of a name
        ("santoso", ["lestari"]),  # case-insensitive
        ("Wati", ["wati"]),
        ("ati", ["wati"]),  # 3 letters: trigram, anywhere in the name
        ("Ma'ruf", ["maruf"]),  # apostrophe
        ('"Ani"', ["maruf"]),  # double quotes
        ("Ani", ["maruf"]),
        ("Bu", ["lestari"]),  # 1-2 letters: start of a name
        ("w", ["wati"]),
        ("ti", []),  # ... not the middle
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
        ("Nobody", []),
    ],
)
def test_search(families, text, expected):
    assert found(text) == ids(families, *expected)


def test_search_by_registration_number_prefix(families):
    number = families["maruf"]["registration_number"]
    assert found(number) == ids(families, "maruf")
    prefix = number.rsplit("-", 1)[0]  # kelurahan + device: all three
    assert found(prefix + "-") == ids(families, "lestari", "maruf", "wati")
    assert found(prefix.lower()) == ids(families, "lestari", "maruf", "wati")


def test_search_row_shows_head_of_household(families):
    [row] = listing.search("Aminah")
    assert row.head_name == "Ma'ruf Hidayat"
    assert row.head_nik == "3174020101700001"
    assert row.member_count == 2
    assert row.registration_number == families["maruf"]["registration_number"]


def test_a_clash_with_another_household_changes_nothing(families):
    wati = families["wati"]
    clash = make_household("3174010909260009", [("3174010101010001", "Baru")])
    clash["registration_number"] = wati["registration_number"]
    with pytest.raises(households.ClashError) as refused:
        households.save(clash)
    assert "registration_number" in refused.value.detail
    assert households.load(wati["household_id"]) == wati  # not replaced, members intact
    assert not households.exists(clash["household_id"])

    stolen = make_household("3174010909260009", [])
    stolen["members"] = [wati["members"][0]]  # a member id of another household
    with pytest.raises(households.ClashError) as refused:
        households.save(stolen)
    assert "member.id" in refused.value.detail
    assert households.load(wati["household_id"]) == wati
    assert listing.count() == 3


def test_deleted_households_are_not_listed(families):
    doc = {**families["wati"], "deleted": True}
    households.save(doc)
    assert found("Wati") == set()
    assert listing.count() == 2
    assert households.load(doc["household_id"])["deleted"] is True


@pytest.mark.parametrize("page_size", [1, 7, 50, 500])
def test_keyset_paging_returns_every_household_once(store, page_size):
    stamps = ["2025-01-01T00:00:00.000Z", "2025-01-02T00:00:00.000Z"]
    docs = []
    for i in range(120):  # many share an updated_at: the id breaks ties
        doc = make_household(f"{i:016d}", [(f"3174{i:012d}", f"Warga {i}")])
        doc["updated_at"] = stamps[i % 2] if i < 100 else document.now_iso()
        docs.append(doc)
    households.insert_many(docs)

    seen, after = [], None
    while True:
        page = listing.page(after, page_size)
        seen += [row.id for row in page]
        if len(page) < page_size:
            break
        after = page[-1].key
    assert len(seen) == len(set(seen)) == listing.count() == 120
    assert set(seen) == {d["household_id"] for d in docs}
    keys = [(d["updated_at"], d["household_id"]) for d in docs]
    assert seen == [hid for _, hid in sorted(keys, reverse=True)]


def test_registration_numbers_are_unique_and_sequential_per_device(store):
    device = installation.device_code()
    assert re.fullmatch(r"[0-9A-F]{8}", device)
    numbers = [
        hh_service.save_household(
            make_household(f"{i:016d}", [(f"31740157088500{i + 1:02d}", "Warga")]),
            final=True,
            officer=ADMIN_OFFICER,
        )["registration_number"]
        for i in range(5)
    ]
    assert numbers == [f"3174011001-{device}-{n:06d}" for n in range(1, 6)]

    draft = hh_service.save_household(
        make_household("9" * 16, [("3174015708850099", "Warga")]),
        final=False,
        officer=ADMIN_OFFICER,
    )
    assert draft["registration_number"] is None
    assert draft["status"] == "draft"
    again = hh_service.save_household(
        hh_service.load_household(draft["household_id"]), final=True, officer=ADMIN_OFFICER
    )
    assert again["registration_number"] == f"3174011001-{device}-000006"
    resaved = hh_service.save_household(
        again, final=True, officer=ADMIN_OFFICER
    )  # saving again keeps the number
    assert resaved["registration_number"] == again["registration_number"]
    assert resaved["rev"].startswith("3-")

    assert registration.next_number(TEST_VILLAGE, "OTHERDEV") == "3174011001-OTHERDEV-000001"
    assert registration.next_number("31.71.01.1001", device) == f"3171011001-{device}-000001"
    assert registration.next_number(TEST_VILLAGE, device) == f"3174011001-{device}-000007"


def test_device_id_is_stable(store):
    first = installation.device_id()
    assert uuid.UUID(first)
    assert installation.device_id() == first


def test_drafts_put_get_discard(store):
    doc = make_household("3174010101260001", [("3174015708850003", "Dewi")])
    assert drafts.get(doc["household_id"]) is None
    drafts.put(doc)
    assert drafts.get(doc["household_id"]) == doc

    doc["members"][0]["name"] = "Dewi Lestari"
    drafts.put(doc)  # replaces
    assert drafts.get(doc["household_id"])["members"][0]["name"] == "Dewi Lestari"
    other = make_household("3174010101260002", [])
    drafts.put(other)
    assert {d["household_id"] for d in drafts.all_drafts()} == {
        doc["household_id"],
        other["household_id"],
    }

    drafts.discard(doc["household_id"])
    assert drafts.get(doc["household_id"]) is None
    drafts.discard(doc["household_id"])  # discarding twice is harmless
    assert [d["household_id"] for d in drafts.all_drafts()] == [other["household_id"]]


def test_saving_a_household_discards_its_draft(store):
    doc = make_household("3174010101260001", [("3174015708850003", "Dewi")])
    hh_service.autosave(doc)
    assert hh_service.draft_of(doc["household_id"]) == doc
    hh_service.save_household(doc, final=False, officer=ADMIN_OFFICER)
    assert hh_service.draft_of(doc["household_id"]) is None
    assert hh_service.unsaved_drafts() == []


def test_drafts_hold_incomplete_documents(store):
    """A draft is the form as typed: it need not be a valid document yet."""
    doc = make_household("31740", [("12", None)])
    doc["rw"] = "3"  # not yet an integer
    drafts.put(doc)
    assert drafts.get(doc["household_id"]) == doc


def test_import_inserts_then_updates_on_top_of_the_stored_revision(store):
    doc = make_household("3174010101260001", [("3174015708850003", "Dewi")])
    first, is_new = hh_service.import_household(doc, officer=ADMIN_OFFICER)
    assert is_new and first["rev"].startswith("1-")

    edited = {**doc, "address": "Jl. Baru"}  # an edit made without the stored revision
    second, is_new = hh_service.import_household(edited, officer=ADMIN_OFFICER)
    assert not is_new
    assert second["rev"].startswith("2-")
    assert second["revs"] == [second["rev"], first["rev"]]
    assert hh_service.load_household(doc["household_id"]) == second
    assert listing.count() == 1


def test_import_refuses_an_invalid_document_and_writes_nothing(store):
    doc = make_household("3174010101260001", [("3174015708850003", "Dewi")])
    doc["members"][0]["sex"] = 3
    with pytest.raises(document.DocumentError, match="sex: 3 is not one of"):
        hh_service.import_household(doc, officer=ADMIN_OFFICER)
    assert listing.count() == 0
