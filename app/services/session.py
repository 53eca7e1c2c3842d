"""The open database of this session and its key (DESIGN §8, issue 4). Part of the service layer.

A login (app/services/auth.py) opens the SQLCipher database with the key the officer's password
unwrapped; the key stays in memory for the session, so that new officers and password resets
can be given their own sealed copy, and the database can be re-keyed (`auth._rekey`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db import keystore, open_database
from app.db.connection import WrongKeyError, close_db
from app.paths import AppPaths
from app.services import signing
from app.services.actions import AuthError


@dataclass(frozen=True)
class Session:
    db: Path
    key: bytes


_session: Session | None = None
WRONG_LOGIN = "Nama pengguna atau kata sandi salah."


def current() -> Session:
    if _session is None:
        raise AuthError("Anda belum masuk.")
    return _session


def is_open() -> bool:
    return _session is not None


def open_home(paths: AppPaths, *keys: bytes) -> bytes:
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
        _session = Session(paths.db, key)
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


def close() -> None:
    """Forget the key and the signing key, close the database."""
    global _session
    _session = None
    signing.forget()
    close_db()


def switch_key(key: bytes) -> None:
    """The database was re-keyed: the session holds the new key."""
    global _session
    _session = Session(current().db, key)
