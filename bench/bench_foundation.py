"""Benchmark (run by hand): storage paths of the foundation at kelurahan scale.

    .venv/bin/python bench/bench_foundation.py [--households 50000] [--home DIR]

Loads demo data into a temporary home (or reuses --home if it holds households), then times
the app's own paths: list open (count + first page), NIK lookup, name search, a deep keyset
page, one final save. Prints each figure with its budget (DESIGN §9 / issue 2).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import services  # noqa: E402
from app.db import listing  # noqa: E402
from app.db.connection import database  # noqa: E402
from app.paths import resolve_paths  # noqa: E402


def timed(fn, *args, repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - started)
    return times


def row(name: str, seconds: list[float], budget_ms: float | None = None) -> None:
    median = statistics.median(seconds) * 1000
    p95 = sorted(seconds)[int(len(seconds) * 0.95) - 1 if len(seconds) > 1 else 0] * 1000
    verdict = "" if budget_ms is None else ("pass" if median < budget_ms else "MISS")
    budget = "" if budget_ms is None else f"< {budget_ms:g} ms"
    print(f"{name:<42} {median:>9.2f} ms  p95 {p95:>9.2f} ms  {budget:<10} {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--home")
    args = parser.parse_args()
    home = Path(args.home or tempfile.mkdtemp(prefix="loket-bench-"))
    paths = resolve_paths(home=home)
    services.open_store(paths)
    if services.household_count() == 0:
        from app.demo import load_demo

        summary = load_demo(args.households, seed=1)
        per_s = summary["households"] / summary["seconds"]
        print(
            f"demo: {summary['households']:,} households, {summary['members']:,} members in "
            f"{summary['seconds']:.1f} s ({per_s:,.0f} households/s)"
        )
    size_mb = paths.db.stat().st_size / 1e6
    print(f"database {paths.db} {size_mb:.0f} MB, {services.household_count():,} households\n")

    rng = random.Random(5)
    niks = [
        r[0]
        for r in database.execute_sql(
            "SELECT nik FROM member WHERE rowid % 997 = 0 LIMIT 200"
        ).fetchall()
    ]
    names = [
        r[0]
        for r in database.execute_sql(
            "SELECT name FROM member WHERE rowid % 1999 = 0 LIMIT 100"
        ).fetchall()
    ]
    fragments = []
    for name in names:
        start = rng.randrange(max(1, len(name) - 3))
        fragments.append(name[start : start + rng.randint(3, 6)])

    row(
        "list open: count + first page (200)",
        timed(lambda: (services.household_count(), services.household_page()), repeat=20),
        300,
    )
    row("NIK lookup (members_with_nik)", [timed(listing.members_with_nik, n)[0] for n in niks], 5)
    row(
        "NIK search (search_households, full NIK)",
        [timed(services.search_households, n)[0] for n in niks],
        5,
    )
    row(
        "name search, 3-6 letter fragment",
        [timed(services.search_households, f)[0] for f in fragments],
        50,
    )
    after = None
    for _ in range(100):
        page = services.household_page(after)
        after = page[-1].key
    row("deep keyset page (after 20,000 rows)", timed(services.household_page, after, repeat=20))
    doc = services.load_household(page[0].id)
    row("load one household document", timed(services.load_household, page[0].id, repeat=50))
    row("save one household (final, fsync)", timed(services.save_household, doc, True, repeat=20))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process (ru_maxrss): {peak:.0f} MB")


if __name__ == "__main__":
    main()
