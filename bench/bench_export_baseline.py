"""Benchmark (run by hand, not a test): a full bundle export against its baseline (issue 20).

    .venv/bin/python bench/bench_export_baseline.py [--households 50000] [--home DIR]
                                                    [--runs 2] [--profile FILE]

A field laptop with N demo households (seed 1) exports every household to a trusted peer
(compressed, signed, encrypted: `export_bundle(full=True)`); the baseline reads the same rows
with one `SELECT` per table (every household row, then every member row, streamed) and turns
each row into JSON with orjson: what any export must at least do. Both are timed `--runs`
times, alternating, in the same process: wall seconds and CPU seconds (time.process_time), and
the load average before and after (the machine is shared). Issue 20's goal: export < 2 s at
50,000 households and its speed >= 0.5x the baseline's (baseline seconds / export seconds, the
best run of each). Each full export also adds its 50,000 (household, revision) rows to
`bundle_content`, so a reused home grows slower export by export.

`--home DIR` keeps the two installations there and reuses them on the next run (the demo load
is not measured). `--profile FILE` writes a cProfile of one more export to FILE.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homes import opened, set_up_home, trust  # noqa: E402
from report import record  # noqa: E402

from app.db.connection import database  # noqa: E402
from app.db.households import HOUSEHOLD_COLUMNS, member_fields  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import auth  # noqa: E402
from app.services.demo import load_demo  # noqa: E402
from app.services.sync.export import export_bundle  # noqa: E402

REFERENCE = 50_000
LAPTOP, KELURAHAN = "laptop", "kelurahan"


def select_orjson() -> int:
    """Every household and member row (the columns of the document, not the stored document),
    one SELECT per table, each row as JSON: bytes made."""
    size = 0
    for sql in (
        f"SELECT id, {', '.join(HOUSEHOLD_COLUMNS)} FROM household",
        f"SELECT household_id, id, position, {', '.join(member_fields())} FROM member",
    ):
        cursor = database.execute_sql(sql)
        while rows := cursor.fetchmany(2000):
            size += sum(len(orjson.dumps(row)) for row in rows)
    return size


def timed(fn: object) -> tuple[float, float, object]:
    assert callable(fn)
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=REFERENCE, metavar="N")
    parser.add_argument("--home", type=Path, help="keep (and reuse) the installations here")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--profile", type=Path, metavar="FILE")
    args = parser.parse_args()
    root = args.home or Path(tempfile.mkdtemp(prefix="loket-bench-export-"))
    laptop = resolve_paths(home=root / LAPTOP)
    if not auth.is_set_up(laptop):
        root.mkdir(parents=True, exist_ok=True)
        laptop, laptop_key = set_up_home(root, LAPTOP)
        kelurahan, kelurahan_key = set_up_home(root, KELURAHAN)
        trust(laptop, kelurahan_key, KELURAHAN)
        with opened(laptop) as officer:
            started = time.perf_counter()
            load_demo(args.households, seed=1, officer=officer)
            print(f"demo: {args.households:,} households in {time.perf_counter() - started:.1f} s")
    out = root / "full.bundle"
    print(f"load average before: {os.getloadavg()}; {os.cpu_count()} CPUs")
    exports: list[tuple[float, float]] = []
    bases: list[tuple[float, float]] = []
    with opened(laptop) as officer:
        count = database.execute_sql("SELECT COUNT(*) FROM household").fetchone()[0]

        def export() -> int:
            export_bundle(KELURAHAN, out, officer, full=True, force=True)
            return out.stat().st_size

        for run in range(args.runs):
            wall, cpu, size = timed(export)
            exports.append((wall, cpu))
            print(f"run {run + 1}: export {wall:.2f} s (CPU {cpu:.2f} s), {size / 1e6:.1f} MB")
            wall, cpu, size = timed(select_orjson)
            bases.append((wall, cpu))
            print(f"run {run + 1}: SELECT + orjson {wall:.2f} s (CPU {cpu:.2f} s), "
                  f"{size / 1e6:.1f} MB of JSON")  # fmt: skip
        if args.profile:
            cProfile.runctx("export()", globals(), {"export": export}, str(args.profile))
    print(f"load average after: {os.getloadavg()}")
    (best_e, cpu_e), (best_b, cpu_b) = min(exports), min(bases)
    ratio = best_b / best_e
    scale = count / REFERENCE
    print(f"{count:,} households: export {best_e:.2f} s (CPU {cpu_e:.2f} s), baseline "
          f"{best_b:.2f} s (CPU {cpu_b:.2f} s), ratio {ratio:.2f} (CPU {cpu_b / cpu_e:.2f}; "
          f">= 0.5: {'pass' if ratio >= 0.5 else 'MISS'}); "
          f"< {2 * scale:.2f} s: {'pass' if best_e < 2 * scale else 'MISS'}")  # fmt: skip
    record(f"bundle export, {count:,} households, full (best of {args.runs})", best_e, "s",
           2 * scale, baseline=best_b, ratio_goal=0.5, speed=True, cpu=cpu_e,
           goal="export")  # fmt: skip
    if args.home is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
