"""The audit log: every save is recorded with what changed, and tampering is detected."""

from __future__ import annotations

import pytest
import sqlcipher3
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD
from helpers.households import complete

from app.cli.main import main
from app.core.document import new_member
from app.db import audit as audit_log
from app.db.connection import close_db, connect_file, current_key, sqlcipher_key
from app.services import households


@pytest.fixture(autouse=True)
def admin_password(monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)


def save_one(serial: int = 3, **member):
    """Dewi Lestari's family; another `serial` is another family (no duplicate, issue 14)."""
    doc = households.new_household()
    doc["no_kk"] = f"317401010126{serial:04d}"
    doc["members"] = [new_member(nik=f"317401570885{serial:04d}", name="Dewi Lestari",
                                 relationship=1, **member)]  # fmt: skip
    return households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)


def test_each_save_is_recorded_with_old_and_new_values_and_nik_masked(store):
    from app.db import audit

    saved = save_one()
    saved["address"] = "Jl. Tebet Barat Dalam II No. 7"
    saved["members"][0]["name"] = "Dewi Lestari Putri"
    households.save_household(saved, final=True, officer=ADMIN_OFFICER)
    first, second = audit.entries(saved["household_id"])
    assert first.action == second.action == "household.save"
    member = saved["members"][0]["member_id"]
    assert first.detail["changes"][f"members[{member}].nik"] == [None, "3174********0003"]
    assert second.detail["changes"] == {
        "address": ["Jl. Tebet Timur Dalam II No. 5", "Jl. Tebet Barat Dalam II No. 7"],
        f"members[{member}].name": ["Dewi Lestari", "Dewi Lestari Putri"],
    }
    assert audit_log.verify() == (5, None)  # set-up and the kelurahan wrote 3


@pytest.fixture
def tampered_db(store):
    for serial in (3, 4, 5):
        save_one(serial)
    key = sqlcipher_key(current_key())
    close_db()
    # what an insider with the key and a plain SQLCipher tool could do
    conn = connect_file(store.db, key)
    conn.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
    yield conn
    conn.close()


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("UPDATE audit_log SET detail = '{}' WHERE seq = 3", "entry 3 has been altered"),
        ("UPDATE audit_log SET officer = 'someone' WHERE seq = 1", "entry 1 has been altered"),
        ("DELETE FROM audit_log WHERE seq = 2", "entry 2 is missing"),
        ("DELETE FROM audit_log WHERE seq >= 4", "entry 4 is missing (next entry is 7)"),
    ],
)
def test_tampering_is_detected_and_named(tampered_db, store, capsys, sql, says):
    tampered_db.execute(sql)
    tampered_db.commit()
    # verify logs in first: the login entry chains onto the head, so it cannot hide the gap
    assert main(["--home", str(store.home), "--user", ADMIN, "audit", "verify"]) == 1
    assert says in capsys.readouterr().out


def test_the_database_itself_refuses_edits_and_deletes(store):
    save_one()
    conn = connect_file(store.db)
    for sql in ("UPDATE audit_log SET detail = '{}'", "DELETE FROM audit_log"):
        with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_intact_log_verifies(store, capsys):
    save_one()
    close_db()
    assert main(["--home", str(store.home), "--user", ADMIN, "audit", "verify"]) == 0
    assert "audit log intact: 5 entries" in capsys.readouterr().out  # set-up, save, login
