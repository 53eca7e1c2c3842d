"""Benchmark (run by hand): the Dinsos overview of kelurahan (issue 19).

    .venv/bin/python bench/bench_overview.py [--households 2000] [--bundles 6]
    LOKET_PASSWORD=... .venv/bin/python bench/bench_overview.py --home DIR [--cold]

Sets up a temporary encrypted Dinsos home (DKI Jakarta) and writes synthetic rows straight
into its tables (not timed): for every one of the 267 kelurahan `households` households with
mixed statuses, `bundles` household bundles received from its own sender (one number missing
in every tenth kelurahan) with an outcome row per household, a locked meeting for every other
kelurahan and a few conflicts. Times `overview.overview` (the aggregate SQL plus assembling
267 rows; target < 1 s) and the XLSX export, and prints the peak memory.

`--home DIR` times an existing Dinsos home instead (e.g. one kept by bench_dinsos_267.py;
log in as LOKET_USER, default admin, with LOKET_PASSWORD, default bench/homes.py's): the first
call and the warm ones, wall and CPU, each aggregate query on its own, and the load average.
It opens the home as the app does (pending migrations run first: use a copy). `--cold` first
drops the database file from the OS page cache (posix_fadvise), as after a reboot.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import overview as stored  # noqa: E402
from app.db.connection import database  # noqa: E402
from app.db.keystore import KdfParams  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import auth, installation, overview  # noqa: E402
from bench.homes import ADMIN, PASSWORD  # noqa: E402

CHEAP_KDF = KdfParams(time_cost=1, memory_cost=8, parallelism=1)  # set-up only, not timed
STATUSES = ("draft", "excluded", "not_poor", "eligible", "withdrawn")
NOW = "2026-11-30T08:00:00.000Z"


def fill(households: int, bundles: int) -> int:
    """Synthetic rows for every kelurahan; the number of households written."""
    villages = [v.code for v in installation.villages()]
    conn = database.connection()
    total = 0
    for n, code in enumerate(villages):
        peer = f"peer-{n:03d}"
        ids = [f"{code}-{i:06d}" for i in range(households)]
        conn.executemany(
            "INSERT INTO household (id, village_code, rw, rt, housing, assets, musyawarah,"
            " status, exclusions, created_at, updated_at, revs) VALUES"
            " (?, ?, 1, 1, '{}', '{}', '{}', ?, '[]', ?, ?, '[]')",
            [(h, code, STATUSES[i % len(STATUSES)], NOW, NOW) for i, h in enumerate(ids)],
        )
        numbers = [s for s in range(1, bundles + 1) if not (n % 10 == 0 and s == 2)]
        per = max(1, households // len(numbers))
        for k, sequence in enumerate(numbers):
            bundle = f"{peer}-{sequence}"
            conn.execute(
                "INSERT INTO bundle_log (bundle_id, kind, direction, peer, sequence,"
                " manifest_hash, created_at, logged_at, counts) VALUES"
                " (?, 'households', 'in', ?, ?, ?, ?, ?, '{}')",
                (bundle, peer, sequence, bundle, NOW, f"2026-11-{10 + sequence:02d}T08:00:00"),
            )
            conn.executemany(
                "INSERT INTO bundle_outcome (bundle_id, household_id, rev, outcome)"
                " VALUES (?, ?, '1-x', 'applied')",
                [(bundle, h) for h in ids[k * per : (k + 1) * per]],
            )
        if n % 2 == 0:
            conn.execute(
                "INSERT INTO received_meeting (id, peer, bundle_id, village_code, date,"
                " minutes_number, record, received_at) VALUES (?, ?, ?, ?, '2026-11-20', ?,"
                " '{}', ?)",
                (f"m-{n}", peer, f"{peer}-1", code, f"BA/{n}/XI/2026", NOW),
            )
        conn.executemany(
            "INSERT INTO conflict (household_id, rev, document, recorded_at, source)"
            " VALUES (?, ?, '{}', ?, 'bench')",
            [(h, rev, NOW) for h in ids[:3] for rev in ("2-a", "2-b")],
        )
        total += households
    conn.commit()
    return total


def timed(label: str, call: Callable[[], object]) -> object:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    print(f"  {label}: {time.perf_counter() - wall:.3f} s wall, "
          f"{time.process_time() - cpu:.3f} s CPU")  # fmt: skip
    return result


def drop_cache(db: Path) -> None:
    for path in db.parent.glob(db.name + "*"):
        with open(path, "rb") as f:
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def existing_home(home: Path, cold: bool) -> None:
    """Times the overview on an existing Dinsos home (see the module text)."""
    paths = resolve_paths(home=home)
    if cold:
        drop_cache(paths.db)
    dropped = "; page cache dropped" if cold else ""
    size = paths.db.stat().st_size / 1e6
    print(f"load average {os.getloadavg()[0]:.2f}; database {size:,.0f} MB{dropped}")
    started = time.perf_counter()
    officer = auth.log_in(
        paths, os.environ.get("LOKET_USER", ADMIN), os.environ.get("LOKET_PASSWORD", PASSWORD)
    )
    print(f"log-in (with any pending migration): {time.perf_counter() - started:.2f} s")
    try:
        for run in ("first", "warm", "warm"):
            print(f"overview ({run}):")
            rows = timed("whole", lambda: overview.overview(officer))
        area = installation.dinsos_area() or "31"
        print("each query (warm):")
        timed("households_by_status", lambda: stored.households_by_status(area))
        timed("households_in_conflict", lambda: stored.households_in_conflict(area))
        timed("latest_meetings", lambda: stored.latest_meetings(area))
        timed("bundles_by_village", lambda: stored.bundles_by_village(area, "households"))
        timed("received_sequences", lambda: stored.received_sequences("households"))
        assert isinstance(rows, list)
        print(f"{len(rows)} kelurahan, {sum(r.households for r in rows):,} households; "
              f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    finally:
        auth.log_out()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=2000, help="per kelurahan")
    parser.add_argument("--bundles", type=int, default=6, help="per kelurahan")
    parser.add_argument("--home", type=Path, help="time this existing Dinsos home instead")
    parser.add_argument("--cold", action="store_true", help="with --home: drop the page cache")
    args = parser.parse_args()
    if args.home:
        existing_home(args.home, args.cold)
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(home=Path(tmp) / "dinsos")
        officer, _recovery = auth.set_up(paths, "admin", "Admin", "rahasia-bench-1", CHEAP_KDF)
        installation.set_dinsos(None, officer)
        started = time.perf_counter()
        total = fill(args.households, args.bundles)
        print(f"set-up: {total:,} households in 267 kelurahan, written in "
              f"{time.perf_counter() - started:.1f} s (not timed)")  # fmt: skip
        print(f"database: {paths.db.stat().st_size / 1e6:.0f} MB")
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            rows = overview.overview(officer)
            timings.append(time.perf_counter() - started)
        assert len(rows) == len(installation.villages())
        assert sum(r.households for r in rows) == total
        print(f"overview of {len(rows)} kelurahan: first {timings[0]:.3f} s, "
              f"then {min(timings[1:]):.3f} s (target < 1 s)")  # fmt: skip
        started = time.perf_counter()
        overview.write_xlsx(rows, Path(tmp) / "ikhtisar.xlsx", paths=paths)
        print(f"XLSX export: {time.perf_counter() - started:.3f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (whole process): {peak:.0f} MB")
        auth.log_out()


if __name__ == "__main__":
    main()
