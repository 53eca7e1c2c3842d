"""Installations for the sync benchmarks: set up in a temporary folder, logged in as their
admin, trusting each other's keys. Set up with a cheap argon2id, as the tests do: logging in is
not what these benchmarks measure."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.bundle.keys import from_file, to_file
from app.db.keystore import KdfParams
from app.paths import AppPaths, resolve_paths
from app.services import auth, households, installation
from app.services.demo import load_demo
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


def demo_home(home: str | None, count: int, user: str) -> tuple[AppPaths, auth.Officer]:
    """A home with demo data, logged in: `home` reused when given and set up (log in as
    LOKET_USER, default `user`, with LOKET_PASSWORD), else a new temporary one loaded with
    `count` demo households (timed and printed, not part of any figure)."""
    paths = resolve_paths(home=Path(home or tempfile.mkdtemp(prefix="loket-bench-")))
    if auth.is_set_up(paths):
        officer = auth.log_in(
            paths, os.environ.get("LOKET_USER", user), os.environ["LOKET_PASSWORD"]
        )
    else:
        officer, _recovery = auth.set_up(paths, "bench", "Bench", PASSWORD)
    if households.household_count() == 0:
        started = time.perf_counter()
        load_demo(count, seed=1, officer=officer)
        print(f"demo data: {count} households in {time.perf_counter() - started:.1f} s")
    return paths, officer
