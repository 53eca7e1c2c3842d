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

# Dinsos' news about a household (issue 19, app/core/dinsos_events.py): target list, SIKS-NG,
# verification, determination, ID DTKS, duplicates in another kelurahan. Oldest first, JSON.
V19_DINSOS_EVENTS = """
ALTER TABLE household ADD COLUMN dinsos_events TEXT NOT NULL DEFAULT '[]';
"""

# Attachment tombstones (issue 18): a deleted attachment keeps its reference, marked with who
# deleted it and when, so the deletion travels in bundles and an older bundle cannot bring the
# attachment back; its bytes are dropped (app/db/attachments.py).
V20_ATTACHMENT_TOMBSTONES = """
ALTER TABLE attachment ADD COLUMN deleted_at TEXT;
ALTER TABLE attachment ADD COLUMN deleted_by TEXT;
"""

# Daftar sasaran tetap per kota (issue 19, app/db/target_lists.py): a Dinsos list, determined
# (locked) when it is made and never changed again: the triggers refuse any UPDATE or DELETE.
# Members keep what the penetapan printed (head's name, masked NIK, address) as of that day.
V21_TARGET_LISTS = """
CREATE TABLE target_list (
    number TEXT PRIMARY KEY,
    kota TEXT NOT NULL,
    date TEXT NOT NULL,
    signatory_name TEXT,
    signatory_title TEXT NOT NULL,
    signatory_nip TEXT,
    verification TEXT NOT NULL,
    households INTEGER NOT NULL,
    locked_by TEXT NOT NULL,
    locked_at TEXT NOT NULL);
CREATE INDEX target_list_kota ON target_list (kota, date);
CREATE TABLE target_list_member (
    number TEXT NOT NULL REFERENCES target_list (number),
    household_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    village_code TEXT NOT NULL,
    registration_number TEXT,
    head_name TEXT,
    head_nik_masked TEXT,
    address TEXT,
    rw INTEGER,
    rt INTEGER,
    members INTEGER NOT NULL,
    PRIMARY KEY (number, household_id));
CREATE INDEX target_list_member_household ON target_list_member (household_id);
CREATE TRIGGER target_list_locked_update BEFORE UPDATE ON target_list
BEGIN SELECT RAISE(ABORT, 'target list is locked'); END;
CREATE TRIGGER target_list_locked_delete BEFORE DELETE ON target_list
BEGIN SELECT RAISE(ABORT, 'target list is locked'); END;
CREATE TRIGGER target_list_member_locked_update BEFORE UPDATE ON target_list_member
BEGIN SELECT RAISE(ABORT, 'target list is locked'); END;
CREATE TRIGGER target_list_member_locked_delete BEFORE DELETE ON target_list_member
BEGIN SELECT RAISE(ABORT, 'target list is locked'); END;
"""

# Return bundles (issue 19): the kelurahan each trusted kelurahan-kind peer serves, noted from
# the bundles it sends (the signed manifest's kelurahan, else its households' village codes),
# so Dinsos knows where each kelurahan's news goes (app/services/sync/returns.py); existing
# bundles fill it in. The two indexes answer "does this peer hold this revision already".
V22_PEER_VILLAGES = """
CREATE TABLE IF NOT EXISTS peer_village (
    peer TEXT NOT NULL,
    village_code TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (peer, village_code)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS peer_village_village ON peer_village (village_code);
CREATE INDEX IF NOT EXISTS bundle_outcome_household ON bundle_outcome (household_id, rev);
CREATE INDEX IF NOT EXISTS bundle_content_household ON bundle_content (household_id, rev);
INSERT OR IGNORE INTO peer_village (peer, village_code, first_seen, last_seen)
SELECT l.peer, h.village_code, MIN(l.logged_at), MAX(l.logged_at) FROM bundle_log l
JOIN peer p ON p.fingerprint = l.peer AND p.kind = 'kelurahan'
JOIN bundle_outcome o ON o.bundle_id = l.bundle_id AND o.outcome != 'rejected'
JOIN household h ON h.id = o.household_id
WHERE l.direction = 'in' AND l.kind = 'households' GROUP BY l.peer, h.village_code;
"""

# The Dinsos overview (issue 19) counts households by kelurahan and status: the (village, RW,
# RT) index now ends with the status, so that count reads the index alone instead of the wide
# rows (7.6 s -> 0.3 s at 640,000 households); replacing it keeps one index to write on import.
V24_HOUSEHOLD_VILLAGE_STATUS = """
DROP INDEX IF EXISTS household_village_rw_rt;
CREATE INDEX IF NOT EXISTS household_village_rw_rt_status
    ON household (village_code, rw, rt, status);
"""

# Import speed (issue 20): the two indexes of migration 22 cost every import (a bundle_outcome
# row per household) and export (a bundle_content row per household); the return bundles' "does
# this peer hold this revision" is answered from the primary keys instead (app/db/peers.py:
# each peer's rows read by bundle, once per query).
V23_DROP_HOLDER_INDEXES = """
DROP INDEX IF EXISTS bundle_outcome_household;
DROP INDEX IF EXISTS bundle_content_household;
"""

# The household list (issue 19, Dinsos scale): its default order, newest change first, read
# from an index of live households alone (deleted ones are not in it), so neither the list nor
# its count reads the wide household rows (5 s -> 0.6 s at 640,000 households). It replaces the
# index on (updated_at, id): still one index to write on import.
V25_LIVE_HOUSEHOLDS_BY_CHANGE = """
DROP INDEX IF EXISTS household_updated_at;
CREATE INDEX IF NOT EXISTS household_live_updated_at ON household (updated_at, id)
    WHERE deleted = 0;
"""

# Possible duplicates of a bundle in bulk (issue 20, app/db/duplicates.shared_values): the
# look-up meets ~200,000 other households for a 50,000-household bundle of demo data at Dinsos.
# A partial index holds only the households that are deleted, withdrawn or hold a supervisor's
# acceptance (few: a plain household has no entry, an insert pays only the check of the
# condition), so the look-up knows the others' state without reading each one's wide row.
# (Covering NIK / No. KK indexes that carry the household id were measured too: they halve the
# look-up but cost every import more than they save, 2.4M rows: +6 s CPU of index upkeep.)
V26_HOUSEHOLD_DUPLICATE_MARKS = """
CREATE INDEX IF NOT EXISTS household_duplicate_marks ON household (id)
    WHERE deleted != 0 OR status = 'withdrawn' OR duplicate_acceptances != '[]';
"""

# Export speed (issue 20): the export copies each household's JSON columns into its document as
# they are stored (app/db/canonical.py), which needs them minified as orjson writes them (every
# save does: households.household_row); a database written otherwise (by hand, or by a tool)
# has them rewritten minified once here. json() changes nothing else in what they say.
V27_MINIFIED_JSON_COLUMNS = """
UPDATE household SET housing = json(housing)
    WHERE json_valid(housing) AND housing != json(housing);
UPDATE household SET assets = json(assets)
    WHERE json_valid(assets) AND assets != json(assets);
UPDATE household SET musyawarah = json(musyawarah)
    WHERE json_valid(musyawarah) AND musyawarah != json(musyawarah);
UPDATE household SET exclusions = json(exclusions)
    WHERE json_valid(exclusions) AND exclusions != json(exclusions);
UPDATE household SET exclusion_overrides = json(exclusion_overrides)
    WHERE json_valid(exclusion_overrides) AND exclusion_overrides != json(exclusion_overrides);
UPDATE household SET matching = json(matching)
    WHERE json_valid(matching) AND matching != json(matching);
UPDATE household SET revs = json(revs)
    WHERE json_valid(revs) AND revs != json(revs);
UPDATE household SET withdrawal = json(withdrawal)
    WHERE json_valid(withdrawal) AND withdrawal != json(withdrawal);
UPDATE household SET duplicate_acceptances = json(duplicate_acceptances)
    WHERE json_valid(duplicate_acceptances)
    AND duplicate_acceptances != json(duplicate_acceptances);
UPDATE household SET dinsos_events = json(dinsos_events)
    WHERE json_valid(dinsos_events) AND dinsos_events != json(dinsos_events);
"""

# Who sent a Dinsos event (issue 19's timeline): how many of Dinsos' events the household held
# after each bundle from a peer that may send them was taken in (NULL: not noted, a bundle taken
# in before this migration or from a kelurahan or laptop), so the timeline knows exactly which
# bundle brought which event (events are only ever appended: the first bundle after which the
# household held more than i events brought event i).
V28_OUTCOME_EVENTS = """
ALTER TABLE bundle_outcome ADD COLUMN events INTEGER;
"""

# What each household's member rows hash to (households.members_digest, issue 20): a bundle
# import sees that a changed household keeps its members without reading them. NULL in the rows
# written before (unknown: their members are read, as before); every save writes it.
V29_MEMBERS_DIGEST = """
ALTER TABLE household ADD COLUMN members_digest BLOB;
"""
