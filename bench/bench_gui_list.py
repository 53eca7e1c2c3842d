"""Benchmark (run by hand): the household list as the officer sees it, through the Qt model.

    .venv/bin/python bench/bench_gui_list.py [--households 50000] [--home DIR]

Creates demo data in a temporary home (or reuses --home if it already holds households), then
measures, offscreen: cold construction of the main window's list (model + first page shown),
scrolling to the end of the first 2,000 rows, and a search through the model's path.
Budgets (DESIGN §9): list open < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402
from report import record  # noqa: E402

from app.paths import resolve_paths  # noqa: E402
from app.services import auth, households  # noqa: E402
from app.ui.application import create_main_window  # noqa: E402
from app.ui.runner import Runner  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--home", help="existing home to reuse (default: a temporary one)")
    args = parser.parse_args()
    paths = resolve_paths(home=Path(args.home or tempfile.mkdtemp(prefix="loket-bench-")))
    if auth.is_set_up(paths):  # reuse: log in as LOKET_USER (default demo-admin)
        user = os.environ.get("LOKET_USER", "demo-admin")
        officer = auth.log_in(paths, user, os.environ["LOKET_PASSWORD"])
    else:
        officer, _recovery = auth.set_up(paths, "bench", "Bench", "bench-password")
    if households.household_count() == 0:
        from app.services.demo import load_demo

        started = time.perf_counter()
        load_demo(args.households, seed=1)
        print(f"demo data: {args.households} households in {time.perf_counter() - started:.1f} s")
    total = households.household_count()
    app = QApplication.instance() or QApplication([])

    opens = []
    for _ in range(5):
        started = time.perf_counter()
        window = create_main_window(officer, Runner(synchronous=True))
        window.show()
        while window.model.rowCount() == 0:  # until the view has asked for its first page
            app.processEvents()
        opens.append(time.perf_counter() - started)
        window.close()
        window.deleteLater()
        app.processEvents()

    window = create_main_window(officer, Runner(synchronous=True))
    window.show()
    app.processEvents()
    started = time.perf_counter()
    while window.model.rowCount() < 2000 and window.model.canFetchMore():
        window.model.fetchMore()
        window.list_page.table.scrollToBottom()
        app.processEvents()
    scroll = time.perf_counter() - started

    searches = []
    for text in ("sari", "3174", "budi", "wati", "ahmad"):
        started = time.perf_counter()
        window.search(text)
        searches.append(time.perf_counter() - started)

    median_open = statistics.median(opens)
    record("household list open (window + first page, Qt)", median_open * 1e3, "ms", budget=300)
    record("search through the list's model", statistics.median(searches) * 1e3, "ms")
    print(f"households in database          {total:>10,}")
    print(
        f"list open (window + first page) {median_open * 1000:>8.1f} ms  budget 300 ms  "
        f"{'pass' if median_open < 0.3 else 'MISS'}"
    )
    print(f"scroll through 2,000 rows       {scroll * 1000:>8.1f} ms")
    print(f"search via model (median of 5)  {statistics.median(searches) * 1000:>8.1f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the app process  {peak:>8.0f} MB (window open, 2,000 rows loaded)")


if __name__ == "__main__":
    main()
