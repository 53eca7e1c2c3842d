"""Benchmark (run by hand, or by `python3 dev.py bench`): importing a pemadanan result file
(issue 19).

    .venv/bin/python bench/bench_pemadanan.py [--households 5000] [--rows 500000]

Sets up a temporary encrypted home with `--households` demo households, makes it a Dinsos
installation, writes a synthetic Bapenda-style CSV of `--rows` rows (every demo member's NIK,
one in ten with a car, the rest NIKs this home does not hold) and times through the service:
1. the preview (read + check every row + look up the file's NIKs at once), budget 60 s at
   500,000 rows;
2. the import (preview again + record the matching of every matched household in bulk, one
   transaction: app/services/dinsos_status.store), reported with its households;
with the peak Python memory of each (tracemalloc) and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homes import ADMIN, FAST_KDF, VILLAGE  # noqa: E402
from report import peak_rss_mb, record  # noqa: E402

from app.db import households as household_rows  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import auth, demo, installation, pemadanan  # noqa: E402

PASSWORD = "jeruk-nipis-kuning-7"
PREVIEW_BUDGET = 60.0  # seconds at 500,000 rows


def write_file(path: Path, rows: int) -> int:
    """The synthetic Bapenda file; returns how many of its rows hold a NIK of this home."""
    niks = [
        str(m["nik"])
        for _change, doc in household_rows.changed_since(0)
        for m in doc["members"]
        if m.get("nik")
    ]
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        out.write("NIK;MOBIL;NJOP;NAMA_WP\n")
        for i in range(rows):
            nik = niks[i] if i < len(niks) else f"3175{rng.randrange(10**12):012d}"
            car = "YA" if rng.random() < 0.1 else "TIDAK"
            out.write(f"{nik};{car};{rng.randrange(10**9):,};WP {i}\n".replace(",", "."))
    return min(rows, len(niks))


def timed(label: str, run):  # type: ignore[no-untyped-def]
    load = os.getloadavg()[0]  # the machine is shared: CPU time is the comparable figure
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: {seconds:.1f} s ({cpu:.1f} s CPU, load average {load:.1f}), "
          f"peak Python memory {peak / 2**20:.0f} MB")  # fmt: skip
    return result, seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5_000)
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(home=Path(tmp) / "home")
        officer, _ = auth.set_up(paths, ADMIN, "Admin Kelurahan", PASSWORD, FAST_KDF)
        installation.set_village(VILLAGE, officer)
        started = time.perf_counter()
        summary = demo.load_demo(args.households, seed=7, officer=officer)
        installation.set_dinsos(None, officer)
        print(f"demo: {summary['households']} households in "
              f"{time.perf_counter() - started:.1f} s (not timed)")  # fmt: skip
        path = Path(tmp) / "bapenda.csv"
        known = write_file(path, args.rows)
        print(f"file: {args.rows:,} rows ({known:,} NIKs of this home), "
              f"{path.stat().st_size / 2**20:.1f} MB")  # fmt: skip
        plan, seconds, peak = timed("preview", lambda: pemadanan.preview(path, "bapenda", officer))
        print("  " + ", ".join(f"{k} {v:,}" for k, v in plan.counts.items()))
        record(f"pemadanan preview ({args.rows:,} rows)", seconds, "s",
               PREVIEW_BUDGET * args.rows / 500_000, peak_mb=peak)  # fmt: skip
        done, seconds, peak = timed("import", lambda: pemadanan.apply(path, "bapenda", officer))
        print(f"  {done.counts['households']:,} households recorded")
        record(f"pemadanan import ({args.rows:,} rows, {args.households:,} households)",
               seconds, "s", peak_mb=peak)  # fmt: skip
        print(f"peak RSS: {peak_rss_mb() or 0:.0f} MB")
        auth.log_out()


if __name__ == "__main__":
    main()
