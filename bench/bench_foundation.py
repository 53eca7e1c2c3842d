"""Benchmark (run by hand, not a test): the foundation's storage paths at kelurahan scale.

    .venv/bin/python bench/bench_foundation.py [--households 50000] [--keep DIR]

Loads demo data (seed 1) with the app's own `demo` command, in a child process, into a
temporary home, or into DIR with --keep (left in place; a DIR that is set up already is reused:
log in with LOKET_USER, default demo-admin, and LOKET_PASSWORD). Then times the app's paths
in this process, which has only opened the database, so its peak memory is the app's with
that database open. Budgets: issue 2 / DESIGN §9; the verdict is on the 95th percentile.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import record  # noqa: E402

from app.db import listing  # noqa: E402
from app.db.connection import close_db, database  # noqa: E402
from app.paths import AppPaths, resolve_paths  # noqa: E402
from app.services import auth, households  # noqa: E402

SEED = 1
PAGE = 200  # rows per page of the household list (households.household_page's default)


def load_demo(home: Path, households: int) -> str:
    """Run `python -m app demo` as an officer would, print its figures, and return the password
    of the demo admin it created."""
    command = [sys.executable, "-m", "app", "--home", str(home), "demo"]
    command += ["--households", str(households), "--seed", str(SEED)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    summary = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    seconds = float(summary["seconds"])
    count, members = int(summary["households"]), int(summary["members"])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    record(f"demo data: {count:,} households generated and stored", seconds, "s", peak_mb=peak)
    print(
        f"demo: {count:,} households + {members:,} members (registered {summary['registered']}, "
        f"excluded {summary['excluded']}, drafts {summary['drafts']})\n"
        f"  generate + insert {seconds:.1f} s: {count / seconds:,.0f} households/s, "
        f"{(count + members) / seconds:,.0f} rows/s; whole command {wall:.1f} s, "
        f"peak memory {peak:.0f} MB"
    )
    return summary["demo admin"].split("password: ")[1].split()[0]


def timed(fn: Callable[..., object], *args: object, repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - started)
    return times


def each(fn: Callable[[str], object], values: list[str]) -> list[float]:
    """The time of one call of `fn` per value."""
    return [timed(fn, value)[0] for value in values]


def report(name: str, seconds: list[float], budget_ms: float | None = None) -> None:
    ms = sorted(s * 1000 for s in seconds)
    median, p95 = statistics.median(ms), ms[round(0.95 * (len(ms) - 1))]
    budget = f"< {budget_ms:g} ms" if budget_ms else ""
    verdict = ("pass" if p95 < budget_ms else "MISS") if budget_ms else ""
    if budget_ms:
        record(name, median, "ms", budget=budget_ms)
    print(f"{name:<46} {median:>9.2f} {p95:>9.2f} {len(ms):>5}  {budget:<10} {verdict}")


def sample_members(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(nik, name) of `count` members picked at random, without loading them all."""
    top = database.execute_sql("SELECT max(pk) FROM member").fetchone()[0]
    picks = rng.sample(range(1, top + 1), count)
    sql = f"SELECT nik, name FROM member WHERE pk IN ({', '.join('?' * count)})"
    return [(nik, name) for nik, name in database.execute_sql(sql, picks).fetchall()]


def fragment(rng: random.Random, name: str) -> str:
    """3-6 letters from inside one word of a name, as an officer types part of a name."""
    word = rng.choice([w for w in name.split() if len(w) >= 3] or [name])
    length = min(len(word), rng.randint(3, 6))
    start = rng.randrange(len(word) - length + 1)
    return word[start : start + length]


def list_open() -> None:
    """What the household list runs when it opens: the total and the first page."""
    households.household_count()
    households.household_page()


def deep_page_key(rows: int) -> tuple[str, str] | None:
    """The keyset position after `rows` rows of the list, reached page by page as a scroll."""
    after = None
    for _ in range(rows // PAGE):
        after = households.household_page(after, PAGE)[-1].key
    return after


def measure(paths: AppPaths, user: str, password: str) -> None:
    size = sum(p.stat().st_size for p in paths.db.parent.glob(paths.db.name + "*"))
    print(f"database {paths.db}: {size / 1e6:.0f} MB (with -wal/-shm)\n")
    print(f"{'figure (ms)':<46} {'median':>9} {'p95':>9} {'n':>5}  budget")
    started = time.perf_counter()
    auth.log_in(paths, user, password)
    report("log in: argon2id + open + audit entry", [time.perf_counter() - started], 1000)
    report("list open: count + first page, first time", timed(list_open), 300)
    report("list open: count + first page", timed(list_open, repeat=20), 300)

    rng = random.Random(SEED)
    people = sample_members(rng, 300)
    niks = [nik for nik, _ in people[:200]]
    fragments = [fragment(rng, name) for _, name in people[200:]]
    search = households.search_households
    report("NIK lookup: listing.members_with_nik", each(listing.members_with_nik, niks), 5)
    report("NIK search: search_households(full NIK)", each(search, niks), 5)
    report("name search: search_households(3-6 letters)", each(search, fragments), 50)

    depth = households.household_count() // 2 // PAGE * PAGE
    after = deep_page_key(depth)
    deep = timed(households.household_page, after, repeat=20)
    report(f"deep keyset page (after {depth:,} rows)", deep)
    some = households.household_page(after)[0].id
    report("open one household: load_household", timed(households.load_household, some, repeat=50))

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process (database open, the paths above run): {peak:.0f} MB")
    print(f"name fragments searched, e.g.: {', '.join(fragments[:10])}")
    close_db()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000, metavar="N")
    parser.add_argument("--keep", metavar="DIR", help="home to load into and keep (or reuse)")
    args = parser.parse_args()
    print(
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="loket-bench-") as scratch:
        paths = resolve_paths(home=args.keep or scratch)
        user = os.environ.get("LOKET_USER", "demo-admin")
        if auth.is_set_up(paths):
            print(f"reusing the households in {paths.home}")
            password = os.environ["LOKET_PASSWORD"]
        else:
            password = load_demo(paths.home, args.households)
            if args.keep:
                print(f"log in to {paths.home} as demo-admin with password {password}")
        measure(paths, user, password)


if __name__ == "__main__":
    main()
