"""Numbered schema migrations, each applied once, in its own transaction.

Each migration is frozen SQL: later changes to the models never change what an old migration
does. Before migrating a database that already holds data, a copy is written beside it
(`backup_copy`). A database from a newer version of the app is refused.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

from app.core.errors import UserError
from app.db.copies import backup_copy
from app.db.sql_v01_v12 import (
    V1_CORE,
    V2_NAME_SEARCH,
    V3_AUDIT_LOG,
    V4_OFFICERS,
    V5_PASSWORDS_IN_KEY_FILE,
    V6_RECEIPTS,
    V7_EXCLUSION_OVERRIDES,
    V8_PEERS,
    V9_BUNDLES,
    V10_DUPLICATES,
    V11_AUDIT_HEADS,
    V12_PEER_KINDS,
)
from app.db.sql_v13_on import (
    V13_SIGNATURES,
    V14_BUNDLE_CONTENT,
    V15_MEETINGS,
    V16_SCHEMA_V2,
    V17_ATTACHMENTS,
    V18_RECEIVED_RECORDS,
    V19_DINSOS_EVENTS,
    V20_ATTACHMENT_TOMBSTONES,
    V21_TARGET_LISTS,
    V22_PEER_VILLAGES,
    V23_DROP_HOLDER_INDEXES,
    V24_HOUSEHOLD_VILLAGE_STATUS,
    V25_LIVE_HOUSEHOLDS_BY_CHANGE,
    V26_HOUSEHOLD_DUPLICATE_MARKS,
    V27_MINIFIED_JSON_COLUMNS,
    V28_OUTCOME_EVENTS,
    V29_MEMBERS_DIGEST,
)


class MigrationError(UserError):
    """The database cannot be brought to this version (e.g. it comes from a newer one)."""


MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "core tables: settings, regions, households, members, drafts, counters", V1_CORE),
    (2, "FTS5 trigram index over member names", V2_NAME_SEARCH),
    (3, "append-only, hash-chained audit log", V3_AUDIT_LOG),
    (4, "officers with roles and argon2id password hashes", V4_OFFICERS),
    (5, "officer passwords move to the key file", V5_PASSWORDS_IN_KEY_FILE),
    (6, "receipts printed: original and reprints", V6_RECEIPTS),
    (7, "exclusion overrides with reason and document reference", V7_EXCLUSION_OVERRIDES),
    (8, "trusted peers for sync bundles", V8_PEERS),
    (9, "sync bundles: change order, conflicts, bundle log, matching results", V9_BUNDLES),
    (10, "withdrawal, accepted duplicates, possible duplicates from bundles", V10_DUPLICATES),
    (11, "audit chain heads of peers and warnings of rewritten logs", V11_AUDIT_HEADS),
    (12, "trusted peers have a kind: laptop, kelurahan or dinsos", V12_PEER_KINDS),
    (13, "officers' signing keys, the signed officer table, signed decisions", V13_SIGNATURES),
    (14, "households and revisions each bundle sent carried", V14_BUNDLE_CONTENT),
    (15, "musyawarah kelurahan meetings: participants, decisions", V15_MEETINGS),
    (16, "household schema v2: mother name, occupation, ID DTKS, presence", V16_SCHEMA_V2),
    (17, "attachments: scans and photos, encrypted in the database", V17_ATTACHMENTS),
    (18, "meetings, signed decisions and officer tables received in bundles", V18_RECEIVED_RECORDS),
    (19, "Dinsos events on households: target list, SIKS-NG, ID DTKS", V19_DINSOS_EVENTS),
    (20, "attachment tombstones: deletions travel in bundles", V20_ATTACHMENT_TOMBSTONES),
    (21, "daftar sasaran tetap per kota: locked lists and members", V21_TARGET_LISTS),
    (22, "the kelurahan each trusted kelurahan peer serves (return bundles)", V22_PEER_VILLAGES),
    (23, "bundle outcome and content read by bundle only (import speed)", V23_DROP_HOLDER_INDEXES),
    (
        24,
        "households by kelurahan and status from an index (overview)",
        V24_HOUSEHOLD_VILLAGE_STATUS,
    ),
    (25, "the household list reads live households from an index", V25_LIVE_HOUSEHOLDS_BY_CHANGE),
    (
        26,
        "deleted, withdrawn and accepting households indexed (bulk duplicate look-up)",
        V26_HOUSEHOLD_DUPLICATE_MARKS,
    ),
    (
        27,
        "household JSON columns minified (export copies them as stored)",
        V27_MINIFIED_JSON_COLUMNS,
    ),
    (28, "how many Dinsos events each bundle left a household with (timeline)", V28_OUTCOME_EVENTS),
    (29, "what each household's members hash to (import speed)", V29_MEMBERS_DIGEST),
]
LATEST = max(m[0] for m in MIGRATIONS)  # numbers land out of order in a release


def current_version(db: SqliteDatabase) -> int:
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(db: SqliteDatabase, path: Path, upto: int = LATEST) -> int:
    """Bring the database to version `upto`; return the version it was at before."""
    before = current_version(db)
    if before > LATEST:
        raise MigrationError(
            f"database schema version {before} is newer than this app supports ({LATEST}); "
            "please update Loket DTKS"
        )
    done = {r[0] for r in db.execute_sql("SELECT version FROM schema_version").fetchall()}
    pending = [m for m in MIGRATIONS if m[0] not in done and m[0] <= upto]  # in list order
    if not pending:
        return before
    if before > 0:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_copy(db, path.with_name(f"{path.name}.v{before}-{stamp}.bak"))
    for version, name, sql in pending:
        with db.atomic():
            conn = db.connection()
            for statement in _statements(sql):
                conn.execute(statement)
            db.execute_sql(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, dt.datetime.now(dt.UTC).isoformat()),
            )
    return before


def _statements(sql: str) -> list[str]:
    """Split a migration into complete statements (triggers contain inner semicolons)."""
    statements, buffer = [], ""
    for line in sql.strip().splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise MigrationError(f"incomplete SQL statement in migration: {buffer[:60]!r}")
    return statements
