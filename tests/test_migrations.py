"""Numbered migrations (app/db/migrations.py): fresh databases, upgrades with a backup first,
databases from a newer app refused, and re-opening as a no-op."""

from __future__ import annotations

import pytest
from playhouse.sqlcipher_ext import SqlCipherDatabase

from app.db import households, listing, open_database
from app.db.connection import close_db, connect_file, sqlcipher_key
from app.db.migrations import LATEST, MIGRATIONS, MigrationError, current_version, migrate

KEY = bytes(range(32))
HOUSEHOLD_ID = "01900000-0000-7000-8000-000000000001"
MEMBERS = [
    ("01900000-0000-7000-8000-0000000000a1", "3174015708850003", "Dewi Lestari", 2, 1),
    ("01900000-0000-7000-8000-0000000000a2", "3174011203100001", "Budi Santoso", 1, 3),
]


@pytest.fixture
def db_path(tmp_path):
    yield tmp_path / "loket.db"
    close_db()


def backups(path):
    return sorted(path.parent.glob(f"{path.name}.v*.bak"))


def versions(path) -> list[int]:
    with connect_file(path, sqlcipher_key(KEY)) as conn:
        rows = conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    conn.close()
    return [v for (v,) in rows]


def tables(path) -> set[str]:
    with connect_file(path, sqlcipher_key(KEY)) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    conn.close()
    return {name for (name,) in rows}


def test_migrations_are_numbered_in_order():
    assert [m[0] for m in MIGRATIONS] == list(range(1, LATEST + 1))


def test_empty_database_to_latest(db_path):
    db = open_database(db_path, KEY)
    assert current_version(db) == LATEST
    close_db()
    assert versions(db_path) == list(range(1, LATEST + 1))
    assert {"household", "member", "member_name_fts", "region", "setting", "draft"} <= tables(
        db_path
    )
    assert backups(db_path) == []  # nothing to back up in a new database


def make_v1_database(path):
    """A database as version 1 of the app left it, with one household of two members."""
    db = SqlCipherDatabase(str(path), passphrase=sqlcipher_key(KEY))
    db.connect()
    assert migrate(db, path, upto=1) == 0
    db.execute_sql(
        "INSERT INTO household (id, no_kk, village_code, rw, rt, address, phone, housing, assets,"
        " musyawarah, status, registration_number, exclusions, created_at, updated_at, rev,"
        " revs, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            HOUSEHOLD_ID, "3174010101260001", "31.74.01.1001", 3, 7, "Jl. Tebet Barat", None,
            '{"tenure": 1, "power_va": [900]}', '{"car": false, "land_building_njop_idr": null}',
            '{"decision": null, "date": null, "minutes_number": null}', "registered",
            "3174011001-ABCD1234-000001", "[]", "2025-01-01T00:00:00.000Z",
            "2025-01-01T00:00:00.000Z", "1-abc", '["1-abc"]', 0,
        ),
    )  # fmt: skip
    for position, (member_id, nik, name, sex, relationship) in enumerate(MEMBERS):
        db.execute_sql(
            "INSERT INTO member (id, household_id, position, nik, name, sex, relationship,"
            " public_post, permanent_employee, disability, pregnant)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'none', 0, 'none', 0)",
            (member_id, HOUSEHOLD_ID, position, nik, name, sex, relationship),
        )
    db.close()


def test_from_version_1_to_latest_keeps_data_and_writes_a_backup(db_path):
    make_v1_database(db_path)
    assert versions(db_path) == [1]
    assert "member_name_fts" not in tables(db_path)

    db = open_database(db_path, KEY)
    assert current_version(db) == LATEST
    doc = households.load(HOUSEHOLD_ID)
    assert doc["no_kk"] == "3174010101260001"
    assert doc["housing"] == {"tenure": 1, "power_va": [900]}
    assert doc["registration_number"] == "3174011001-ABCD1234-000001"
    assert [(m["member_id"], m["name"]) for m in doc["members"]] == [(m[0], m[2]) for m in MEMBERS]
    assert doc["members"][0]["pregnant"] is False
    # the FTS index added by version 2 covers members stored before it existed
    assert [row.id for row in listing.search("Lestari")] == [HOUSEHOLD_ID]
    assert [row.id for row in listing.search("antos")] == [HOUSEHOLD_ID]
    assert listing.search("Lestari")[0].head_name == "Dewi Lestari"
    close_db()

    [backup] = backups(db_path)
    assert backup.name.startswith("loket.db.v1-")
    assert versions(backup) == [1]
    with connect_file(backup, sqlcipher_key(KEY)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM member").fetchone() == (2,)
    conn.close()


def test_reopening_is_a_no_op(db_path):
    make_v1_database(db_path)
    open_database(db_path, KEY)
    close_db()
    before = backups(db_path)
    assert len(before) == 1

    db = open_database(db_path, KEY)
    assert migrate(db, db_path) == LATEST
    close_db()
    assert backups(db_path) == before
    assert versions(db_path) == list(range(1, LATEST + 1))


def test_newer_database_is_refused(db_path):
    open_database(db_path, KEY)
    close_db()
    with connect_file(db_path, sqlcipher_key(KEY)) as conn:
        conn.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', 'x')",
            (LATEST + 1,),
        )
    conn.close()
    data = db_path.read_bytes()

    with pytest.raises(MigrationError, match=f"version {LATEST + 1} is newer"):
        open_database(db_path, KEY)
    close_db()
    assert db_path.read_bytes() == data
    assert backups(db_path) == []


def test_migrate_stops_at_upto(db_path):
    db = SqlCipherDatabase(str(db_path), passphrase=sqlcipher_key(KEY))
    db.connect()
    assert migrate(db, db_path, upto=1) == 0
    assert current_version(db) == 1
    assert migrate(db, db_path) == 1
    assert current_version(db) == LATEST
    db.close()
