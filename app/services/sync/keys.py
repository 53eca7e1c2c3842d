"""Keys and peers as user actions (issue 6). Private keys live inside the encrypted database."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import orjson

from app.bundle.keys import (
    Identity,
    KeyFileError,
    PublicKey,
    fingerprint,
    from_file,
    new_identity,
    public_of,
)
from app.core import ownership
from app.core.errors import UserError
from app.core.text import printable
from app.db import audit, peers, settings
from app.db.connection import database
from app.services import auth, installation

IDENTITY_KEY = "sync_identity"
MAX_KEY_FILE = 64 * 1024  # a public key file is about 400 bytes


def _identity() -> Identity:
    """This installation's keys, made on first use."""
    stored = settings.get(IDENTITY_KEY)
    if stored is None:
        identity = new_identity()
        settings.put(IDENTITY_KEY, orjson.dumps(dataclasses.asdict(identity)).decode())
        return identity
    return Identity(**orjson.loads(stored))


def identity() -> Identity:
    """This installation's private keys (for signing and decrypting bundles)."""
    return _identity()


def has_identity() -> bool:
    return settings.get(IDENTITY_KEY) is not None


def own_fingerprint() -> str:
    return fingerprint(own_public_key())


def own_public_key() -> PublicKey:
    village = installation.current_village()
    name = f"Kelurahan {village.name}" if village else "Loket DTKS"
    return public_of(_identity(), installation.device_id(), installation.village_code(), name)


def trust_peer(
    key: PublicKey, name: str, officer: auth.Officer, kind: str = ownership.DEFAULT_PEER_KIND
) -> str:
    """Accept bundles from the installation with `key` under `name`, as a peer of `kind`
    (app/core/ownership.py PEER_KINDS: what its bundles may change; the CLI and the key dialog
    make the officer choose, callers that do not say get the least: a field laptop); returns
    its fingerprint.
    The caller has shown the fingerprint and had it confirmed."""
    auth.require(officer, "peer.trust")
    if kind not in ownership.PEER_KINDS:
        raise UserError(
            "Pilih jenis mitra: laptop, kelurahan atau dinsos.",
            f"unknown peer kind {kind!r}: laptop, kelurahan or dinsos",
        )
    name = printable(name, limit=60)
    if not name:
        raise UserError("Beri nama untuk mitra ini (mis. Dinsos DKI).")
    print_ = fingerprint(key)
    if key.signing_key == own_public_key().signing_key:
        raise UserError("Ini kunci loket ini sendiri.")
    if (known := peers.by_fingerprint(print_)) is not None:
        raise UserError(f"Kunci ini sudah dipercaya sebagai {known}.")
    if peers.get(name) is not None:
        raise UserError(f"Nama {name} sudah dipakai untuk mitra lain.")
    with database.atomic():
        peers.insert(dataclasses.replace(key, name=name), print_, officer.username, kind)
        audit.append(
            "peer.trust",
            officer=officer.username,
            detail={"name": name, "fingerprint": print_, "kind": kind},
        )
    return print_


def read_key_file(data: bytes) -> PublicKey:
    if len(data) > MAX_KEY_FILE:
        raise KeyFileError(f"too large for a public key file (at most {MAX_KEY_FILE // 1024} kB)")
    return from_file(data)


def read_key_file_at(path: Path) -> PublicKey:
    """The public key in the file at `path`, of which at most MAX_KEY_FILE + 1 bytes are read:
    a larger file (chosen by mistake, or one that never ends) is refused, not read whole."""
    try:
        with open(path, "rb") as source:
            data = source.read(MAX_KEY_FILE + 1)
    except OSError as exc:
        raise KeyFileError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    return read_key_file(data)


def trusted_peers() -> list[tuple[PublicKey, str]]:
    return peers.all_peers()


def peer_kinds() -> dict[str, str]:
    """The kind each trusted peer is trusted as, by fingerprint."""
    return peers.kinds()
