"""Officers, roles, logins and the database key (DESIGN §8, issue 4). Part of the service layer.

A login unwraps the database key with the officer's password (app/db/keystore.py: argon2id, then
AES-GCM): a wrong password simply fails to unwrap, so no password hash is stored anywhere.
The key then opens the SQLCipher database (`app.db.open_database`) and stays in memory for the
session, so that new officers and password resets can be given their own wrapped copy.
A failed login says nothing about which part was wrong, and each further failure waits longer;
a typed user name that is no officer here is kept only as a tag (`keystore.login_name`), since
it may be a password typed into the wrong field. New passwords must be strong
(app/services/passwords.py). Closing an account re-keys the database (`_rekey`).
The password also opens the officer's personal signing key: the officer table is signed
(app/services/roster.py, checked at every login) and so are officer changes
(app/services/signing.py). What each role may do is app/services/actions.py.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.core import signatures
from app.core.errors import UserError
from app.db import audit, keystore, officers
from app.db.connection import database, rekey
from app.db.keystore import DEFAULT_KDF, KdfParams
from app.paths import AppPaths
from app.services import legacy, roster, session, signing
from app.services.actions import ROLES as ROLES  # re-exported: callers use auth.ROLES and so on
from app.services.actions import AuthError as AuthError
from app.services.actions import Officer as Officer
from app.services.actions import require as require
from app.services.installation import current_village, village
from app.services.legacy import encrypt_legacy as encrypt_legacy  # re-exported
from app.services.legacy import needs_encryption as needs_encryption  # re-exported
from app.services.passwords import MIN_LENGTH, check_new_password
from app.services.session import WRONG_LOGIN as WRONG_LOGIN  # re-exported

USERNAME = re.compile(r"^[a-z0-9._-]{3,32}$")
MIN_PASSWORD = MIN_LENGTH
FREE_FAILURES = 3  # after these, each failure waits 1, 2, 4 ... up to MAX_DELAY seconds
MAX_DELAY = 30.0


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
    if kelurahan is None and database.obj is not None and session.is_open():
        chosen = current_village()
        kelurahan = chosen.name if chosen else None
    check_new_password(password, (username, full_name, kelurahan))


def log_out() -> None:
    session.close()


# --- state of a home -------------------------------------------------------------------------


def is_set_up(paths: AppPaths) -> bool:
    """The home has its key file: officers log in. An encryption of an earlier plain
    database that a power cut interrupted is settled first (`legacy.settle_encryption`)."""
    legacy.settle_encryption(paths)
    return keystore.exists(paths.db)


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
    private = legacy.encrypt_home(paths, key, username, password, kdf)
    session.open_home(paths, key)
    _first_admin(username, full_name or username, private)
    legacy.encrypt_copies(paths, key, username)
    legacy.recovery_handed(paths.db)
    return Officer(username, full_name or username, "admin"), recovery


def recovery_key_lost(paths: AppPaths, officer: Officer) -> bool:
    """For an officer who may re-key (`database.rekey`): the database key has no recovery key
    on paper, its set-up or encryption cut by a power cut before it was shown
    (`legacy.recovery_key_lost`). *Ganti kunci basis data* makes a new one."""
    return officer.may("database.rekey") and legacy.recovery_key_lost(paths)


def _first_admin(username: str, full_name: str, private: bytes, resumed: bool = False) -> None:
    """The set-up's admin row, its signing key and the first signed officer table, in one
    transaction. `resumed`: at the login of the key file's only officer into a database with
    no officer at all, a set-up a power cut stopped after its key file was written (before,
    nobody could log in then, and set-up refused: "sudah disiapkan")."""
    with database.atomic():
        officers.insert(username, full_name, "admin")
        audit.append("officer.create", officer=username, detail={"username": username})
        roster.start(username, private)
        fingerprint = roster.sign(None, "setup", audited=False)
        detail = {"roster_key": fingerprint, **({"resumed": True} if resumed else {})}
        audit.append("setup", officer=username, detail=detail)


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
    unlocked = keystore.unlock(paths.db, username, password)
    if unlocked is None or not unlocked.keys:
        keystore.record_failure(paths.db, name)
        raise AuthError(WRONG_LOGIN)
    try:
        key = session.open_home(paths, *unlocked.keys)
    except AuthError:  # a key file copied from an older database: the old key opens nothing
        keystore.record_failure(paths.db, name)
        raise AuthError(WRONG_LOGIN) from None
    private = unlocked.signing
    if keystore.is_legacy(paths.db, username):  # format 1: give it key pairs now
        kdf = keystore.kdf_of(paths.db, username)
        private = keystore.wrap_for(paths.db, username, password, key, kdf)
    if private is not None and officers.count() == 0 and keystore.usernames(paths.db) == [username]:
        _first_admin(username, username, private, resumed=True)  # a set-up cut short
    try:
        roster.check_login(username, private)  # a role or account edited outside: refused
    except AuthError:
        log_out()
        raise
    row = officers.get(username)
    if row is None or not row.active:
        log_out()
        keystore.record_failure(paths.db, name)
        raise AuthError(WRONG_LOGIN)
    legacy.encrypt_copies(paths, key, username)  # plain copies a power cut left unencrypted
    pending = keystore.pending_failures(paths.db)
    with database.atomic():
        for attempt in pending:
            audit.append("login.failed", detail=attempt)
        audit.append("login", officer=username)
    keystore.clear_failures(paths.db, username, audited=len(pending))
    return Officer(row.username, row.full_name, row.role)


def confirm_password(officer: Officer, password: str) -> None:
    """The idle lock: the logged-in officer types the password again."""
    db = session.current().db if session.is_open() else None
    if db is None or keystore.unwrap(db, officer.username, password) is None:
        if db is not None:
            keystore.record_failure(db, officer.username)
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
        session.open_home(paths, key)
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
    private = keystore.wrap_for(paths.db, username, new_password, key, kdf)
    signing.hold(username, private)  # the recovery key's holder signs the table as it stands
    with database.atomic():
        _officer_change(username, officer, "officer.recover", {"username": username}, private)
    return officer


# --- officers --------------------------------------------------------------------------------


def _officer_change(
    username: str, by: Officer, action: str, detail: dict[str, Any], private: bytes | None = None
) -> None:
    """After the app changed `username`'s row (a new signing key `private` with a new
    password): sign the officer table (with the key held) and the change as `by`'s decision,
    and audit it (with the fingerprint of the key that signed the table)."""
    if private is not None:
        officers.add_signing_key(username, signatures.public_of(private))
    fingerprint = roster.sign(username, action, audited=False)
    row = officers.get(username)
    facts = {} if row is None else {"role": row.role, "active": row.active,
                                    "signing_keys": list(row.signing_keys)}  # fmt: skip
    signing.sign_decision(action, username, {"username": username, **facts}, by)
    audit.append(action, officer=by.username, detail={**detail, "roster_key": fingerprint})


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
    now = session.current()
    _check_new(username, role, password, full_name)
    if officers.get(username) is not None:
        raise AuthError(f"Nama pengguna {username} sudah dipakai.")
    private = keystore.wrap_for(now.db, username, password, now.key, kdf)
    with database.atomic():
        officers.insert(username, full_name, role)
        detail = {"username": username, "role": role}
        _officer_change(username, by, "officer.create", detail, private)
    return Officer(username, full_name, role)


def reset_password(
    username: str, new_password: str, by: Officer, kdf: KdfParams = DEFAULT_KDF
) -> None:
    """An admin or supervisor sets a forgotten password anew."""
    require(by, "officer.manage")
    now = session.current()
    row = officers.get(username)
    if row is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    _check_password(new_password, username, row.full_name)
    private = keystore.wrap_for(now.db, username, new_password, now.key, kdf)
    with database.atomic():
        detail = {"username": username}
        _officer_change(username, by, "officer.reset_password", detail, private)


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
    now = session.current()
    row = officers.get(username)
    if row is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    if not row.active:
        raise AuthError(f"Akun {username} sudah nonaktif.")
    with database.atomic():
        officers.set_active(username, False)
        _officer_change(username, by, "officer.deactivate", {"username": username})
    keystore.remove(now.db, username)
    try:
        return _rekey(now, by, "officer.deactivate")
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
    return _rekey(session.current(), by, "manual")


def _rekey(now: session.Session, by: Officer, reason: str) -> Rekeyed:
    """A new database key (and recovery key), sealed first for every officer left in the key
    file (no passwords needed), then `PRAGMA rekey`, then the key file switches over: a power
    cut at any point leaves a key file that opens the database (`session.open_home`)."""
    key, recovery = keystore.new_database_key()
    dropped = keystore.stage_rekey(now.db, key)
    try:
        rekey(now.db, key)
    except UserError:
        keystore.abandon_rekey(now.db)
        raise
    keystore.finish_rekey(now.db)
    session.switch_key(key)
    legacy.recovery_handed(now.db)  # a new one: whatever a cut set-up left is replaced
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
    now = session.current()
    row = officers.get(username)
    if row is None:
        raise AuthError(f"Petugas {username} tidak ada.")
    _check_password(new_password, username, row.full_name)
    private = keystore.wrap_for(now.db, username, new_password, now.key, kdf)
    with database.atomic():
        officers.set_active(username, True)
        detail = {"username": username}
        _officer_change(username, by, "officer.reactivate", detail, private)
