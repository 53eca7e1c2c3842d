"""Benchmark (run by hand): the Dinsos overview of kelurahan (issue 19).

    .venv/bin/python bench/bench_overview.py [--households 2000] [--bundles 6]

Sets up a temporary encrypted Dinsos home (DKI Jakarta) and writes synthetic rows straight
into its tables (not timed): for every one of the 267 kelurahan `households` households with
mixed statuses, `bundles` household bundles received from its own sender (one number missing
in every tenth kelurahan) with an outcome row per household, a locked meeting for every other
kelurahan and a few conflicts. Times `overview.overview` (the aggregate SQL plus assembling
267 rows; target < 1 s) and the XLSX export, and prints the peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db.connection import database  # noqa: E402
from app.db.keystore import KdfParams  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import auth, installation, overview  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=2000, help="per kelurahan")
    parser.add_argument("--bundles", type=int, default=6, help="per kelurahan")
    args = parser.parse_args()
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
