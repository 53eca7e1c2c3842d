"""Benchmark (run by hand): the cost of encryption at rest (issue 4).

    .venv/bin/python bench/bench_encryption.py [--households 50000]

1. Login: argon2id key derivation (the app's parameters), unwrapping the database key, and a
   whole `auth.log_in` (derive, unwrap, open the SQLCipher database, audit entry).
2. SQLCipher versus plain SQLite on the same paths and the same data: bulk insert (the demo
   load, as bundle import will do it), list open, NIK search, name search, loading one
   household, and a final save (fsync). Both sides use the same SQLite library (sqlcipher3;
   without a key it reads and writes plain files), the same pragmas and the same app code;
   only the key differs. Prints medians and the ratio encrypted / plain.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playhouse.sqlcipher_ext import SqlCipherDatabase  # noqa: E402
from report import record  # noqa: E402

from app.db import (  # noqa: E402
    keystore,  # noqa: E402
    migrations,
    regions,
)
from app.db.connection import PRAGMAS, close_db, database  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import (  # noqa: E402
    auth,  # noqa: E402
    households,
    installation,
)
from app.services.actions import Officer  # noqa: E402
from app.services.demo import generate, load_demo  # noqa: E402

ADMIN_OFFICER = Officer("admin", "Admin", "admin")

PASSWORD = "kopi tubruk lontong 47"  # passes the strength check


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def bench_login(home: Path) -> None:
    paths = resolve_paths(home=home / "login")
    auth.set_up(paths, "admin", "Admin", PASSWORD)
    auth.log_out()
    kdf = keystore.DEFAULT_KDF
    derive = median_ms(lambda: keystore._kek(PASSWORD, b"s" * 16, kdf), 10)
    unwrap = median_ms(lambda: keystore.unwrap(paths.db, "admin", PASSWORD), 10)

    def whole_login():
        auth.log_in(paths, "admin", PASSWORD)
        auth.log_out()

    login = median_ms(whole_login, 10)
    print(f"argon2id m={kdf.memory_cost // 1024} MiB t={kdf.time_cost} p={kdf.parallelism}")
    print(f"  {'derive key from password':<44} {derive:8.1f} ms")
    print(f"  {'unwrap database key (derive + AES-GCM)':<44} {unwrap:8.1f} ms")
    print(f"  {'whole login (unwrap, open, audit)':<44} {login:8.1f} ms  (once per login)\n")
    record("log in: argon2id, unwrap, open, audit entry", login, "ms")


def open_plain(path: Path) -> None:
    """The same database code on a plain file: SQLCipher without a key."""
    close_db()
    plain = {k: v for k, v in PRAGMAS.items() if not k.startswith("cipher_")}
    db = SqlCipherDatabase(str(path), pragmas=plain)
    database.initialize(db)
    db.connect()
    migrations.migrate(db, path)
    regions.seed_regions()


def measure(count: int) -> dict[str, float]:
    figures = {}
    started = time.perf_counter()
    installation.set_village("31.74.01.1001", ADMIN_OFFICER)
    load_demo(count, seed=1, officer=ADMIN_OFFICER)
    figures["bulk insert of the demo (s)"] = time.perf_counter() - started

    figures["list open: count + first page (ms)"] = median_ms(
        lambda: (households.household_count(), households.household_page(None, 200)), 20
    )
    rng = random.Random(1)
    rows = households.household_page(None, 400)
    docs = [households.load_household(r.id) for r in rng.sample(rows, 100)]
    niks = iter([d["members"][0]["nik"] for d in docs] * 10)
    figures["NIK search (ms)"] = median_ms(lambda: households.search_households(next(niks)), 100)
    names = iter([d["members"][0]["name"].split()[0][1:5] for d in docs] * 10)
    figures["name search, 4 letters (ms)"] = median_ms(
        lambda: households.search_households(next(names)), 100
    )
    ids = iter([r.id for r in rows] * 10)
    figures["load one household (ms)"] = median_ms(
        lambda: households.load_household(next(ids)), 200
    )

    # a complete household (the demo generator's), its No. KK and NIKs unlike the demo's
    doc = next(d for d in generate(20, 99, "31.74.01.1001") if d["status"] == "registered")
    doc["registration_number"] = None  # given at the final save
    doc["no_kk"] = "3174010101269999"
    for n, member in enumerate(doc["members"]):
        member["nik"] = member["nik"][:12] + f"{9000 + n}"  # the same birth date, sex, area
    doc = households.save_household(doc, final=True, officer=ADMIN_OFFICER)
    counter = iter(range(10_000))

    def save():
        nonlocal doc
        doc["address"] = f"Jl. Tebet Barat No. {next(counter)}"
        doc = households.save_household(doc, final=True, officer=ADMIN_OFFICER)

    figures["final save with fsync (ms)"] = median_ms(save, 50)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000, metavar="N")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, {args.households:,} demo households per database\n")
    with tempfile.TemporaryDirectory(prefix="loket-bench-") as scratch:
        home = Path(scratch)
        bench_login(home)

        auth.set_up(resolve_paths(home=home / "encrypted"), "admin", "Admin", PASSWORD)
        encrypted = measure(args.households)
        auth.log_out()
        open_plain(home / "plain.db")
        plain = measure(args.households)
        close_db()

    print(f"{'figure':<40} {'SQLCipher':>10} {'plain':>10} {'ratio':>7}")
    for name, value in encrypted.items():
        print(f"{name:<40} {value:10.2f} {plain[name]:10.2f} {value / plain[name]:7.2f}")
        record(f"SQLCipher / plain: {name}", value / plain[name], "x")


if __name__ == "__main__":
    main()
