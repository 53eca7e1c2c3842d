"""Officers' personal signatures (issue 15): Ed25519 over a canonical JSON form.

Each officer has an Ed25519 key pair; the private key is kept only under the officer's password
(app/db/keystore.py). What is signed is a JSON object in one canonical form (sorted keys, no
spaces, UTF-8) prefixed with what kind of statement it is, so a signature over an officer roster
can never be taken for one over a decision. Pure: no storage, no session.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DOMAIN = b"loket-dtks officer signature v1\n"


def new_private() -> bytes:
    """A new Ed25519 private key (32 raw bytes)."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def public_of(private: bytes) -> str:
    """The public key (hex) of a raw private key."""
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw().hex()


def canonical(payload: Any) -> str:
    """The one text form of a JSON value that is signed and stored."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _message(kind: str, payload: Any) -> bytes:
    return DOMAIN + kind.encode() + b"\n" + canonical(payload).encode()


def sign(private: bytes, kind: str, payload: Any) -> str:
    """The signature (hex) of `private` over a statement of `kind` with `payload`."""
    return Ed25519PrivateKey.from_private_bytes(private).sign(_message(kind, payload)).hex()


def verifies(public: str, signature: str, kind: str, payload: Any) -> bool:
    """`signature` is the signature of the key `public` (hex) over this statement."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public))
        key.verify(bytes.fromhex(signature), _message(kind, payload))
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public: str) -> str:
    """SHA-256 of the public key, first 64 bits, as 4 groups of 4 hex digits."""
    digest = hashlib.sha256(bytes.fromhex(public)).hexdigest()
    return " ".join(digest[i : i + 4].upper() for i in range(0, 16, 4))
