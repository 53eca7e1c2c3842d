"""The audit log: every save is recorded with what changed, and tampering is detected."""

from __future__ import annotations

import sqlite3

import pytest

from app import services
from app.cli import main
from app.db.connection import close_db
from app.document import new_member


def save_one(**member):
    doc = services.new_household()
    doc["no_kk"] = "3174010101260001"
    doc["members"] = [new_member(nik="3174015708850003", name="Dewi Lestari", relationship=1,
                                 **member)]  # fmt: skip
    return services.save_household(doc, final=True)


def test_each_save_is_recorded_with_old_and_new_values_and_nik_masked(store):
    from app.db import audit

    saved = save_one()
    saved["address"] = "Jl. Tebet Barat Dalam II No. 7"
    saved["members"][0]["name"] = "Dewi Lestari Putri"
    services.save_household(saved, final=True)
    first, second = audit.entries(saved["household_id"])
    assert first.action == second.action == "household.save"
    member = saved["members"][0]["member_id"]
    assert first.detail["changes"][f"members[{member}].nik"] == [None, "3174********0003"]
    assert second.detail["changes"] == {
        "address": [None, "Jl. Tebet Barat Dalam II No. 7"],
        f"members[{member}].name": ["Dewi Lestari", "Dewi Lestari Putri"],
    }
    assert services.verify_audit_log() == (2, None)


@pytest.fixture
def tampered_db(store):
    for _ in range(3):
        save_one()
    close_db()
    conn = sqlite3.connect(store.db)  # what someone with a plain SQLite tool could do
    conn.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
    yield conn
    conn.close()


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("UPDATE audit_log SET detail = '{}' WHERE seq = 2", "entry 2 has been altered"),
        ("UPDATE audit_log SET officer = 'someone' WHERE seq = 1", "entry 1 has been altered"),
        ("DELETE FROM audit_log WHERE seq = 2", "entry 2 is missing"),
        ("DELETE FROM audit_log WHERE seq = 3", "entries after 2 have been deleted"),
    ],
)
def test_tampering_is_detected_and_named(tampered_db, store, capsys, sql, says):
    tampered_db.execute(sql)
    tampered_db.commit()
    assert main(["--home", str(store.home), "audit", "verify"]) == 1
    assert says in capsys.readouterr().out


def test_the_database_itself_refuses_edits_and_deletes(store):
    save_one()
    conn = sqlite3.connect(store.db)
    for sql in ("UPDATE audit_log SET detail = '{}'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_intact_log_verifies(store, capsys):
    save_one()
    close_db()
    assert main(["--home", str(store.home), "audit", "verify"]) == 0
    assert "audit log intact: 1 entries" in capsys.readouterr().out
