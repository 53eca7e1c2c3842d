"""Which households the list shows (issue 16): filters, sort orders, the search by any part of
a registration number, the members a search matched, and the honest cap of a search. Real
encrypted stores, real queries."""

from __future__ import annotations

import pytest

from app.core.document import new_household, new_member
from app.core.status import household_status, status_choices
from app.db import households
from app.services import listing
from app.services.listing import ListQuery

VILLAGE = "31.74.01.1001"
DEVICE = "ABCD1234"


def household(i: int, members: list[tuple[str, str, int]], **fields) -> dict:
    """Household number `i` (its change time orders the list); members: (name, NIK, rel.)."""
    doc = new_household(VILLAGE, no_kk=f"31740101010{i:05d}", **{"status": "registered", **fields})
    doc["updated_at"] = f"2026-11-01T08:{i // 60 % 60:02d}:{i % 60:02d}.000Z"
    doc["members"] = [
        new_member(name=name, nik=nik, relationship=rel, position=p)
        for p, (name, nik, rel) in enumerate(members)
    ]
    return doc


@pytest.fixture
def town(store) -> dict[str, dict]:
    """Five households in two RWs: statuses, registration numbers, members to find."""
    docs = {
        "santoso": household(
            1,
            [("Budi Santoso", "3174011203800001", 1), ("Nur Aini", "3174014505850002", 2)],
            rw=5, rt=2, registration_number=f"3174011001-{DEVICE}-000123",
        ),
        "aini": household(
            2, [("Aini Rahma", "3174014101900003", 1)],
            rw=5, rt=3, registration_number=f"3174011001-{DEVICE}-000124",
        ),
        "mobil": household(
            3, [("Zaki Mobil", "3174011010700004", 1), ("Ani", "3174015010750005", 2)],
            rw=7, rt=1, status="excluded", exclusions=["car", "bottled_water"],
            registration_number=f"3174011001-{DEVICE}-001123",
        ),
        "musyawarah": household(
            4, [("Cici Layak", "3174014404600006", 1)], rw=7, rt=1, status="not_poor",
            registration_number="3174011001-EEEE0001-000123",
        ),
        "draft": household(5, [("Ahmad Draf", "3174010101010007", 1)], rw=5, rt=2,
                           status="draft"),
    }  # fmt: skip
    households.insert_many(list(docs.values()))
    return docs


def ids(town: dict[str, dict], *keys: str) -> list[str]:
    return [town[key]["household_id"] for key in keys]


def found(text: str = "", **filters) -> list[str]:
    return listing.find_households(ListQuery(text=text, **filters)).ids


def test_without_a_search_every_household_is_listed_newest_first(town):
    assert found() == ids(town, "draft", "musyawarah", "mobil", "aini", "santoso")
    assert listing.household_count() == 5
    rows = listing.household_rows(found()[::-1])  # rows come back in the order asked
    assert [r.id for r in rows] == ids(town, "santoso", "aini", "mobil", "musyawarah", "draft")
    assert rows[2].exclusions == ("car", "bottled_water")


def test_filters_by_status_rw_and_rt(town):
    assert found(status="excluded") == ids(town, "mobil")
    assert found(rw=5) == ids(town, "draft", "aini", "santoso")
    assert found(rw=5, rt=2) == ids(town, "draft", "santoso")
    assert found(rw=7, status="registered") == []
    assert listing.places() == [(5, 2), (5, 3), (7, 1)]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("head_name", False, ["draft", "aini", "santoso", "musyawarah", "mobil"]),
        ("head_name", True, ["mobil", "musyawarah", "santoso", "aini", "draft"]),
        ("member_count", True, ["mobil", "santoso", "draft", "musyawarah", "aini"]),
        ("rw_rt", False, ["santoso", "draft", "aini", "mobil", "musyawarah"]),
        ("status", False, ["draft", "santoso", "aini", "mobil", "musyawarah"]),
        ("updated_at", False, ["santoso", "aini", "mobil", "musyawarah", "draft"]),
    ],
)
def test_sorts_by_any_column(town, sort, descending, expected):
    order = found(sort=sort, descending=descending)
    if sort in ("member_count", "rw_rt", "status"):  # ties: by id, in the same direction
        assert [o for o in order if o in ids(town, *expected)] == order
        groups = {"member_count": lambda r: r.member_count, "rw_rt": lambda r: (r.rw, r.rt),
                  "status": lambda r: status_order(r.status)}[sort]  # fmt: skip
        keys = [groups(r) for r in listing.household_rows(order)]
        assert keys == sorted(keys, reverse=descending)
    else:
        assert order == ids(town, *expected)


def status_order(code: str) -> int:
    return [c for c, _ in status_choices()].index(code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("000123", ["musyawarah", "santoso"]),  # the sequence read aloud, on two devices
        ("123", ["musyawarah", "santoso"]),  # ... without its zeros
        ("1123", ["mobil"]),
        ("000 124", ["aini"]),  # typed with a space
        ("abcd1234", ["mobil", "aini", "santoso"]),  # the device code, any case
        (f"{DEVICE}-000123", ["santoso"]),
        ("3174011001-EEEE0001-000123", ["musyawarah"]),  # the whole number
        ("3174011001", ["musyawarah", "mobil", "aini", "santoso"]),  # kelurahan code (no draft)
        ("317401450", ["santoso"]),  # still a NIK prefix (a member's)
        ("3174010101000003", ["mobil"]),  # still a whole No. KK
        ("aini", ["aini", "santoso"]),  # a member's name, anywhere
        ("Zak", ["mobil"]),
        ("99999", []),
    ],
)
def test_search_finds_any_part_of_a_registration_number(town, text, expected):
    assert found(text) == ids(town, *expected)


def test_a_match_on_another_member_names_that_member(town):
    result = listing.find_households(ListQuery(text="aini"))
    # Nur Aini is not the head of the Santoso household; Aini Rahma heads her own
    assert result.matched == {town["santoso"]["household_id"]: ("Nur Aini",)}
    by_nik = listing.find_households(ListQuery(text="3174015010750005"))
    assert by_nik.matched == {town["mobil"]["household_id"]: ("Ani",)}
    by_head = listing.find_households(ListQuery(text="Santoso"))
    assert by_head.ids == ids(town, "santoso") and by_head.matched == {}
    two_letters = listing.find_households(ListQuery(text="an"))  # the start of a name
    assert two_letters.matched == {town["mobil"]["household_id"]: ("Ani",)}


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("ai\x00ni", ["aini", "santoso"]),
        ("\u202eaini\t", ["aini", "santoso"]),
        ("aini\x00%'/*", []),
        ("ai\nni", []),  # a line break is a space: "ai ni"
    ],
)
def test_a_pasted_search_with_control_characters_looks_for_what_shows(town, pasted, expected):
    """A NUL would end SQLite's full-text query ("unterminated string"): control and format
    characters are not searched for, line breaks and tabs are spaces."""
    assert found(pasted) == ids(town, *expected)


def test_a_search_says_when_it_found_more_than_it_shows(store):
    households.insert_many([household(i, [(f"Warga {i}", f"317401010101{i:04d}", 1)],
                                      rw=1 + i % 2) for i in range(12)])  # fmt: skip
    from app.db import list_query

    capped = list_query.find(ListQuery(text="Warga"), limit=5)
    assert len(capped.ids) == 5 and capped.more
    exact = list_query.find(ListQuery(text="Warga"), limit=12)
    assert len(exact.ids) == 12 and not exact.more
    # the filter applies before the cap: 6 households of RW 2 all counted
    in_rw = list_query.find(ListQuery(text="Warga", rw=2), limit=6)
    assert len(in_rw.ids) == 6 and not in_rw.more
    assert [r.rw for r in listing.household_rows(in_rw.ids)] == [2] * 6
    assert len(listing.search_households("Warga", -1)) == 12  # the CLI: all of them


def test_deleted_households_are_never_listed(town):
    doc = households.load(town["aini"]["household_id"])
    households.save({**doc, "deleted": True})
    assert town["aini"]["household_id"] not in found()
    assert found("aini") == ids(town, "santoso")


@pytest.mark.parametrize(
    ("status", "exclusions", "text", "tone"),
    [
        ("excluded", ["car", "bottled_water"], "Dikecualikan (mobil, air kemasan)", "excluded"),
        ("excluded", ["judged_not_poor"], "Dikecualikan (tidak miskin (musyawarah))", "excluded"),
        ("not_poor", [], "Tidak miskin (musyawarah)", "not_poor"),
        ("eligible", [], "Layak (musyawarah)", "eligible"),
        ("withdrawn", [], "Ditarik", "withdrawn"),
        ("registered", [], "Terdaftar", "plain"),
        ("draft", [], "Draf", "draft"),
    ],
)
def test_status_labels_say_which_criterion_and_which_decision(status, exclusions, text, tone):
    label = household_status(status, exclusions)
    assert (label.text, label.tone) == (text, tone)
