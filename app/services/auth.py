"""Officers, roles, logins and the database key (DESIGN §8, issue 4). Part of the service layer.

A login unwraps the database key with the officer's password (app/db/keystore.py: argon2id, then
AES-GCM): a wrong password simply fails to unwrap, so no password hash is stored anywhere.
The key then opens the SQLCipher database (`app.db.open_database`) and stays in memory for the
session, so that new officers and password resets can be given their own wrapped copy.
A failed login says nothing about which part was wrong, and each further failure waits longer;
a typed user name that is no officer here is kept only as a tag (`keystore.login_name`), since
it may be a password typed into the wrong field. New passwords must be strong
(app/services/passwords.py). Closing an account re-keys the database (`_rekey`).
What each role may do is app/services/actions.py.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.errors import UserError
from app.db import audit, keystore, officers, open_database
from app.db.connection import WrongKeyError, close_db, database, is_plain_sqlite, rekey
from app.db.encryption import encrypt_in_place, plain_files_beside
from app.db.keystore import DEFAULT_KDF, KdfParams
from app.paths import AppPaths
from app.services.actions import ROLES as ROLES  # re-exported: callers use auth.ROLES and so on
from app.services.actions import AuthError as AuthError
from app.services.actions import Officer as Officer
from app.services.actions import require as require
from app.services.installation import current_village, village
from app.services.passwords import MIN_LENGTH, check_new_password

USERNAME = re.compile(r"^[a-z0-9._-]{3,32}$")
MIN_PASSWORD = MIN_LENGTH
FREE_FAILURES = 3  # after these, each failure waits 1, 2, 4 ... up to MAX_DELAY seconds
MAX_DELAY = 30.0
WRONG_LOGIN = "Nama pengguna atau kata sandi salah."


@dataclass
class _Session:
    db: Path
    key: bytes


_session: _Session | None = None


@dataclass(frozen=True)
class Rekeyed:
    """A re-keyed database: the new recovery key (for paper; the old one opens only older
    backups) and the officers whose old-format entries could not be carried over (they need a
    password reset)."""

    recovery: str
    dropped: list[str] = field(default_factory=list)


def _check_new(
    username: str, role: str, password: str, full_name: str = "", kelurahan: str | None = None
) -> None:
    if not USERNAME.match(username):
        raise AuthError("Nama pengguna 3-32 karakter: huruf kecil, angka, titik, - atau _.")
    if role not in ROLES:
        raise AuthError(f"Peran tidak dikenal: {role}. Pilihan: {', '.join(ROLES)}.")
    _check_password(password, username, full_name, kelurahan)


def _check_password(
    password: str, username: str, full_name: str = "", kelurahan: str | None = None
) -> None:
    """Strong enough (app/services/passwords.py), with the officer's names and the
    kelurahan (the open database's, unless given) as context."""
    if kelurahan is None and database.obj is not None and _session is not None:
        chosen = current_village()
        kelurahan = chosen.name if chosen else None
    check_new_password(password, (username, full_name, kelurahan))


def _open(paths: AppPaths, *keys: bytes) -> bytes:
    """Open the database with the first of `keys` that fits (the current key, then the staged
    key of a re-key that a power cut interrupted); settle such a re-key. Returns the key."""
    global _session
    paths.ensure()
    error: WrongKeyError | None = None
    for key in keys:
        try:
            open_database(paths.db, key)
        except WrongKeyError as exc:
            error = exc
            continue
        _session = _Session(paths.db, key)
        _settle_rekey(paths.db, key)
        return key
    assert error is not None
    raise AuthError(error.message, error.detail) from None


def _settle_rekey(db: Path, key: bytes) -> None:
    """A staged re-key left by a power cut: finished if the database has the new key,
    forgotten if it still has the old one."""
    staged = keystore.staged_key_check(db) if keystore.exists(db) else None
    if staged is None:
        return
    if staged == keystore.key_check(key):
        keystore.finish_rekey(db)
    else:
        keystore.abandon_rekey(db)


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
    paths: AppPaths,
    username: str,
    full_name: str,
    password: str,
    kdf: KdfParams = DEFAULT_KDF,
    kelurahan: str | None = None,
) -> tuple[Officer, str]:
    """First start: a new database key, the admin account, and the recovery key to print.
    A plain database from an earlier version without officers is encrypted, not replaced.
    `kelurahan` (a code, when already chosen) is context for the password check."""
    chosen = village(kelurahan) if kelurahan else None
    _check_new(username, "admin", password, full_name, chosen.name if chosen else "")
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
    name = keystore.login_name(paths.db, username)  # an unknown name: only its tag is kept
    failures = keystore.failures(paths.db, name)
    if failures >= FREE_FAILURES:
        sleep(min(MAX_DELAY, 2.0 ** (failures - FREE_FAILURES)))
    keys = keystore.unwrap_keys(paths.db, username, password)
    if not keys:
        keystore.record_failure(paths.db, name)
        raise AuthError(WRONG_LOGIN)
    try:
        key = _open(paths, *keys)
    except AuthError:  # a key file copied from an older database: the old key opens nothing
        keystore.record_failure(paths.db, name)
        raise AuthError(WRONG_LOGIN) from None
    row = officers.get(username)
    if row is None or not row.active:
        log_out()
        keystore.record_failure(paths.db, name)
        raise AuthError(WRONG_LOGIN)
    if keystore.is_legacy(paths.db, username):  # format 1: give it a key pair now
        keystore.wrap_for(paths.db, username, password, key, keystore.kdf_of(paths.db, username))
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
    _check_password(new_password, username, kelurahan="")
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
    try:
        _check_password(new_password, username, row.full_name)
    except AuthError:
        log_out()
        raise
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
    session = _session_key()
    _check_new(username, role, password, full_name)
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
    session = _session_key()
    row = officers.get(username)
    if row is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    _check_password(new_password, username, row.full_name)
    audit.append("officer.reset_password", officer=by.username, detail={"username": username})
    keystore.wrap_for(session.db, username, new_password, session.key, kdf)


def list_officers() -> list[Officer]:
    return [Officer(r.username, r.full_name, r.role) for r in officers.all_officers()]


# --- closing and reopening accounts (user management, issue 4) -------------------------------


def officer_accounts() -> list[tuple[Officer, bool]]:
    """Every officer with whether the account is active, by username."""
    return [(Officer(r.username, r.full_name, r.role), r.active) for r in officers.all_officers()]


def deactivate_officer(username: str, by: Officer) -> Rekeyed:
    """Close an account: it can no longer log in, its entry leaves the key file, and the
    database is re-keyed (`_rekey`), so even a copy of the old key file with the old password
    opens nothing live. Nobody closes their own account (so a manager always remains).
    Returns the new recovery key."""
    require(by, "officer.manage")
    if username == by.username:
        raise AuthError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    session = _session_key()
    row = officers.get(username)
    if row is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    if not row.active:
        raise AuthError(f"Akun {username} sudah nonaktif.")
    with database.atomic():
        officers.set_active(username, False)
        audit.append("officer.deactivate", officer=by.username, detail={"username": username})
    keystore.remove(session.db, username)
    try:
        return _rekey(session, by, "officer.deactivate")
    except UserError as exc:
        raise AuthError(
            f"Akun {username} sudah dinonaktifkan, tetapi kunci basis data belum diganti"
            f" ({exc}). Jalankan Ganti kunci basis data.",
            f"account closed, re-key failed: {exc.detail}",
        ) from None


def change_database_key(by: Officer | None) -> Rekeyed:
    """*Ganti kunci basis data*: re-key the database now (admin). Returns the new recovery
    key; backups made before keep the old key and open with the old recovery key."""
    by = require(by, "database.rekey")
    return _rekey(_session_key(), by, "manual")


def _rekey(session: _Session, by: Officer, reason: str) -> Rekeyed:
    """A new database key (and recovery key), sealed first for every officer left in the key
    file (no passwords needed), then `PRAGMA rekey`, then the key file switches over: a power
    cut at any point leaves a key file that opens the database (`_settle_rekey`)."""
    global _session
    key, recovery = keystore.new_database_key()
    dropped = keystore.stage_rekey(session.db, key)
    try:
        rekey(session.db, key)
    except UserError:
        keystore.abandon_rekey(session.db)
        raise
    keystore.finish_rekey(session.db)
    _session = _Session(session.db, key)
    audit.append(
        "database.rekey", officer=by.username, detail={"reason": reason, "dropped": dropped}
    )
    return Rekeyed(recovery, dropped)


def reactivate_officer(
    username: str, new_password: str, by: Officer, kdf: KdfParams = DEFAULT_KDF
) -> None:
    """Open a closed account again, with a new password (the old one was forgotten by the
    key file when the account was closed)."""
    require(by, "officer.manage")
    session = _session_key()
    row = officers.get(username)
    if row is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    _check_password(new_password, username, row.full_name)
    with database.atomic():
        officers.set_active(username, True)
        audit.append("officer.reactivate", officer=by.username, detail={"username": username})
    keystore.wrap_for(session.db, username, new_password, session.key, kdf)
