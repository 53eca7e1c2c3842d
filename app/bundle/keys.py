"""Each installation's keys and its public key file (issue 6). Pure: no database, no Qt.

An installation signs its bundles with Ed25519 (cryptography) and receives bundles encrypted to
its X25519 age identity (pyrage, the standard age format). Its public key file is JSON with
the device id, kelurahan, a name and both public keys; a peer is trusted after comparing the
fingerprint (read aloud or on paper) with the one the other installation shows.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import asdict, dataclass

import orjson
import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.core.errors import UserError
from app.core.text import printable

KEY_FILE_FORMAT = "loket-dtks-public-key/1"


class KeyFileError(UserError, ValueError):
    """A public key file that cannot be used; the message says why (English, one line)."""


@dataclass(frozen=True)
class Identity:
    """The private keys: kept only inside the encrypted database."""

    signing_key: str  # Ed25519 private key, 32 bytes hex
    age_identity: str  # "AGE-SECRET-KEY-1..."


@dataclass(frozen=True)
class PublicKey:
    device_id: str
    kelurahan: str | None
    name: str
    signing_key: str  # Ed25519 public key, 32 bytes hex
    age_recipient: str  # "age1..."


def new_identity() -> Identity:
    signing = Ed25519PrivateKey.generate().private_bytes_raw().hex()
    return Identity(signing, str(pyrage.x25519.Identity.generate()))


def public_of(identity: Identity, device_id: str, kelurahan: str | None, name: str) -> PublicKey:
    signing = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(identity.signing_key))
    recipient = pyrage.x25519.Identity.from_str(identity.age_identity).to_public()
    return PublicKey(device_id, kelurahan, name, signing.public_key().public_bytes_raw().hex(),
                     str(recipient))  # fmt: skip


def fingerprint(key: PublicKey) -> str:
    """SHA-256 over both public keys, first 80 bits, as 5 groups of 4 hex digits."""
    digest = hashlib.sha256(f"{key.signing_key}\n{key.age_recipient}".encode()).hexdigest()
    return " ".join(digest[i : i + 4].upper() for i in range(0, 20, 4))


def to_file(key: PublicKey) -> bytes:
    return orjson.dumps({"format": KEY_FILE_FORMAT, **asdict(key)}, option=orjson.OPT_INDENT_2)


def from_file(data: bytes) -> PublicKey:
    """Parse and check a public key file (KeyFileError says what is wrong)."""
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise KeyFileError("not a public key file (not JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != KEY_FILE_FORMAT:
        raise KeyFileError(f"not a public key file (format is not {KEY_FILE_FORMAT})")
    try:
        key = PublicKey(*(raw[f] for f in PublicKey.__dataclass_fields__))
    except KeyError as missing:
        raise KeyFileError(f"public key file lacks {missing}") from None
    texts = (key.device_id, key.name, key.signing_key, key.age_recipient)
    if not all(isinstance(t, str) for t in texts) or not isinstance(key.kelurahan, str | None):
        raise KeyFileError("public key file holds a field that is not text")
    # its names are the sender's words: shown on a terminal or a label only as plain text
    key = dataclasses.replace(
        key,
        device_id=printable(key.device_id),
        name=printable(key.name, limit=60),
        kelurahan=None if key.kelurahan is None else printable(key.kelurahan, limit=60),
    )
    try:
        if len(bytes.fromhex(key.signing_key)) != 32:
            raise ValueError
        pyrage.x25519.Recipient.from_str(key.age_recipient)
    except (ValueError, TypeError, pyrage.RecipientError):
        raise KeyFileError("public key file holds a malformed key") from None
    return key
