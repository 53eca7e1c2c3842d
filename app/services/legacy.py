"""Databases of a version before encryption (issue 4). Part of the service layer.

A plain SQLite database with officers (whose argon2id hashes it still holds) is encrypted at
the login of an officer who may manage officers; a plain one without officers is encrypted at
set-up (app/services/auth.py). Both go through `encrypt_home`, which a power cut cannot split
into a lost key: the key file is written, sealed for the officer, before the database changes,
and `settle_encryption` (run before anything asks whether a home is set up) finishes or
forgets what a cut interrupted.
"""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.db import audit, encryption, keystore, officers
from app.db.connection import is_plain_sqlite
from app.db.encryption import encrypt_in_place, plain_files_beside
from app.db.keystore import DEFAULT_KDF, KdfParams
from app.paths import AppPaths
from app.services import roster, session
from app.services.actions import AuthError, Officer, require
from app.services.session import WRONG_LOGIN


def needs_encryption(paths: AppPaths) -> bool:
    """A plain database from a version before encryption, with officers: an admin's login
    encrypts it (`encrypt_legacy`). An encryption a power cut interrupted is settled first."""
    settle_encryption(paths)
    return (
        not keystore.exists(paths.db)
        and is_plain_sqlite(paths.db)
        and bool(officers.legacy_officers(paths.db))
    )


def encrypt_legacy(
    paths: AppPaths, username: str, password: str, kdf: KdfParams = DEFAULT_KDF
) -> tuple[Officer, str]:
    """Encrypt a plain database of an earlier version, on the login of an officer who may
    manage officers (checked against the old stored hash). The other officers get a password
    reset from the admin afterwards. Returns the officer and the new recovery key."""
    row = officers.legacy_officers(paths.db).get(username)
    hasher = PasswordHasher()
    try:
        if row is None or not row[3]:
            raise VerificationError
        hasher.verify(row[2], password)
    except (VerificationError, InvalidHashError):
        raise AuthError(WRONG_LOGIN) from None
    officer = Officer(username, row[0], row[1])
    require(officer, "officer.manage")
    key, recovery = keystore.new_database_key()
    private = encrypt_home(paths, key, username, password, kdf)
    session.open_home(paths, key)
    audit.append("database.encrypt", officer=username)
    encrypt_copies(paths, key, username)
    roster.check_login(username, private)  # the table as it stands, signed by this manager
    recovery_handed(paths.db)
    return officer, recovery


def encrypt_home(
    paths: AppPaths, key: bytes, username: str, password: str, kdf: KdfParams
) -> bytes:
    """Start the home's key file, with `username`'s entry, for the database key `key`, and
    encrypt the database with it when it is a plain file of an earlier version (the plain
    copies beside it are the caller's, once the database is open: `encrypt_copies`). Returns
    the officer's signing private key.

    Power-cut safe: the encrypted copy is made beside the database (`encryption.stage`) and
    the key file beside the copy; the copy takes the database's place (`encryption.swap`: the
    step that commits), then the key file the database's key file. A cut before the swap leaves
    the plain database as it was (its admin encrypts it again); one after it leaves a key file
    beside, which `settle_encryption` puts in place. Before, the database was encrypted first
    and its key written after, so a cut between them left a database no key opened."""
    copy = encryption.staged(paths.db)
    plain = is_plain_sqlite(paths.db)
    encryption.recovery_marker(paths.db).touch()  # until `recovery_handed`
    if plain:
        encryption.stage(paths.db, key)
    keystore.create(copy, key)
    private = keystore.wrap_for(copy, username, password, key, kdf)
    if plain:
        encryption.swap(paths.db)
    encryption.adopt_key_file(copy, paths.db)
    return private


def encrypt_copies(paths: AppPaths, key: bytes, username: str) -> None:
    """Every plain copy an earlier version left beside the open database (rotating backups,
    migration copies), encrypted with `key`: right after the database itself, and at each
    login while one is left (a power cut in the middle of them). A copy that cannot be
    encrypted (a damaged file) is left as it is and named in the audit log for support
    (`database.encrypt.failed`): it never keeps an officer out, nor a recovery key from being
    shown."""
    failed = []
    for path in plain_files_beside(paths.db, paths.backups):
        try:
            encrypt_in_place(path, key)
        except encryption.EncryptionError:
            failed.append(path.name)
    if failed:
        audit.append("database.encrypt.failed", officer=username, detail={"files": failed})


def settle_encryption(paths: AppPaths) -> None:
    """Finish or forget an `encrypt_home` a power cut interrupted, then clear what the cut left
    beside the files (`encryption.settle_leftovers`). Cheap when there is nothing: two look-ups
    and two folder listings."""
    copy = encryption.staged(paths.db)
    if keystore.exists(copy):
        if copy.exists() or is_plain_sqlite(paths.db) or keystore.exists(paths.db):
            encryption.discard_key_file(copy)  # the copy never took the database's place
        else:
            encryption.adopt_key_file(copy, paths.db)  # it did: its key file follows
    if not keystore.exists(paths.db):  # a recovery key of a run forgotten: no key it opens
        recovery_handed(paths.db)
    encryption.settle_leftovers(paths.db, paths.backups)


def recovery_handed(db: Path) -> None:
    """The recovery key of the database's key is on its way to the officer (returned by
    set-up, encryption or a re-key, to be shown): the marker `encrypt_home` left goes."""
    encryption.recovery_marker(db).unlink(missing_ok=True)


def recovery_key_lost(paths: AppPaths) -> bool:
    """A set-up or encryption was cut (a power cut) after the key file was in place and
    before its recovery key was shown: the database key has no recovery key on paper until a
    re-key makes one."""
    return keystore.exists(paths.db) and encryption.recovery_marker(paths.db).exists()
