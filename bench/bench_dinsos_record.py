"""Benchmark (run by hand): Dinsos records news on many households at once (issues 19, 20) —
the lock of a kota's daftar sasaran tetap, whose `target_list` event goes to every household on
it through `dinsos_status.record`.

    .venv/bin/python bench/bench_dinsos_record.py --households 3000
    .venv/bin/python bench/bench_dinsos_record.py --households 20000 --prepare DIR
    .venv/bin/python bench/bench_dinsos_record.py --home DIR

The set-up (not timed) makes a kelurahan home with demo households, decides `--households` of
them eligible in one musyawarah, prints its berita acara and locks it, then makes the home a
Dinsos installation (the province), so every decided household is on the draft of kota 31.74.
`--prepare DIR` keeps that home in DIR (and stops); `--home DIR` times a copy of a prepared
home, so the same home can be timed before and after a change. Timed: `target_lists.lock` of
the kota's list (draft + list rows + one event per household + audit), with CPU time, the load
average, peak Python memory (tracemalloc) and peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
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

from app.paths import resolve_paths  # noqa: E402
from app.services import (  # noqa: E402
    auth,
    demo,
    installation,
    musyawarah,
    musyawarah_docs,
    musyawarah_lock,
    target_lists,
)

PASSWORD = "jeruk-nipis-kuning-7"  # set-up only
KOTA = VILLAGE.rsplit(".", 2)[0]  # 31.74
REGISTERED_SHARE = 0.75  # of demo households, at least this many are on the agenda


def prepare(home: Path, wanted: int) -> None:
    """A Dinsos home whose kota draft holds `wanted` households (see the module)."""
    started = time.perf_counter()
    paths = resolve_paths(home=home)
    officer, _ = auth.set_up(paths, ADMIN, "Admin Kelurahan", PASSWORD, FAST_KDF)
    installation.set_village(VILLAGE, officer)
    demo.load_demo(int(wanted / REGISTERED_SHARE) + 50, seed=7, officer=officer)
    day = dt.date.today() + dt.timedelta(days=7)
    meeting = musyawarah.create_meeting(day, "Aula Kelurahan", officer, time="09.00")
    chosen = [row.household_id for row in musyawarah.agenda(meeting.id, officer).households]
    if len(chosen) < wanted:
        raise SystemExit(f"only {len(chosen)} households on the agenda ({wanted} wanted)")
    musyawarah.decide_many(meeting.id, chosen[:wanted], "eligible", officer)
    paper = musyawarah_docs.prepare_document(meeting.id, "berita-acara", officer)
    musyawarah_docs.issue_document(paper, officer)
    musyawarah_lock.lock_meeting(meeting.id, officer)
    installation.set_dinsos(None, officer)
    auth.log_out()
    print(f"set-up: {wanted:,} households decided and locked in "
          f"{time.perf_counter() - started:.0f} s (not timed)")  # fmt: skip


def time_lock(home: Path) -> None:
    officer = auth.log_in(resolve_paths(home=home), ADMIN, PASSWORD)
    load = os.getloadavg()[0]
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    made = target_lists.lock(KOTA, f"001/DST/{KOTA}/2026", officer)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"lock: {made.households:,} households in {seconds:.1f} s ({cpu:.1f} s CPU, "
          f"{seconds / made.households * 1000:.2f} ms each); load average {load:.2f} -> "
          f"{os.getloadavg()[0]:.2f}; peak Python memory {peak / 2**20:.0f} MB, "
          f"peak RSS {peak_rss_mb() or 0:.0f} MB")  # fmt: skip
    record(f"target-list lock ({made.households:,} households)", seconds, "s",
           peak_mb=peak / 2**20)  # fmt: skip
    auth.log_out()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3_000)
    parser.add_argument("--prepare", type=Path, help="set up a home here and stop")
    parser.add_argument("--home", type=Path, help="time a copy of this prepared home")
    args = parser.parse_args()
    if args.prepare is not None:
        prepare(args.prepare, args.households)
        return
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        if args.home is not None:
            shutil.copytree(args.home, home)
        else:
            prepare(home, args.households)
        time_lock(home)


if __name__ == "__main__":
    main()
