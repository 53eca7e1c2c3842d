"""Frozen SQL of migrations 1–12 (the founding schema up to peer kinds). Never edit: add a new
migration in app/db/sql_v13_on.py and list it in app/db/migrations.py."""

V1_CORE = """
CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE region (
    code TEXT PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, parent_code TEXT);
CREATE INDEX region_parent_code ON region (parent_code);
CREATE TABLE household (
    id TEXT PRIMARY KEY,
    no_kk TEXT,
    village_code TEXT NOT NULL,
    rw INTEGER,
    rt INTEGER,
    address TEXT,
    phone TEXT,
    housing TEXT NOT NULL,
    assets TEXT NOT NULL,
    musyawarah TEXT NOT NULL,
    status TEXT NOT NULL,
    registration_number TEXT UNIQUE,
    exclusions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev TEXT,
    revs TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX household_no_kk ON household (no_kk);
CREATE INDEX household_village_rw_rt ON household (village_code, rw, rt);
CREATE INDEX household_updated_at ON household (updated_at, id);
CREATE TABLE member (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    household_id TEXT NOT NULL REFERENCES household (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    nik TEXT,
    name TEXT,
    sex INTEGER,
    birth_place TEXT,
    birth_date TEXT,
    relationship INTEGER,
    marital_status INTEGER,
    school_participation INTEGER,
    education_level INTEGER,
    employment_position INTEGER,
    public_post TEXT NOT NULL,
    permanent_employee INTEGER NOT NULL,
    disability TEXT NOT NULL,
    chronic_illness INTEGER,
    pregnant INTEGER NOT NULL);
CREATE INDEX member_household_id ON member (household_id, position);
CREATE INDEX member_nik ON member (nik);
CREATE TABLE draft (
    household_id TEXT PRIMARY KEY, document TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE registration_counter (
    village_code TEXT NOT NULL, device_code TEXT NOT NULL, last INTEGER NOT NULL,
    PRIMARY KEY (village_code, device_code));
"""

V2_NAME_SEARCH = """
CREATE VIRTUAL TABLE member_name_fts USING fts5(
    name, content='member', content_rowid='pk', tokenize='trigram');
INSERT INTO member_name_fts (rowid, name) SELECT pk, name FROM member;
CREATE TRIGGER member_name_fts_insert AFTER INSERT ON member BEGIN
    INSERT INTO member_name_fts (rowid, name) VALUES (new.pk, new.name);
END;
CREATE TRIGGER member_name_fts_delete AFTER DELETE ON member BEGIN
    INSERT INTO member_name_fts (member_name_fts, rowid, name) VALUES ('delete', old.pk, old.name);
END;
CREATE TRIGGER member_name_fts_update AFTER UPDATE OF name ON member BEGIN
    INSERT INTO member_name_fts (member_name_fts, rowid, name) VALUES ('delete', old.pk, old.name);
    INSERT INTO member_name_fts (rowid, name) VALUES (new.pk, new.name);
END;
"""

V3_AUDIT_LOG = """
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    officer TEXT,
    action TEXT NOT NULL,
    household_id TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL);
CREATE INDEX audit_log_household ON audit_log (household_id, seq);
CREATE INDEX audit_log_officer ON audit_log (officer, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
"""

V4_OFFICERS = """
CREATE TABLE officer (
    username TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL);
"""

# (version, name, SQL). Append only; never edit a migration that has shipped.
# Passwords no longer live in the database: each officer's password unwraps the database key
# (app/db/keystore.py), which is the password check; failed logins are counted in the key file.

V5_PASSWORDS_IN_KEY_FILE = """
ALTER TABLE officer DROP COLUMN password_hash;
ALTER TABLE officer DROP COLUMN failed_logins;
"""

# One row per receipt handed out: copy 0 is the original, copy n the n-th reprint (SALINAN).

V6_RECEIPTS = """
CREATE TABLE receipt (
    number INTEGER PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES household (id),
    registration_number TEXT NOT NULL,
    copy INTEGER NOT NULL,
    paper TEXT NOT NULL,
    printed_by TEXT,
    printed_at TEXT NOT NULL,
    verification TEXT NOT NULL,
    UNIQUE (household_id, copy));
"""

# Supervisors' overrides of exclusions resting on wrong data (issue 4), kept with the household.

V7_EXCLUSION_OVERRIDES = """
ALTER TABLE household ADD COLUMN exclusion_overrides TEXT NOT NULL DEFAULT '[]';
"""

# Installations whose bundles this one accepts (issue 6): trusted after comparing fingerprints.

V8_PEERS = """
CREATE TABLE peer (
    name TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    kelurahan TEXT,
    signing_key TEXT NOT NULL,
    age_recipient TEXT NOT NULL,
    trusted_by TEXT NOT NULL,
    trusted_at TEXT NOT NULL);
"""

# Sync bundles (issue 6). `change_seq` orders local changes so an export holds only what changed
# since the last export to that peer; `conflict` keeps the versions that lost a conflict until a
# supervisor resolves it; `bundle_log` is every bundle made or taken in, by id (idempotence,
# sequence gaps, acknowledgements); `bundle_outcome` is what became of each household of a
# bundle taken in, for the acknowledgement; `matching` holds Dinsos's matching results
# (Dukcapil, Bapenda) that come back in bundles.

V9_BUNDLES = """
ALTER TABLE household ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
UPDATE household SET change_seq = rowid;
CREATE INDEX household_change_seq ON household (change_seq);
CREATE TABLE conflict (
    household_id TEXT NOT NULL REFERENCES household (id) ON DELETE CASCADE,
    rev TEXT NOT NULL,
    document TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (household_id, rev));
CREATE TABLE bundle_log (
    bundle_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    direction TEXT NOT NULL,
    peer TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    manifest_hash TEXT NOT NULL,
    previous_hash TEXT,
    created_at TEXT NOT NULL,
    logged_at TEXT NOT NULL,
    officer TEXT,
    counts TEXT NOT NULL,
    acknowledged_at TEXT,
    ack_counts TEXT);
CREATE INDEX bundle_log_peer ON bundle_log (peer, direction, kind, sequence);
CREATE TABLE bundle_outcome (
    bundle_id TEXT NOT NULL REFERENCES bundle_log (bundle_id) ON DELETE CASCADE,
    household_id TEXT NOT NULL,
    rev TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (bundle_id, household_id, rev));
ALTER TABLE peer ADD COLUMN sent_change_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE household ADD COLUMN matching TEXT NOT NULL DEFAULT 'null';
"""

# Duplicates and withdrawal (issue 14). `withdrawal` (a registration cancelled: reason, who,
# when, the household merged into) and `duplicate_acceptances` (a supervisor kept a household
# whose No. KK / NIK another one holds) are document fields, so they travel as revisions.
# `possible_duplicate` is this installation's own work list: a household taken in from a bundle
# whose No. KK or NIK a different household already holds, until a supervisor merges the two
# (one is withdrawn) or keeps both (an acceptance); both decisions are edits of a document, so
# a pair whose question is settled (here or elsewhere) simply drops out of the list.

V10_DUPLICATES = """
ALTER TABLE household ADD COLUMN withdrawal TEXT NOT NULL DEFAULT 'null';
ALTER TABLE household ADD COLUMN duplicate_acceptances TEXT NOT NULL DEFAULT '[]';
CREATE TABLE possible_duplicate (
    household_id TEXT NOT NULL,
    other_id TEXT NOT NULL,
    matched TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    found_at TEXT NOT NULL,
    PRIMARY KEY (household_id, other_id));
CREATE INDEX possible_duplicate_other ON possible_duplicate (other_id);
"""

# Audit chain heads of peers (issue 15). Each bundle's signed manifest carries the sender's audit
# chain head (entry count and hash of the last entry) and the hashes of its entries at the counts
# of the bundles it sent this installation before; `bundle_log` keeps the head of every bundle
# (ours sent, theirs taken in). A head that does not extend the one received before is noted
# in `audit_warning` and stays listed until a supervisor acknowledges it.

V11_AUDIT_HEADS = """
ALTER TABLE bundle_log ADD COLUMN audit_count INTEGER;
ALTER TABLE bundle_log ADD COLUMN audit_hash TEXT;
CREATE TABLE audit_warning (
    id INTEGER PRIMARY KEY,
    peer TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    before_count INTEGER,
    after_count INTEGER,
    found_at TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TEXT);
CREATE INDEX audit_warning_open ON audit_warning (acknowledged_at, peer);
"""

# Peers trusted before kinds existed become field laptops (app/core/ownership.py
# DEFAULT_PEER_KIND): their bundles may change registration data only.

V12_PEER_KINDS = """
ALTER TABLE peer ADD COLUMN kind TEXT NOT NULL DEFAULT 'laptop';
"""

# Musyawarah kelurahan as a meeting (issue 17): the meeting, who attended, what it decided.
# No foreign key to `household`: a meeting record may arrive (sync) before its households.
