"""Officers, roles and logins (DESIGN §8, issue 4). Part of the service layer.

Passwords are hashed with argon2id (argon2-cffi's defaults: 64 MiB, t=3). A failed login says
nothing about which part was wrong, and each further failure waits longer before answering.
What each role may do is one table, ROLE_ACTIONS; `require` checks it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.db import audit, officers
from app.db.connection import database

ROLES = {
    "petugas": "Petugas kelurahan",
    "pendamping": "Pendamping sosial",
    "supervisor": "Supervisor kelurahan",
    "admin": "Administrator",
}
ROLE_ACTIONS = {
    "petugas": {"household.register", "receipt.print"},
    "pendamping": {"household.register", "bundle.export_kelurahan"},
    "supervisor": {
        "household.register",
        "receipt.print",
        "musyawarah.decide",
        "exclusion.override",
        "conflict.resolve",
        "bundle.export_dinsos",
        "officer.manage",
    },
}
ROLE_ACTIONS["admin"] = set().union(*ROLE_ACTIONS.values())
USERNAME = re.compile(r"^[a-z0-9._-]{3,32}$")
MIN_PASSWORD = 8
FREE_FAILURES = 3  # after these, each failure waits 1, 2, 4 ... up to MAX_DELAY seconds
MAX_DELAY = 30.0
WRONG_LOGIN = "Nama pengguna atau kata sandi salah."

_hasher = PasswordHasher()


class AuthError(RuntimeError):
    """Login refused or action not allowed; the message is Indonesian, for the user."""


@dataclass(frozen=True)
class Officer:
    username: str
    full_name: str
    role: str

    def may(self, action: str) -> bool:
        return action in ROLE_ACTIONS[self.role]


def _check_new(username: str, role: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AuthError("Nama pengguna 3-32 karakter: huruf kecil, angka, titik, - atau _.")
    if role not in ROLES:
        raise AuthError(f"Peran tidak dikenal: {role}. Pilihan: {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"Kata sandi minimal {MIN_PASSWORD} karakter.")


def create_officer(
    username: str, full_name: str, role: str, password: str, by: Officer | None = None
) -> Officer:
    """Add an account. Only the very first account may be made without a logged-in officer
    (it must be an admin); after that, `by` must be allowed to manage officers."""
    _check_new(username, role, password)
    with database.atomic():
        if officers.count() == 0:
            if role != "admin":
                raise AuthError("Akun pertama harus admin (supervisor kelurahan).")
        else:
            require(by, "officer.manage")
        if officers.get(username) is not None:
            raise AuthError(f"Nama pengguna {username} sudah dipakai.")
        officers.insert(username, full_name, role, _hasher.hash(password))
        audit.append(
            "officer.create",
            officer=by.username if by else username,
            detail={"username": username, "role": role},
        )
    return Officer(username, full_name, role)


def authenticate(username: str, password: str, sleep=time.sleep) -> Officer:
    """The officer, when the password is right; AuthError (same words whatever was wrong)."""
    row = officers.get(username)
    if row is None or not row.active:
        _hasher.hash(password)  # the same cost as a real check: timing tells nothing
        _failed(username, None)
        raise AuthError(WRONG_LOGIN)
    if row.failed_logins >= FREE_FAILURES:
        sleep(min(MAX_DELAY, 2.0 ** (row.failed_logins - FREE_FAILURES)))
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        _failed(username, row.failed_logins + 1)
        raise AuthError(WRONG_LOGIN) from None
    with database.atomic():
        officers.set_failed_logins(username, 0)
        if _hasher.check_needs_rehash(row.password_hash):
            officers.set_password_hash(username, _hasher.hash(password))
        audit.append("login", officer=username)
    return Officer(row.username, row.full_name, row.role)


def _failed(username: str, failures: int | None) -> None:
    with database.atomic():
        if failures is not None:
            officers.set_failed_logins(username, failures)
        audit.append("login.failed", detail={"username": username})


def reset_password(username: str, new_password: str, by: Officer) -> None:
    """An admin or supervisor sets a forgotten password anew."""
    require(by, "officer.manage")
    if len(new_password) < MIN_PASSWORD:
        raise AuthError(f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    with database.atomic():
        if officers.get(username) is None:
            raise AuthError(f"Petugas {username} tidak ada.")
        officers.set_password_hash(username, _hasher.hash(new_password))
        audit.append("officer.reset_password", officer=by.username, detail={"username": username})


def require(officer: Officer | None, action: str) -> None:
    if officer is None or not officer.may(action):
        who = "Anda belum masuk" if officer is None else f"Peran {ROLES[officer.role]}"
        raise AuthError(f"{who}: tidak berwenang untuk tindakan ini ({action}).")


def list_officers() -> list[Officer]:
    return [Officer(r.username, r.full_name, r.role) for r in officers.all_officers()]


def has_officers() -> bool:
    return officers.count() > 0
