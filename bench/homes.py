"""Installations for the sync benchmarks: set up in a temporary folder, logged in as their
admin, trusting each other's keys. Set up with a cheap argon2id, as the tests do: logging in is
not what these benchmarks measure."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.bundle.keys import from_file, to_file
from app.db.keystore import KdfParams
from app.paths import AppPaths, resolve_paths
from app.services import auth, installation
from app.services.sync import keys as service

VILLAGE = "31.74.01.1001"
ADMIN, PASSWORD = "admin", "kopi tubruk lontong 47"  # passes the strength check
FAST_KDF = KdfParams(time_cost=1, memory_cost=8, parallelism=1)  # as tests/conftest.py


def set_up_home(root: Path, name: str) -> tuple[AppPaths, bytes]:
    """A new installation in root/name; returns its paths and its public key file."""
    paths = resolve_paths(home=root / name)
    officer, _recovery = auth.set_up(paths, ADMIN, "Admin Kelurahan", PASSWORD, FAST_KDF)
    installation.set_village(VILLAGE, officer)
    key_file = to_file(service.own_public_key())
    auth.log_out()
    return paths, key_file


@contextmanager
def opened(paths: AppPaths) -> Iterator[auth.Officer]:
    """The home open, logged in as its admin; closed afterwards."""
    officer = auth.log_in(paths, ADMIN, PASSWORD)
    try:
        yield officer
    finally:
        auth.log_out()


def trust(paths: AppPaths, key_file: bytes, name: str) -> None:
    with opened(paths) as officer:
        service.trust_peer(from_file(key_file), name, officer)
