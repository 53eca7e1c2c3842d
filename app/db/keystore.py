"""The database key and who may unlock it (issue 4, DESIGN §8).

The database is a SQLCipher file encrypted with one random 256-bit key. That key is never
stored in the clear. The key file beside the database (`<db>.keys`, JSON) holds it wrapped
once per officer: AES-256-GCM under a key derived from the officer's password with argon2id.
Unwrapping *is* the password check: no password hash is kept anywhere.

The recovery key printed at set-up is 160 random bits; the database key is derived from it
(HKDF-SHA256), so the paper recovery key alone opens the database even if the key file is lost.

The key file also counts failed logins per user and keeps the failed attempts until the next
successful login writes them into the audit log (the encrypted log cannot be written before).
It holds no personal data of residents; it is written atomically and readable only by the user.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.errors import UserError

FORMAT = 1
KEY_BYTES = 32
RECOVERY_BYTES = 20  # 160 bits: 32 base32 letters, printed as 8 groups of 4
MAX_PENDING_FAILURES = 200


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost; stored with each wrapped key, so it can be raised later."""

    time_cost: int = 3
    memory_cost: int = 65_536  # KiB (64 MiB): argon2-cffi's default, RFC 9106 low-memory
    parallelism: int = 4


DEFAULT_KDF = KdfParams()


class KeyFileError(UserError):
    """The key file is missing, unreadable or from a newer version (Indonesian message)."""


def key_file_path(db: Path) -> Path:
    return db.with_name(db.name + ".keys")


def exists(db: Path) -> bool:
    return key_file_path(db).exists()


def new_database_key() -> tuple[bytes, str]:
    """A fresh database key and the recovery key (for paper) it is derived from."""
    secret = secrets.token_bytes(RECOVERY_BYTES)
    letters = base64.b32encode(secret).decode()
    recovery = "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))
    return _from_recovery_secret(secret), recovery


def key_from_recovery(recovery: str) -> bytes | None:
    """The database key for a typed recovery key (case, spaces and dashes do not matter);
    None when it is not a well-formed recovery key."""
    letters = "".join(ch for ch in recovery.upper() if ch.isalnum())
    try:
        secret = base64.b32decode(letters)
    except ValueError:
        return None
    return _from_recovery_secret(secret) if len(secret) == RECOVERY_BYTES else None


def _from_recovery_secret(secret: bytes) -> bytes:
    hkdf = HKDF(hashes.SHA256(), KEY_BYTES, salt=None, info=b"loket-dtks database key v1")
    return hkdf.derive(secret)


def key_check(key: bytes) -> str:
    """A short value that tells whether a key is this database's key, without revealing it."""
    return hmac.new(key, b"loket-dtks key check", hashlib.sha256).hexdigest()[:16]


# --- the file --------------------------------------------------------------------------------


def create(db: Path, key: bytes) -> None:
    """Start the key file of a new (or newly encrypted) database."""
    _write(db, {"format": FORMAT, "key_check": key_check(key), "officers": {}, "failures": {}})


def _read(db: Path) -> dict[str, Any]:
    path = key_file_path(db)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"Berkas kunci {path} tidak ada: basis data tak bisa dibuka.") from None
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"Berkas kunci {path} rusak atau tidak terbaca ({exc}).") from None
    if data.get("format", 0) > FORMAT:
        raise KeyFileError("Berkas kunci dibuat oleh versi Loket DTKS yang lebih baru.")
    return data


def _write(db: Path, data: dict[str, Any]) -> None:
    """Atomically: a power cut leaves the old file or the new one, never half of one."""
    path = key_file_path(db)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def matches(db: Path, key: bytes) -> bool:
    return hmac.compare_digest(_read(db)["key_check"], key_check(key))


# --- wrapping per officer --------------------------------------------------------------------


def _kek(password: str, salt: bytes, kdf: KdfParams) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_cost,
        parallelism=kdf.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def wrap_for(
    db: Path, username: str, password: str, key: bytes, kdf: KdfParams = DEFAULT_KDF
) -> None:
    """Let `username` unlock the database with `password` (new officer or a password reset)."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(_kek(password, salt, kdf)).encrypt(nonce, key, username.encode())
    data = _read(db)
    data["officers"][username] = {
        "kdf": {"argon2id": asdict(kdf), "salt": salt.hex()},
        "nonce": nonce.hex(),
        "wrapped": wrapped.hex(),
    }
    data["failures"].pop(username, None)
    _write(db, data)


def remove(db: Path, username: str) -> None:
    data = _read(db)
    if data["officers"].pop(username, None) is not None:
        _write(db, data)


def unwrap(db: Path, username: str, password: str) -> bytes | None:
    """The database key, or None when the user is unknown or the password wrong. Both cost
    one KDF, so timing does not tell which."""
    entry = _read(db)["officers"].get(username)
    if entry is None:
        _kek(password, b"\0" * 16, DEFAULT_KDF)
        return None
    kdf = KdfParams(**entry["kdf"]["argon2id"])
    kek = _kek(password, bytes.fromhex(entry["kdf"]["salt"]), kdf)
    try:
        return AESGCM(kek).decrypt(
            bytes.fromhex(entry["nonce"]), bytes.fromhex(entry["wrapped"]), username.encode()
        )
    except InvalidTag:
        return None


def usernames(db: Path) -> list[str]:
    return sorted(_read(db)["officers"])


# --- failed logins (before the database can be opened) ----------------------------------------


def failures(db: Path, username: str) -> int:
    count: int = _read(db)["failures"].get(username, {}).get("count", 0)
    return count


def record_failure(db: Path, username: str) -> int:
    """Count a failed login and keep it for the audit log; returns the count."""
    data = _read(db)
    entry: dict[str, int] = data["failures"].setdefault(username, {"count": 0})
    entry["count"] += 1
    pending = data.setdefault("pending_audit", [])
    pending.append({"username": username, "at": dt.datetime.now(dt.UTC).isoformat()})
    del pending[:-MAX_PENDING_FAILURES]
    _write(db, data)
    return entry["count"]


def pending_failures(db: Path) -> list[dict[str, str]]:
    """Failed attempts not yet in the audit log: [{"username", "at"}], oldest first."""
    return list(_read(db).get("pending_audit", []))


def clear_failures(db: Path, username: str, audited: int) -> None:
    """After a good login: reset the user's count and drop the `audited` oldest pending
    attempts (the caller has written them into the audit log)."""
    data = _read(db)
    data["failures"].pop(username, None)
    data["pending_audit"] = data.get("pending_audit", [])[audited:]
    _write(db, data)
