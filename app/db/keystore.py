"""The database key and who may unlock it (issue 4, DESIGN §8).

The database is a SQLCipher file encrypted with one random 256-bit key. That key is never
stored in the clear. The key file beside the database (`<db>.keys`, JSON) holds it once per
officer, sealed to the officer's X25519 public key; the private key is kept encrypted
(AES-256-GCM) under a key derived from the officer's password with argon2id. Unwrapping *is*
the password check: no password hash is kept anywhere. Re-keying the database (when an account
is closed) seals the new key for the remaining officers without their passwords.

The paper recovery key derives the database key (app/db/recovery_keys.py). Each entry also
holds the officer's Ed25519 signing key under the same password (app/core/signatures.py). The
file counts failed logins per user and keeps the failed attempts until the next successful login
writes them into the audit log. It holds no personal data of residents; it is written
atomically and readable only by the user.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core import signatures
from app.core.errors import UserError
from app.db.recovery_keys import KEY_BYTES
from app.db.recovery_keys import key_check as key_check  # re-exported, like the two below
from app.db.recovery_keys import key_from_recovery as key_from_recovery
from app.db.recovery_keys import new_database_key as new_database_key

FORMAT = 2  # 2: per-officer key pairs (issue 15); 1 is read and upgraded
SIGNING_AAD = b" signing key"  # bound with the user name to the encrypted signing key
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


# --- the file --------------------------------------------------------------------------------


def create(db: Path, key: bytes) -> None:
    """Start the key file of a new (or newly encrypted) database."""
    _write(
        db,
        {
            "format": FORMAT,
            "key_check": key_check(key),
            "name_salt": secrets.token_hex(16),
            "officers": {},
            "failures": {},
        },
    )


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
    data["format"] = FORMAT
    path = key_file_path(db)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def matches(db: Path, key: bytes) -> bool:
    """`key` is this database's key (or the staged key of an unfinished re-key)."""
    data, check = _read(db), key_check(key)
    staged = data.get("next_key_check")
    return hmac.compare_digest(data["key_check"], check) or (
        staged is not None and hmac.compare_digest(staged, check)
    )


# --- wrapping per officer --------------------------------------------------------------------
#
# Format 2 (issue 15): each officer has an X25519 key pair. The private key is encrypted
# (AES-256-GCM) under argon2id(password); the database key is *sealed* to the public key
# (ephemeral X25519 + HKDF + AES-GCM). Sealing needs no password, so re-keying the database
# (`stage_rekey`) gives every remaining officer the new key without knowing their passwords,
# while a closed account's entry is simply not sealed again: its old key file copy and password
# still yield only the old database key. Entries of format 1 (the database key wrapped
# directly under argon2id(password)) still open and are upgraded at the officer's next login
# (`is_legacy`); a re-key cannot carry them over (they then need a password reset). The
# signing key is under the same argon2id(password), never sealed: only the officer opens it.


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


def _seal_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    hkdf = HKDF(
        hashes.SHA256(), KEY_BYTES, salt=None, info=b"loket-dtks seal v1" + ephemeral + public
    )
    return hkdf.derive(shared)


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _seal(key: bytes, public_hex: str, username: str) -> dict[str, str]:
    """`key` encrypted so that only the holder of the private key of `public_hex` opens it."""
    public = bytes.fromhex(public_hex)
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    epk = _raw(ephemeral.public_key())
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_seal_key(shared, epk, public)).encrypt(nonce, key, username.encode())
    return {"epk": epk.hex(), "nonce": nonce.hex(), "ct": sealed.hex()}


def _unseal(sealed: dict[str, str], private: X25519PrivateKey, username: str) -> bytes | None:
    epk = bytes.fromhex(sealed["epk"])
    shared = private.exchange(X25519PublicKey.from_public_bytes(epk))
    box = AESGCM(_seal_key(shared, epk, _raw(private.public_key())))
    try:
        return box.decrypt(
            bytes.fromhex(sealed["nonce"]), bytes.fromhex(sealed["ct"]), username.encode()
        )
    except InvalidTag:
        return None


def _new_signing(kek: AESGCM, username: str) -> tuple[dict[str, str], bytes]:
    """A new Ed25519 signing key: its entry (the private key under `kek`) and the private key."""
    private, nonce = signatures.new_private(), secrets.token_bytes(12)
    encrypted = kek.encrypt(nonce, private, username.encode() + SIGNING_AAD)
    entry = {"nonce": nonce.hex(), "private": encrypted.hex()}
    return {**entry, "public": signatures.public_of(private)}, private


def wrap_for(
    db: Path, username: str, password: str, key: bytes, kdf: KdfParams = DEFAULT_KDF
) -> bytes:
    """Let `username` unlock the database with `password` (new officer or a password reset):
    a new key pair, its private key under the password, the database key sealed to it; and a
    new personal signing key under the same password. Returns the signing private key."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    private = X25519PrivateKey.generate()
    private_raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    kek = AESGCM(_kek(password, salt, kdf))
    encrypted = kek.encrypt(nonce, private_raw, username.encode())
    signing, signing_private = _new_signing(kek, username)
    public = _raw(private.public_key()).hex()
    data = _read(db)
    data["officers"][username] = {
        "kdf": {"argon2id": asdict(kdf), "salt": salt.hex()},
        "nonce": nonce.hex(),
        "private": encrypted.hex(),
        "public": public,
        "sealed": _seal(key, public, username),
        "signing": signing,
    }
    data["failures"].pop(username, None)
    _write(db, data)
    return signing_private


def remove(db: Path, username: str) -> None:
    data = _read(db)
    if data["officers"].pop(username, None) is not None:
        _write(db, data)


@dataclass(frozen=True)
class Unlocked:
    """What an officer's password opens: the database keys (the current one, then the staged
    one of an unfinished re-key) and the personal signing key (None for a format-1 entry,
    which `wrap_for` upgrades at login)."""

    keys: list[bytes]
    signing: bytes | None


def unlock(db: Path, username: str, password: str) -> Unlocked | None:
    """Open `username`'s entry with `password` (one KDF); None when the user is unknown or the
    password wrong. An entry from before signing keys gets its signing key now (issue 15)."""
    data = _read(db)
    if (entry := data["officers"].get(username)) is None:
        return None
    kdf = KdfParams(**entry["kdf"]["argon2id"])
    kek = AESGCM(_kek(password, bytes.fromhex(entry["kdf"]["salt"]), kdf))
    nonce, aad = bytes.fromhex(entry["nonce"]), username.encode()
    try:
        if "wrapped" in entry:  # format 1
            return Unlocked([kek.decrypt(nonce, bytes.fromhex(entry["wrapped"]), aad)], None)
        private_raw = kek.decrypt(nonce, bytes.fromhex(entry["private"]), aad)
        if "signing" in entry:
            signed = entry["signing"]
            signing = kek.decrypt(
                bytes.fromhex(signed["nonce"]), bytes.fromhex(signed["private"]), aad + SIGNING_AAD
            )
        else:  # a key file from before signing keys: the password is known now
            entry["signing"], signing = _new_signing(kek, username)
            _write(db, data)
    except InvalidTag:
        return None
    private = X25519PrivateKey.from_private_bytes(private_raw)
    keys = [_unseal(entry[f], private, username) for f in ("sealed", "next") if f in entry]
    return Unlocked([k for k in keys if k is not None], signing)


def unwrap_keys(db: Path, username: str, password: str) -> list[bytes]:
    """The database keys `password` opens for `username` (see `unlock`); empty when the user is
    unknown or the password wrong."""
    unlocked = unlock(db, username, password)
    return [] if unlocked is None else unlocked.keys


def signing_public(db: Path, username: str) -> str | None:
    """The officer's signing public key (hex), None without one (yet)."""
    entry: dict[str, Any] = _read(db)["officers"].get(username, {})
    return None if "signing" not in entry else str(entry["signing"]["public"])


def unwrap(db: Path, username: str, password: str) -> bytes | None:
    """The current database key, or None when the user is unknown or the password wrong."""
    return next(iter(unwrap_keys(db, username, password)), None)


def is_legacy(db: Path, username: str) -> bool:
    """The officer's entry is of format 1 (to be upgraded with the password at login)."""
    return "wrapped" in _read(db)["officers"].get(username, {})


def kdf_of(db: Path, username: str) -> KdfParams:
    return KdfParams(**_read(db)["officers"][username]["kdf"]["argon2id"])


def usernames(db: Path) -> list[str]:
    return sorted(_read(db)["officers"])


# --- re-keying (issue 15) ----------------------------------------------------------------------


def stage_rekey(db: Path, new_key: bytes) -> list[str]:
    """Step 1 of a re-key, before the database changes: seal `new_key` for every officer in the
    file (beside the current key, so a power cut in between locks nobody out). Returns the
    officers whose format-1 entries cannot be carried over (they need a password reset)."""
    data = _read(db)
    legacy = []
    for username, entry in data["officers"].items():
        if "wrapped" in entry:
            legacy.append(username)
        else:
            entry["next"] = _seal(new_key, entry["public"], username)
    data["next_key_check"] = key_check(new_key)
    _write(db, data)
    return sorted(legacy)


def finish_rekey(db: Path) -> None:
    """Step 3, after the database was re-keyed: the staged key becomes the key; entries that
    could not be carried over are dropped (their old key opens nothing live any more)."""
    data = _read(db)
    if "next_key_check" not in data:
        return
    for username in list(data["officers"]):
        entry = data["officers"][username]
        if "next" in entry:
            entry["sealed"] = entry.pop("next")
        else:
            del data["officers"][username]
    data["key_check"] = data.pop("next_key_check")
    _write(db, data)


def abandon_rekey(db: Path) -> None:
    """A staged re-key that never reached the database: forget it."""
    data = _read(db)
    if data.pop("next_key_check", None) is not None:
        for entry in data["officers"].values():
            entry.pop("next", None)
        _write(db, data)


def staged_key_check(db: Path) -> str | None:
    return None if (value := _read(db).get("next_key_check")) is None else str(value)


# --- failed logins (before the database can be opened) ----------------------------------------
#
# A password typed into the user-name field must never be stored as typed. A name that is not
# an officer of this key file is kept only as a short tag: argon2id(name) under a random salt of
# this installation, 16 bits shown as "tidak dikenal (#a1b2)". Computing it costs one KDF, the
# cost a known user's unwrap has, so timing does not tell the two apart; and testing a guess
# against the tag costs what testing it against an officer's wrapped key costs, while the short
# tag matches 1 in 65,536 wrong guesses too.

UNKNOWN = "tidak dikenal"
TAG_HEX = 4


def login_name(db: Path, username: str) -> str:
    """What the key file and the audit log may keep of a typed user name: the name itself
    when it is an officer here, else its tag."""
    data = _read(db)
    if username in data["officers"]:
        return username
    salt = data.get("name_salt")
    if salt is None:
        salt = data["name_salt"] = secrets.token_hex(16)
        _write(db, data)
    tag = _kek(username, bytes.fromhex(salt), DEFAULT_KDF).hex()[:TAG_HEX]
    return f"{UNKNOWN} (#{tag})"


def failures(db: Path, name: str) -> int:
    """Failed logins counted for `name` (as `login_name` gave it)."""
    count: int = _read(db)["failures"].get(name, {}).get("count", 0)
    return count


def record_failure(db: Path, name: str) -> int:
    """Count a failed login of `name` (as `login_name` gave it) and keep it for the audit log;
    returns the count."""
    data = _read(db)
    entry: dict[str, int] = data["failures"].setdefault(name, {"count": 0})
    entry["count"] += 1
    pending = data.setdefault("pending_audit", [])
    pending.append({"username": name, "at": dt.datetime.now(dt.UTC).isoformat()})
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
