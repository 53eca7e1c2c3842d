"""Benchmark (run by hand): recaps and working lists at 50,000 households (issue 18).

    .venv/bin/python bench/bench_recaps.py [--households 50000] [--home DIR]

Creates demo data in a temporary home (or reuses --home if it already holds households), then
measures, offscreen: counting the recap (service), the recap PDF and XLSX written through the
service (count + render + write + audit), the *Ringkasan* screen opened until its counts and
chart are shown, and an RW's field-visit list.
Budgets (issue 18): recap PDF < 2 s, Ringkasan < 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homes import demo_home  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from report import record  # noqa: E402

from app.services import auth, households, recaps  # noqa: E402
from app.ui.reports.summary import SummaryDialog  # noqa: E402
from app.ui.runner import Runner  # noqa: E402

RUNS = 5


CPU: dict[str, float] = {}  # median CPU seconds of this process, by figure (a busy machine)


def timed(fn, runs: int = RUNS, name: str = "") -> float:
    """The median seconds of `runs` calls (and its CPU time in CPU[name])."""
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU[name] = statistics.median(cpu)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--home", help="existing home to reuse (default: a temporary one)")
    args = parser.parse_args()
    _paths, officer = demo_home(args.home, args.households, "bench")
    total = households.household_count()
    out = Path(tempfile.mkdtemp(prefix="loket-bench-recap-"))

    count = timed(lambda: recaps.recap(officer), name="count")
    pdf = timed(
        lambda: recaps.write_recap(officer, "pdf", out / "rekap.pdf", force=True), name="pdf"
    )
    xlsx = timed(
        lambda: recaps.write_recap(officer, "xlsx", out / "rekap.xlsx", force=True), name="xlsx"
    )
    recap = recaps.recap(officer)
    rw = max(recap.rws(), key=lambda r: recap.rw_status(r, "registered").households or 0)
    visit = timed(
        lambda: recaps.write_worklist(officer, rw, out / "kunjungan.pdf", force=True),
        runs=3,
        name="worklist",
    )
    pages = (out / "rekap.pdf").read_bytes().count(b"/Type /Page\n")

    app = QApplication.instance() or QApplication([])
    opens, first = [], []
    runner = Runner()  # as the window has it: counting on a worker thread
    for _ in range(RUNS):
        started = time.perf_counter()
        dialog = SummaryDialog(runner, officer)
        dialog.show()
        while dialog.recap is None:  # the counts and the chart shown
            app.processEvents()
        dialog.repaint()
        first.append(time.perf_counter() - started)
        while not dialog.drafts_counted:  # ... then the drafts with missing answers
            app.processEvents()
        dialog.repaint()
        opens.append(time.perf_counter() - started)
        dialog.close()
        dialog.deleteLater()
        app.processEvents()
    runner.shutdown()
    screen = statistics.median(opens)

    print(f"households: {total:,}; RW x RT cells: {len(recap.places)}; load {os.getloadavg()}")
    print("CPU ms: " + ", ".join(f"{k} {v * 1e3:.0f}" for k, v in CPU.items()))
    print(f"recap counts (service):         {count * 1e3:7.0f} ms")
    print(f"recap PDF written ({pages:3d} pages):   {pdf * 1e3:7.0f} ms   (budget 2000)")
    print(f"recap XLSX written:             {xlsx * 1e3:7.0f} ms")
    print(
        f"Ringkasan: counts and chart     {statistics.median(first) * 1e3:7.0f} ms   (budget 1000)"
    )
    print(f"Ringkasan: + drafts incomplete  {screen * 1e3:7.0f} ms")
    print(f"field-visit list RW {rw:03d} PDF:     {visit * 1e3:7.0f} ms")
    record("recap counts (service)", count * 1e3, "ms")
    record("recap PDF at 50,000 households", pdf * 1e3, "ms", budget=2000)
    record("recap XLSX at 50,000 households", xlsx * 1e3, "ms")
    record("Ringkasan open (counts, chart)", statistics.median(first) * 1e3, "ms", budget=1000)
    record("Ringkasan complete (+ drafts missing answers)", screen * 1e3, "ms")
    record("field-visit list of one RW (PDF)", visit * 1e3, "ms")
    auth.log_out()


if __name__ == "__main__":
    main()
