"""Benchmark (run by hand, not a test): one kelurahan bundle into the Dinsos database
(DESIGN §9: into a 2.5M-row Dinsos database, under 10 s per bundle; issue 20: under 6 s with
the safety copy).

    .venv/bin/python bench/bench_dinsos_import.py [--households 50000] [--stored 500000]
                                                  [--keep DIR] [--profile FILE]

Two installations in a temporary folder (bench/homes.py): a kelurahan (31.74.01.1001) that
holds N demo households (seed 1) and exports them all, and Dinsos, which keeps every kelurahan
of Jakarta (scope `31`) and already holds `--stored` demo households of another kelurahan of
the same kecamatan (31.74.01.1002, seed 2; by default ten times N, about 2.5 million household
and member rows at N = 50,000). Demo NIKs and No. KK are unique across kelurahan (as real ones
are), so the bundle's possible-duplicate pairs are only what the data holds. Measured: the
import of the kelurahan's bundle into Dinsos, every household new, as the day's first import
run, with the safety copy it takes (app/services/backups.begin_before_import: a thread writes
it beside the import, which waits for it before it commits): what the copy added to the wall
time, and how long the copy itself took. Later import runs that day take no copy, and one run
(`bundle import *.bundle`) takes one for all its bundles: for them the figure is the import
without the copy. `--keep DIR` sets up
in DIR and keeps the set-up (DIR/ready: the loaded Dinsos home and the bundle; ~10 min to
make); a later run with the same DIR and sizes copies that Dinsos home back and imports into
the copy. `--profile FILE` profiles the import (cProfile in CPU time, which the load of a
shared machine changes less than wall time: FILE and the top of it printed; the SQLite
statements show as their callers' `execute`).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_bundles import children_cpu, importing  # noqa: E402
from homes import opened, set_up_home, trust  # noqa: E402
from report import peak_rss_mb, record  # noqa: E402

from app.db import connection  # noqa: E402
from app.paths import AppPaths, resolve_paths  # noqa: E402
from app.services import installation  # noqa: E402
from app.services.demo import load_demo  # noqa: E402
from app.services.sync import imports as bundles  # noqa: E402
from app.services.sync.export import export_bundle  # noqa: E402

REFERENCE = 50_000  # the households of one kelurahan, as in DESIGN §9
BUDGET_S = 10  # per bundle, at the reference size (DESIGN §9)
GOAL_S = 6  # the day's first, with its safety copy (issue 20)
STORED_VILLAGE = "31.74.01.1002"  # Dinsos' own demo households: the kelurahan's neighbour


def set_up(root: Path, households: int, stored: int) -> tuple[AppPaths, Path, int]:
    """The two installations in root, Dinsos loaded; the kelurahan's full bundle for Dinsos."""
    kelurahan, kelurahan_key = set_up_home(root, "kelurahan")
    dinsos, dinsos_key = set_up_home(root, "dinsos")
    trust(kelurahan, dinsos_key, "dinsos")
    trust(dinsos, kelurahan_key, "kelurahan")
    with opened(dinsos) as officer:
        bundles.set_scope("31", officer)
        installation.set_village(STORED_VILLAGE, officer)  # whose demo households it holds
        started = time.perf_counter()
        held = load_demo(stored, seed=2, officer=officer)
        installation.set_dinsos(None, officer)  # the province: its safety-copy rule
        rows = held["households"] + held["members"]
        size = sum(p.stat().st_size for p in dinsos.db.parent.glob(dinsos.db.name + "*"))
        print(
            f"Dinsos holds {held['households']:,} households + {held['members']:,} members "
            f"= {rows:,} rows ({size / 1e6:,.0f} MB), loaded in "
            f"{time.perf_counter() - started:.0f} s; {os.cpu_count()} CPUs"
        )
    with opened(kelurahan) as officer:
        sent = load_demo(households, seed=1, officer=officer)
        bundle = root / "kelurahan.bundle"
        export_bundle("dinsos", bundle, officer, full=True)
    print(f"the kelurahan's bundle: {sent['households']:,} households, "
          f"{bundle.stat().st_size / 1e6:.1f} MB")  # fmt: skip
    return dinsos, bundle, rows


@contextmanager
def flagging_timed() -> Iterator[list[float]]:
    """Wall and CPU seconds of the import's possible-duplicate flagging (wrapped in place)."""
    taken = [0.0, 0.0]
    flag = bundles.flag_possible_duplicates

    def timed(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return flag(*args, **kwargs)
        finally:
            taken[0] += time.perf_counter() - started
            taken[1] += time.process_time() - cpu

    bundles.flag_possible_duplicates = timed  # type: ignore[assignment]
    try:
        yield taken
    finally:
        bundles.flag_possible_duplicates = flag  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=REFERENCE, metavar="N")
    parser.add_argument("--stored", type=int, metavar="M", help="households Dinsos holds (10 N)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="set up here, reuse later")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="cProfile the import")
    parser.add_argument("--cache-mb", type=int, metavar="MB",
                        help="the import's page cache, BULK_CACHE_MB")  # fmt: skip
    args = parser.parse_args()
    stored = args.stored or 10 * args.households
    scale = args.households / REFERENCE
    with tempfile.TemporaryDirectory(prefix="loket-bench-dinsos-") as scratch:
        root = args.keep or Path(scratch)
        ready = root / f"ready-{args.households}-{stored}-v2"  # v2: NIKs unique across kelurahan
        if ready.exists():  # the kept set-up: a fresh copy of its Dinsos home
            shutil.rmtree(root / "dinsos", ignore_errors=True)
            shutil.copytree(ready / "dinsos", root / "dinsos")
            os.sync()  # the copy on disk, as a Dinsos database is before its import
            dinsos, bundle = resolve_paths(home=root / "dinsos"), ready / "kelurahan.bundle"
            rows = int((ready / "rows").read_text())
            print(f"kept set-up {ready}: Dinsos holds {rows:,} rows")
        else:
            dinsos, bundle, rows = set_up(root, args.households, stored)
            os.sync()  # the set-up's writes on disk, as a Dinsos database is before its import
            if args.keep:
                ready.mkdir()
                shutil.copytree(dinsos.home, ready / "dinsos")
                shutil.copy2(bundle, ready / "kelurahan.bundle")
                (ready / "rows").write_text(str(rows))

        load = os.getloadavg()[0]
        with opened(dinsos) as officer:
            profile = cProfile.Profile(time.process_time) if args.profile else None  # CPU time
            started, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
            if profile:
                profile.enable()
            if args.cache_mb:  # the size the import's own bulk_cache() takes
                connection.BULK_CACHE_MB = args.cache_mb
            with flagging_timed() as flagging:
                report, copy = importing(bundle)(dinsos, officer, False)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            children = children_cpu() - children  # a bundle decoder's process (issue 20)
            waited = time.perf_counter()
            connection.wait_for_checkpoint()  # run by a thread after the import, not in it
            checkpoint = time.perf_counter() - waited
            if profile:
                profile.disable()
                profile.dump_stats(args.profile)
                pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    per_bundle = seconds - copy.added
    peak = peak_rss_mb()
    limit = BUDGET_S * scale
    goal = GOAL_S * scale
    print(
        f"import into {rows:,} rows: {seconds:.2f} s (CPU {cpu:.2f} s + {children:.2f} s in "
        f"child processes; load average {load:.2f}"
        f" before, {os.getloadavg()[0]:.2f} after), of which the safety copy added "
        f"{copy.added:.2f} s (written beside the import in {copy.own:.2f} s; goal < {goal:.1f} s: "
        f"{'pass' if seconds < goal else 'MISS'}); "
        f"without it {per_bundle:.2f} s (budget < {limit:.1f} s: "
        f"{'pass' if per_bundle < limit else 'MISS'}); "
        f"{', '.join(f'{k} {v:,}' for k, v in report.counts.items() if v)}; "
        f"peak memory {peak:.0f} MB"
    )
    print(
        f"of it the possible-duplicate flagging {flagging[0]:.2f} s (CPU {flagging[1]:.2f} s): "
        f"{report.duplicate_count:,} pairs noted; page cache "
        f"{connection.BULK_CACHE_MB} MB"
    )
    record(f"bundle into Dinsos ({rows / 1e6:.1f}M rows), the day's first, with its copy",
           seconds, "s", goal, cpu=cpu + children, goal="dinsos")  # fmt: skip
    record("  later runs that day, or per bundle of a run (no copy)", per_bundle, "s", limit)
    record("  the safety copy: added to the first run's wall time", copy.added, "s")
    record("  the safety copy: written beside the import in", copy.own, "s")
    record("  the WAL checkpoint after it (a thread; not in the wall time)", checkpoint, "s")


if __name__ == "__main__":
    main()
