"""Databases of a version before encryption (issue 4). Part of the service layer.

A plain SQLite database with officers (whose argon2id hashes it still holds) is encrypted at
the login of an officer who may manage officers; a plain one without officers is encrypted at
set-up (app/services/auth.py).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.db import audit, keystore, officers
from app.db.connection import is_plain_sqlite
from app.db.encryption import encrypt_in_place, plain_files_beside
from app.db.keystore import DEFAULT_KDF, KdfParams
from app.paths import AppPaths
from app.services import roster, session
from app.services.actions import AuthError, Officer, require
from app.services.session import WRONG_LOGIN


def needs_encryption(paths: AppPaths) -> bool:
    """A plain database from a version before encryption, with officers: an admin's login
    encrypts it (`encrypt_legacy`)."""
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
    encrypt_plain_files(paths, key)
    keystore.create(paths.db, key)
    private = keystore.wrap_for(paths.db, username, password, key, kdf)
    session.open_home(paths, key)
    audit.append("database.encrypt", officer=username)
    roster.check_login(username, private)  # the table as it stands, signed by this manager
    return officer, recovery


def encrypt_plain_files(paths: AppPaths, key: bytes) -> None:
    """The database (if it exists and is plain) and every plain copy beside it."""
    for path in [paths.db, *plain_files_beside(paths.db, paths.backups)]:
        if is_plain_sqlite(path):
            encrypt_in_place(path, key)
