"""Frozen SQL of migrations 13 onwards. Append a new migration here (and list it in
app/db/migrations.py); never edit one that has shipped."""

V13_SIGNATURES = """
ALTER TABLE officer ADD COLUMN signing_keys TEXT NOT NULL DEFAULT '[]';
CREATE TABLE officer_roster (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    payload TEXT NOT NULL,
    signer TEXT NOT NULL,
    signer_key TEXT NOT NULL,
    signature TEXT NOT NULL,
    signed_at TEXT NOT NULL);
CREATE TABLE signed_decision (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    signer TEXT NOT NULL,
    signer_key TEXT,
    signature TEXT,
    signed_at TEXT NOT NULL);
CREATE INDEX signed_decision_subject ON signed_decision (subject, id);
"""

V14_BUNDLE_CONTENT = """
CREATE TABLE IF NOT EXISTS bundle_content (
    bundle_id TEXT NOT NULL REFERENCES bundle_log (bundle_id) ON DELETE CASCADE,
    household_id TEXT NOT NULL,
    rev TEXT NOT NULL,
    PRIMARY KEY (bundle_id, household_id, rev)) WITHOUT ROWID;
"""

# Personal signatures (issue 15): each officer's signing public keys (oldest first); the officer
# table as signed by an officer who may manage officers; decisions that need a role, each signed
# by the deciding officer (app/services/signing.py; unsigned: signer_key and signature NULL).

V15_MEETINGS = """
CREATE TABLE meeting (
    id TEXT PRIMARY KEY,
    village_code TEXT NOT NULL,
    date TEXT NOT NULL,
    time TEXT,
    place TEXT NOT NULL,
    chair TEXT,
    rw INTEGER,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'locked')),
    minutes_number TEXT,
    printed_verification TEXT,
    verification TEXT,
    corrects TEXT REFERENCES meeting (id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    locked_by TEXT,
    locked_at TEXT);
CREATE INDEX meeting_village_date ON meeting (village_code, date);
CREATE TABLE meeting_participant (
    pk INTEGER PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    represents TEXT);
CREATE INDEX meeting_participant_meeting ON meeting_participant (meeting_id, pk);
CREATE TABLE meeting_decision (
    meeting_id TEXT NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    household_id TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('eligible', 'not_poor', 'postpone')),
    reason TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    data_hash TEXT,
    PRIMARY KEY (meeting_id, household_id));
CREATE INDEX meeting_decision_household ON meeting_decision (household_id);
"""

# What each bundle this installation sent carried (issue 15): an acknowledgement is taken
# only for bundles sent to its sender, and only for the households and revisions they held.
# IF NOT EXISTS: tolerant of the order other migrations of this release land in.

# Attachments (issue 18): scans and photos of a household (ktp, kk, house-front, house-inside)
# or of a meeting (the signed BA scan), stored as BLOBs inside the encrypted database.
# `attachment` holds the reference (travels in every bundle later); `attachment_blob` the bytes,
# content-addressed by SHA-256, so a reference may exist without its bytes (a bundle sent
# without attachments) and the same bytes are stored once. No foreign keys: a reference may
# arrive before its household or meeting.
V17_ATTACHMENTS = """
CREATE TABLE IF NOT EXISTS attachment_blob (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS attachment (
    id TEXT PRIMARY KEY,
    household_id TEXT,
    meeting_id TEXT,
    kind TEXT NOT NULL
        CHECK (kind IN ('ktp', 'kk', 'house-front', 'house-inside', 'ba-scan')),
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'application/pdf')),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    CHECK ((household_id IS NULL) <> (meeting_id IS NULL)));
CREATE INDEX IF NOT EXISTS attachment_household ON attachment (household_id, added_at);
CREATE INDEX IF NOT EXISTS attachment_meeting ON attachment (meeting_id, added_at);
"""

# Records received in bundles (issue 17/15): a kelurahan's locked meetings (read-only copies,
# attributed to the sender), the signed decisions that came with them and with households, each
# sender's signed officer table and the key pinned for it, and meetings' decisions that arrived
# for a household another meeting here already decided (conflicts, until a supervisor settles).
# IF NOT EXISTS: tolerant of the order other migrations of this release land in.

V18_RECEIVED_RECORDS = """
CREATE TABLE IF NOT EXISTS received_meeting (
    id TEXT PRIMARY KEY,
    peer TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    village_code TEXT NOT NULL,
    date TEXT NOT NULL,
    minutes_number TEXT,
    verification TEXT,
    record TEXT NOT NULL,
    received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS received_meeting_decision (
    meeting_id TEXT NOT NULL REFERENCES received_meeting (id) ON DELETE CASCADE,
    household_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT,
    data_hash TEXT,
    PRIMARY KEY (meeting_id, household_id));
CREATE INDEX IF NOT EXISTS received_meeting_decision_household
    ON received_meeting_decision (household_id);
CREATE TABLE IF NOT EXISTS received_decision (
    id INTEGER PRIMARY KEY,
    peer TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    signer TEXT NOT NULL,
    signer_key TEXT,
    signature TEXT,
    signed_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (peer, kind, subject, signer, signed_at));
CREATE INDEX IF NOT EXISTS received_decision_subject ON received_decision (subject);
CREATE TABLE IF NOT EXISTS peer_roster (
    peer TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    signer TEXT NOT NULL,
    signer_key TEXT NOT NULL,
    signature TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    pinned_key TEXT NOT NULL,
    received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meeting_conflict (
    id INTEGER PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    other_meeting_id TEXT NOT NULL,
    peer TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    found_at TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT,
    UNIQUE (meeting_id, household_id, other_meeting_id));
"""

# Household schema v2 (issue 18): what SIKS-NG matching uses. Existing rows read as version 2
# with the new answers empty (app/core/upgrade.py); house_photo starts as "no photo".
V16_SCHEMA_V2 = """
ALTER TABLE member ADD COLUMN mother_name TEXT;
ALTER TABLE member ADD COLUMN occupation TEXT;
ALTER TABLE member ADD COLUMN dtks_id TEXT;
ALTER TABLE member ADD COLUMN presence TEXT;
ALTER TABLE household ADD COLUMN dtks_id TEXT;
ALTER TABLE household ADD COLUMN house_photo INTEGER NOT NULL DEFAULT 0;
"""
