"""Dinsos' news and pemadanan results on many households at once (issue 20): the bulk write
(app/services/dinsos_status.store, app/db/dinsos_rows.py) stores what the per-household save
stores — the same document, revision and audit entry — without rewriting the members; the
result travels in the next bundle and passes the kelurahan's revision and ownership checks; a
failure halfway leaves nothing; only Dinsos' fields may change this way."""

from __future__ import annotations

import pytest
from conftest import ADMIN_OFFICER
from helpers.households import head, household
from sync_support import Installation, exchange

from app.core import dinsos_events, document
from app.core.document import new_member
from app.core.revisions import verify_revision
from app.db import audit, listing
from app.db import households as household_rows
from app.db.connection import database
from app.services import dinsos_status, households, installation, pemadanan
from app.services.households import FieldOwnerError

E = dinsos_events
NIKS = ("3174016705800004", "3174015708100003", "3174010101900009", "3174014402850001")


def registered(count: int) -> list[str]:
    """`count` registered households (each its own head NIK and No. KK), then Dinsos."""
    ids = []
    for i in range(count):
        doc = household(head(nik=NIKS[i]), no_kk=f"31740123041500{i:02d}")
        ids.append(
            households.save_household(doc, final=True, officer=ADMIN_OFFICER)["household_id"]
        )
    installation.set_dinsos(None, ADMIN_OFFICER)
    return ids


def news(ids: list[str]) -> dict[str, list[dict]]:
    return {
        hid: [E.event(E.IN_SIKS_NG, "2026-11-01", "Dinsos"),
              E.event(E.DTKS_ID, "2026-11-02", "Dinsos", reference=f"DT-{i}")]
        for i, hid in enumerate(ids)
    }  # fmt: skip


def member_pks(household_id: str) -> list[int]:
    rows = database.execute_sql("SELECT pk FROM member WHERE household_id = ?", (household_id,))
    return [r[0] for r in rows]


def change_seq(household_id: str) -> int:
    return database.execute_sql(
        "SELECT change_seq FROM household WHERE id = ?", (household_id,)
    ).fetchone()[0]


def test_the_bulk_write_stores_what_the_per_household_save_stores(store, admin, monkeypatch):
    ids = registered(3)
    monkeypatch.setattr(document, "now_iso", lambda: "2026-11-30T10:00:00.000Z")  # one clock
    updates = news(ids)
    before = {hid: households.load_household(hid) for hid in ids}
    # the per-household save, rolled back: what the bulk write must equal
    with database.atomic() as txn:
        for hid in ids:
            new = E.with_events(before[hid], updates[hid])
            households.save_household(new, final=False, officer=admin, overriding=True)
        expected = {hid: households.load_household(hid) for hid in ids}
        expected_audit = [(e.household_id, e.detail) for e in audit.entries()[-3:]]
        txn.rollback()
    assert households.load_household(ids[0]) == before[ids[0]]
    pks, seqs = {h: member_pks(h) for h in ids}, {h: change_seq(h) for h in ids}
    entries = len(audit.entries())

    assert dinsos_status.record(updates, admin) == sorted(ids)
    for hid in ids:
        stored = households.load_household(hid)
        assert stored == expected[hid]  # same document, same revision id
        assert stored["status"] == "in_siks_ng" and stored["dtks_id"] is not None
        assert verify_revision(stored) is None and stored["revs"][1:] == before[hid]["revs"]
        assert member_pks(hid) == pks[hid]  # the members were not rewritten
        assert change_seq(hid) > max(seqs.values())  # it travels in the next bundle
    # one household.save entry per household, as the per-household save writes, then the summary
    added = audit.entries()[entries:]
    assert [(e.household_id, e.detail) for e in added[:3]] == sorted(expected_audit)
    assert [e.action for e in added] == ["household.save"] * 3 + ["dinsos.status"]
    assert audit.verify() == (len(audit.entries()), None)
    # the name index still finds the household (its rows were not touched)
    assert sorted(r.id for r in listing.search("Hasanah")) == sorted(ids)
    assert dinsos_status.record(updates, admin) == []  # idempotent


def test_a_failure_halfway_leaves_nothing(store, admin, monkeypatch):
    ids = registered(4)
    monkeypatch.setattr(dinsos_status, "CHUNK", 2)  # two chunks: the first is written
    before = {hid: households.load_household(hid) for hid in ids}
    seqs, entries = {h: change_seq(h) for h in ids}, len(audit.entries())
    updates = news(ids)
    last = sorted(ids)[-1]
    updates[last] = [E.event(E.VERIFIED, "2026-11-01", "Dinsos", reason="x" * 301)]  # invalid
    with pytest.raises(Exception, match="tidak valid"):
        dinsos_status.record(updates, admin)
    # and a failure inside SQLite, at the last household of a chunk
    database.execute_sql(
        "CREATE TEMP TRIGGER boom BEFORE UPDATE ON household WHEN NEW.id = ? "
        "BEGIN SELECT RAISE(ABORT, 'boom'); END".replace("?", f"'{last}'")
    )
    with pytest.raises(Exception, match="boom"):
        dinsos_status.record(news(ids), admin)
    database.execute_sql("DROP TRIGGER boom")
    for hid in ids:
        assert households.load_household(hid) == before[hid] and change_seq(hid) == seqs[hid]
    assert len(audit.entries()) == entries and audit.verify()[1] is None


def test_only_dinsos_fields_change_in_bulk(store, admin):
    [hid] = registered(1)
    stored = households.load_household(hid)
    for key, value in (("address", "Jl. Lain No. 1"), ("musyawarah", {
        "decision": "eligible", "date": "2026-11-01", "minutes_number": "1"})):  # fmt: skip
        with pytest.raises(FieldOwnerError, match=key):
            dinsos_status.store([(stored, {**stored, key: value})], admin)
    assert households.load_household(hid) == stored


def test_a_pemadanan_file_in_bulk_and_its_results_travel(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), Installation(tmp_path, "dinsos")
    exchange((kelurahan, dinsos))
    with kelurahan:
        docs = [
            household(head(nik=NIKS[0]), new_member(name="Ahmad", nik=NIKS[1], relationship=3),
                      no_kk="3174012304150000"),
            household(head(nik=NIKS[2]), no_kk="3174012304150001"),
            household(head(nik=NIKS[3]), no_kk="3174012304150002"),
        ]  # fmt: skip
        ids = [households.save_household(doc, final=True, officer=kelurahan.officer)[
            "household_id"] for doc in docs]  # fmt: skip
        sent = kelurahan.export(dinsos)
    with dinsos:
        dinsos.take(sent)
        installation.set_dinsos(None, dinsos.officer)
        pks = {h: member_pks(h) for h in ids}
        path = tmp_path / "bapenda.csv"
        path.write_text(
            "NIK;MOBIL;NJOP\n"
            f"{NIKS[0]};TIDAK;500.000.000\n{NIKS[1]};YA;\n{NIKS[2]};TIDAK;1.500.000.000\n"
            "3174019999990001;YA;\n",
            encoding="utf-8",
        )
        done = pemadanan.apply(path, "bapenda", dinsos.officer)
        assert done.counts["households"] == 2 and done.counts["unmatched"] == 1
        for hid in ids[:2]:
            stored = households.load_household(hid)
            assert stored["status"] == "matched" and verify_revision(stored) is None
            assert stored["exclusions"] and member_pks(hid) == pks[hid]
        assert households.load_household(ids[2])["status"] == "registered"
        assert len([e for e in audit.entries() if e.action == "household.save"
                    and e.officer == dinsos.officer.username]) == 2  # fmt: skip
        back = dinsos.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(back)
        assert report.counts["rejected"] == 0
        first, second = (households.load_household(h) for h in ids[:2])
        assert first["matching"]["car_per_bapenda"] is True and first["status"] == "matched"
        assert second["matching"]["njop_per_bapenda_idr"] == 1_500_000_000
        assert first["exclusions"] and second["exclusions"]
        assert household_rows.load(ids[2])["status"] == "registered"


def test_the_file_wide_look_up_says_what_the_one_value_look_ups_say(store, admin):
    ids = registered(3)
    households.delete_household(ids[2], "Terdaftar dua kali karena salah ketik", admin)
    niks = [*NIKS, "3174019999990001"]
    for chunk in (1, 2000):  # one value per query, or all at once
        held = listing.holders("nik", [*niks, NIKS[0]], chunk=chunk)
        assert {nik: [h.household_id for h in found] for nik, found in held.items()} == {
            nik: sorted({m.household_id for m in listing.members_with_nik(nik)})
            for nik in niks
            if listing.members_with_nik(nik)
        }
        by_kk = listing.holders("no_kk", ["3174012304150000", "3174012304150002"], chunk=chunk)
        assert {kk: [h.household_id for h in found] for kk, found in by_kk.items()} == {
            "3174012304150000": listing.households_with_no_kk("3174012304150000")
        }  # the deleted household's No. KK is held by nobody
    assert {h.village_code for found in held.values() for h in found} == {"31.74.01.1001"}
