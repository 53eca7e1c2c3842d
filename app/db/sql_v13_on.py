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
