"""The database key and the recovery key it comes from (issue 4, DESIGN §8).

The recovery key printed at set-up is 160 random bits; the database key is derived from it
(HKDF-SHA256), so the paper recovery key alone opens the database even if the key file is lost.
`key_check` tells whether a key is this database's key without revealing it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
RECOVERY_BYTES = 20  # 160 bits: 32 base32 letters, printed as 8 groups of 4
# Printed without I and O, which read like 1 and 0 (issue 16): base32 (RFC 4648) with 8 for I
# and 9 for O. A key printed before (with I and O) still opens; a typed 0 or 1 reads as O or I.
PRINTED = str.maketrans("IO", "89")
TYPED = str.maketrans("8901", "IOOI")


def new_database_key() -> tuple[bytes, str]:
    """A fresh database key and the recovery key (for paper) it is derived from."""
    secret = secrets.token_bytes(RECOVERY_BYTES)
    letters = base64.b32encode(secret).decode().translate(PRINTED)
    recovery = "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))
    return _from_recovery_secret(secret), recovery


def key_from_recovery(recovery: str) -> bytes | None:
    """The database key for a typed recovery key (case, spaces and dashes do not matter);
    None when it is not a well-formed recovery key."""
    letters = "".join(ch for ch in recovery.upper() if ch.isalnum()).translate(TYPED)
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
