"""Officers, roles, logins and the database key (DESIGN §8, issue 4). Part of the service layer.

A login unwraps the database key with the officer's password (app/db/keystore.py: argon2id, then
AES-GCM): a wrong password simply fails to unwrap, so no password hash is stored anywhere.
The key then opens the SQLCipher database (`app.db.open_database`) and stays in memory for the
session, so that new officers and password resets can be given their own wrapped copy.
A failed login says nothing about which part was wrong, and each further failure waits longer.
What each role may do is app/services/actions.py.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.db import audit, keystore, officers, open_database
from app.db.connection import WrongKeyError, close_db, database, is_plain_sqlite
from app.db.encryption import encrypt_in_place, plain_files_beside
from app.db.keystore import DEFAULT_KDF, KdfParams
from app.paths import AppPaths
from app.services.actions import ROLES as ROLES  # re-exported: callers use auth.ROLES and so on
from app.services.actions import AuthError as AuthError
from app.services.actions import Officer as Officer
from app.services.actions import require as require

USERNAME = re.compile(r"^[a-z0-9._-]{3,32}$")
MIN_PASSWORD = 8
FREE_FAILURES = 3  # after these, each failure waits 1, 2, 4 ... up to MAX_DELAY seconds
MAX_DELAY = 30.0
WRONG_LOGIN = "Nama pengguna atau kata sandi salah."


@dataclass
class _Session:
    db: Path
    key: bytes


_session: _Session | None = None


def _check_new(username: str, role: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AuthError("Nama pengguna 3-32 karakter: huruf kecil, angka, titik, - atau _.")
    if role not in ROLES:
        raise AuthError(f"Peran tidak dikenal: {role}. Pilihan: {', '.join(ROLES)}.")
    _check_password(password)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"Kata sandi minimal {MIN_PASSWORD} karakter.")


def _open(paths: AppPaths, key: bytes) -> None:
    global _session
    paths.ensure()
    try:
        open_database(paths.db, key)
    except WrongKeyError as exc:
        raise AuthError(exc.message, exc.detail) from None
    _session = _Session(paths.db, key)


def log_out() -> None:
    global _session
    _session = None
    close_db()


# --- state of a home -------------------------------------------------------------------------


def is_set_up(paths: AppPaths) -> bool:
    """The home has its key file: officers log in."""
    return keystore.exists(paths.db)


def needs_encryption(paths: AppPaths) -> bool:
    """A plain database from a version before encryption, with officers: an admin's login
    encrypts it (`encrypt_legacy`)."""
    return (
        not is_set_up(paths)
        and is_plain_sqlite(paths.db)
        and bool(officers.legacy_officers(paths.db))
    )


# --- set-up, login, recovery -----------------------------------------------------------------


def set_up(
    paths: AppPaths, username: str, full_name: str, password: str, kdf: KdfParams = DEFAULT_KDF
) -> tuple[Officer, str]:
    """First start: a new database key, the admin account, and the recovery key to print.
    A plain database from an earlier version without officers is encrypted, not replaced."""
    _check_new(username, "admin", password)
    if is_set_up(paths):
        raise AuthError("Loket ini sudah disiapkan; masuk dengan akun yang ada.")
    if needs_encryption(paths):
        raise AuthError("Basis data lama sudah punya petugas: admin masuk untuk mengenkripsinya.")
    paths.ensure()
    key, recovery = keystore.new_database_key()
    _encrypt_plain_files(paths, key)
    keystore.create(paths.db, key)
    keystore.wrap_for(paths.db, username, password, key, kdf)
    _open(paths, key)
    with database.atomic():
        officers.insert(username, full_name or username, "admin")
        audit.append("officer.create", officer=username, detail={"username": username})
        audit.append("setup", officer=username)
    return Officer(username, full_name or username, "admin"), recovery


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
    _encrypt_plain_files(paths, key)
    keystore.create(paths.db, key)
    keystore.wrap_for(paths.db, username, password, key, kdf)
    _open(paths, key)
    audit.append("database.encrypt", officer=username)
    return officer, recovery


def _encrypt_plain_files(paths: AppPaths, key: bytes) -> None:
    """The database (if it exists and is plain) and every plain copy beside it."""
    for path in [paths.db, *plain_files_beside(paths.db, paths.backups)]:
        if is_plain_sqlite(path):
            encrypt_in_place(path, key)


def log_in(
    paths: AppPaths,
    username: str,
    password: str,
    sleep: Callable[[float], None] = time.sleep,
) -> Officer:
    """Unlock and open the database as `username`; AuthError (same words whatever was wrong)."""
    if not is_set_up(paths):
        raise AuthError("Loket ini belum disiapkan: buat akun admin terlebih dahulu.")
    failures = keystore.failures(paths.db, username)
    if failures >= FREE_FAILURES:
        sleep(min(MAX_DELAY, 2.0 ** (failures - FREE_FAILURES)))
    key = keystore.unwrap(paths.db, username, password)
    if key is None:
        keystore.record_failure(paths.db, username)
        raise AuthError(WRONG_LOGIN)
    _open(paths, key)
    row = officers.get(username)
    if row is None or not row.active:
        log_out()
        keystore.record_failure(paths.db, username)
        raise AuthError(WRONG_LOGIN)
    pending = keystore.pending_failures(paths.db)
    with database.atomic():
        for attempt in pending:
            audit.append("login.failed", detail=attempt)
        audit.append("login", officer=username)
    keystore.clear_failures(paths.db, username, audited=len(pending))
    return Officer(row.username, row.full_name, row.role)


def confirm_password(officer: Officer, password: str) -> None:
    """The idle lock: the logged-in officer types the password again."""
    if _session is None or keystore.unwrap(_session.db, officer.username, password) is None:
        if _session is not None:
            keystore.record_failure(_session.db, officer.username)
        raise AuthError(WRONG_LOGIN)


def recover(
    paths: AppPaths,
    recovery: str,
    username: str,
    new_password: str,
    kdf: KdfParams = DEFAULT_KDF,
) -> Officer:
    """With the paper recovery key: open the database and give `username` (an officer who may
    manage officers) a new password. Works even when the key file was lost."""
    _check_password(new_password)
    key = keystore.key_from_recovery(recovery)
    if key is None or (is_set_up(paths) and not keystore.matches(paths.db, key)):
        raise AuthError("Kunci pemulihan salah.")
    if not paths.db.exists():
        raise AuthError("Basis data tidak ditemukan.")
    try:
        _open(paths, key)
    except AuthError:
        raise AuthError("Kunci pemulihan salah.") from None
    if not is_set_up(paths):  # the key file was lost: start a new one
        keystore.create(paths.db, key)
    row = officers.get(username)
    officer = None if row is None else Officer(row.username, row.full_name, row.role)
    if officer is None or row is None or not row.active or not officer.may("officer.manage"):
        log_out()
        raise AuthError(f"{username} bukan admin/supervisor yang aktif.")
    keystore.wrap_for(paths.db, username, new_password, key, kdf)
    audit.append("officer.recover", officer=username, detail={"username": username})
    return officer


# --- officers --------------------------------------------------------------------------------


def _session_key() -> _Session:
    if _session is None:
        raise AuthError("Anda belum masuk.")
    return _session


def create_officer(
    username: str,
    full_name: str,
    role: str,
    password: str,
    by: Officer | None,
    kdf: KdfParams = DEFAULT_KDF,
) -> Officer:
    """Add an account; `by` must be allowed to manage officers. The new officer's password
    gets its own wrapped copy of the database key."""
    by = require(by, "officer.manage")
    _check_new(username, role, password)
    session = _session_key()
    if officers.get(username) is not None:
        raise AuthError(f"Nama pengguna {username} sudah dipakai.")
    with database.atomic():
        officers.insert(username, full_name, role)
        audit.append(
            "officer.create", officer=by.username, detail={"username": username, "role": role}
        )
    keystore.wrap_for(session.db, username, password, session.key, kdf)
    return Officer(username, full_name, role)


def reset_password(
    username: str, new_password: str, by: Officer, kdf: KdfParams = DEFAULT_KDF
) -> None:
    """An admin or supervisor sets a forgotten password anew."""
    require(by, "officer.manage")
    _check_password(new_password)
    session = _session_key()
    if officers.get(username) is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    audit.append("officer.reset_password", officer=by.username, detail={"username": username})
    keystore.wrap_for(session.db, username, new_password, session.key, kdf)


def list_officers() -> list[Officer]:
    return [Officer(r.username, r.full_name, r.role) for r in officers.all_officers()]


# --- closing and reopening accounts (user management, issue 4) -------------------------------


def officer_accounts() -> list[tuple[Officer, bool]]:
    """Every officer with whether the account is active, by username."""
    return [(Officer(r.username, r.full_name, r.role), r.active) for r in officers.all_officers()]


def deactivate_officer(username: str, by: Officer) -> None:
    """Close an account: it can no longer log in and its password no longer unwraps the
    database key. Nobody closes their own account (so a manager always remains)."""
    require(by, "officer.manage")
    if username == by.username:
        raise AuthError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    session = _session_key()
    if officers.get(username) is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    with database.atomic():
        officers.set_active(username, False)
        audit.append("officer.deactivate", officer=by.username, detail={"username": username})
    keystore.remove(session.db, username)


def reactivate_officer(
    username: str, new_password: str, by: Officer, kdf: KdfParams = DEFAULT_KDF
) -> None:
    """Open a closed account again, with a new password (the old one was forgotten by the
    key file when the account was closed)."""
    require(by, "officer.manage")
    _check_password(new_password)
    session = _session_key()
    if officers.get(username) is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    with database.atomic():
        officers.set_active(username, True)
        audit.append("officer.reactivate", officer=by.username, detail={"username": username})
    keystore.wrap_for(session.db, username, new_password, session.key, kdf)
