"""The shorter checks of a new household on import (issue 20) say the same as the long ones:
ownership of a new household looks only at the managed keys, a first revision is verified in
short, and the return bundles' "does this peer hold this revision" is answered from primary
keys once migration 23 dropped the per-household bundle indexes."""

from __future__ import annotations

import itertools

import pytest

from app.core import ownership, revisions
from app.core.document import new_household, new_member
from app.db import peers
from app.db.connection import database

VILLAGE = "31.74.01.1001"
# (key, value) a new household may carry, with the group it counts as (None: its registration)
NEW_VALUES = [
    ("address", "Jl. Lain", None),
    ("foo", 1, None),  # unknown to the table: registration data of a new household
    ("exclusions", ["owns_car"], None),  # derived
    ("registration_number", "31-ABC-000001", None),  # checked by the number's device code
    ("status", "registered", None),
    ("status", "excluded", None),
    ("status", "eligible", ownership.MUSYAWARAH),
    ("status", "determined", ownership.DINSOS_STATUS),
    ("status", "withdrawn", ownership.WITHDRAWAL),
    ("dtks_id", "3174010000000001", ownership.DINSOS_STATUS),
    ("dinsos_events", [{"step": "verified"}], ownership.DINSOS_STATUS),
    ("matching", {"result": "found"}, ownership.MATCHING),
    ("deleted", True, ownership.DELETION),
    ("withdrawal", {"reason": "x"}, ownership.WITHDRAWAL),
    ("exclusion_overrides", ["owns_car"], ownership.OVERRIDES),
    ("duplicate_acceptances", [{"x": 1}], ownership.ACCEPTANCES),
    ("musyawarah", {"decision": "eligible", "date": None, "minutes_number": None},
     ownership.MUSYAWARAH),
]  # fmt: skip


@pytest.mark.parametrize("pair", list(itertools.combinations(range(len(NEW_VALUES)), 2)))
def test_a_new_households_changes_are_its_managed_keys_only(pair):
    doc = new_household(VILLAGE, members=[new_member(name="Warga")])
    expected = set()
    for index in pair:
        key, value, _group = NEW_VALUES[index]
        doc[key] = value
    for key, _value, group in NEW_VALUES:
        if group is not None and doc.get(key) == _value:
            expected.add((key, group))
    found = list(ownership.changes(None, doc))
    assert set(found) == expected
    assert found == sorted(found)  # walked in key order, as for a stored household
    empty = new_household(VILLAGE)
    assert list(ownership.changes(None, empty)) == []
    del empty["musyawarah"], empty["status"]  # left out: the empty values
    assert list(ownership.changes(None, empty)) == []


def test_a_first_revision_is_verified_in_full():
    doc = revisions.next_revision(new_household(VILLAGE, members=[new_member(name="Warga")]))
    rev = doc["rev"]
    assert revisions.verify_revision(doc) is None
    assert revisions.verify_revision({**doc, "address": "Jl. Lain"}) == (
        f"revision {rev[:12]}… does not match the content"
    )
    made_up = "7" + rev[1:]
    assert revisions.verify_revision({**doc, "rev": made_up, "revs": [made_up]}) == (
        "generation 7 does not follow from its parent"
    )
    upper = rev[:2] + rev[2:].upper()
    assert revisions.verify_revision({**doc, "rev": upper, "revs": [upper]}) == (
        "malformed revision id in ancestry"
    )
    assert revisions.verify_revision({**doc, "revs": []}) is not None
    # the empty optional keys are left out of the hash: present or absent, the same revision
    assert revisions.verify_revision({**doc, "dinsos_events": [], "matching": None}) is None


def test_migration_23_leaves_the_bundle_tables_their_primary_keys_only(store):
    rows = database.execute_sql(
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name IN ('bundle_outcome', 'bundle_content') AND sql IS NOT NULL"
    ).fetchall()
    assert rows == []  # no index but the primary keys: nothing more to write per household
    applied = database.execute_sql("SELECT 1 FROM schema_version WHERE version = 23").fetchone()
    assert applied is not None


def test_the_return_query_reads_a_peers_bundles_by_primary_key(store):
    sql = (
        "SELECT h.id FROM household h WHERE h.village_code IN (?) AND h.rev IS NOT NULL"
        f" AND (h.id, h.rev) NOT IN ({peers._HELD_BY_PEER})"
    )
    plan = " | ".join(
        str(r[3]) for r in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", (VILLAGE, "p", "p"))
    )
    assert "SCAN o" not in plan and "SCAN c" not in plan, plan
    assert "bundle_log_peer" in plan and "bundle_id=?" in plan, plan
