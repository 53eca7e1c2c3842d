"""The page MAC (issue 20, session 12): new databases sign their pages with HMAC-SHA256; one
made before, with SQLCipher's HMAC-SHA512, is read and written as it is; a backup of either
kind is read and put back."""

from __future__ import annotations

import os

import pytest
from conftest import ADMIN_OFFICER, log_in_again
from helpers.households import complete

from app.core.document import new_member
from app.db import cipher
from app.db.connection import (
    LEGACY_PAGE_MAC,
    PAGE_MAC,
    connect_file,
    current_key,
    page_mac,
    page_mac_of,
    sqlcipher_key,
)
from app.services import auth, backups, households, listing, restore


def register(name: str, nik: str) -> dict:
    doc = households.new_household()
    doc["no_kk"] = "317401010126" + nik[-4:]
    doc["members"] = [new_member(nik=nik, name=name, relationship=1)]
    return households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)


def as_made_before(path, passphrase: str) -> None:
    """The closed database or backup at `path` as a version before made it: the same rows,
    their pages signed with SQLCipher's default HMAC-SHA512."""
    legacy = path.with_name(path.name + ".legacy")
    source = connect_file(path, passphrase)
    try:
        cipher.export_checked(source, legacy, passphrase, LEGACY_PAGE_MAC)
    finally:
        source.close()
    copy = connect_file(legacy, passphrase, LEGACY_PAGE_MAC)
    copy.execute("PRAGMA journal_mode = WAL")  # as the app keeps every database
    copy.close()
    os.replace(legacy, path)


def household_rows(path, passphrase: str) -> int:
    conn = connect_file(path, passphrase)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM household").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def legacy(store):
    """`store` with two households, its database as made before and closed; the passphrase."""
    register("Dewi Lestari", "3174015708850003")
    register("Budi Santoso", "3174011203100001")
    passphrase = sqlcipher_key(current_key())
    auth.log_out()
    as_made_before(store.db, passphrase)
    assert page_mac_of(store.db, passphrase) == LEGACY_PAGE_MAC
    return passphrase


def test_a_new_database_signs_its_pages_with_hmac_sha256(store):
    passphrase = sqlcipher_key(current_key())
    assert page_mac() == PAGE_MAC == "HMAC_SHA256"
    assert page_mac_of(store.db, passphrase) == PAGE_MAC
    auth.log_out()
    with pytest.raises(Exception, match="not a database"):  # its pages fail SHA-512's check
        conn = connect_file(store.db, passphrase, LEGACY_PAGE_MAC)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()


def test_a_database_made_before_is_used_as_it_is(store, legacy):
    log_in_again(store)
    assert page_mac() == LEGACY_PAGE_MAC
    assert households.household_count() == 2
    found = listing.search_households("Lestari")  # the names index (FTS5) too
    assert [row.head_name for row in found] == ["Dewi Lestari"]
    register("Nur Aini", "3174014101900002")  # and written
    taken = backups.create_backup(store, "manual")  # its backups are of its kind
    auth.log_out()

    assert page_mac_of(store.db, legacy) == LEGACY_PAGE_MAC
    assert page_mac_of(taken.path, legacy) == LEGACY_PAGE_MAC
    assert household_rows(store.db, legacy) == household_rows(taken.path, legacy) == 3
    assert not list(store.db.parent.glob("*.bak"))  # nothing converted, nothing copied aside


def test_a_copy_that_does_not_check_out_is_dropped(store, monkeypatch):
    register("Dewi Lestari", "3174015708850003")
    passphrase = sqlcipher_key(current_key())
    taken = backups.create_backup(store, "manual")
    real = cipher.table_counts
    seen: list[dict] = []

    def counts(conn):  # the copy seems to miss a row
        found = real(conn)
        seen.append(found)
        return found if len(seen) == 1 else {**found, "household": found["household"] - 1}

    monkeypatch.setattr(cipher, "table_counts", counts)
    target = taken.path.with_name("converted.db")
    with pytest.raises(cipher.CipherError):
        cipher.converted_copy(taken.path, passphrase, LEGACY_PAGE_MAC, target)
    assert len(seen) == 2 and not target.exists()  # made, checked, dropped
    assert not list(taken.path.parent.glob("converted.db*"))


def test_a_backup_made_before_is_read_and_put_back(store):
    dewi = register("Dewi Lestari", "3174015708850003")
    passphrase = sqlcipher_key(current_key())
    taken = backups.create_backup(store, "manual")
    as_made_before(taken.path, passphrase)  # a backup from a version before
    budi = register("Budi Santoso", "3174011203100001")

    lost = restore.what_would_be_lost(taken.path, ADMIN_OFFICER)
    assert [row.household_id for row in lost] == [budi["household_id"]]
    backups.restore(store, taken.path, taker=ADMIN_OFFICER.username)
    assert page_mac() == PAGE_MAC
    assert households.household_count() == 1
    assert households.load_household(dewi["household_id"])["members"][0]["name"] == "Dewi Lestari"
    assert not list(store.db.parent.glob("*.restoring*"))
    assert page_mac_of(taken.path, passphrase) == LEGACY_PAGE_MAC  # the backup as it was
