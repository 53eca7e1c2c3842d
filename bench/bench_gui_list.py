"""Benchmark (run by hand): the household list as the officer sees it, through the Qt model.

    .venv/bin/python bench/bench_gui_list.py [--households 50000] [--home DIR]

Creates demo data in a temporary home (or reuses --home if it already holds households), then
measures, offscreen: cold construction of the main window's list (model + first page shown),
scrolling through the first 2,000 rows, Ctrl+End to the last household, a search as typed
and a sort by head of household.
Budgets (DESIGN §9): list open < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homes import demo_home  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from report import record  # noqa: E402

from app.services import households  # noqa: E402
from app.ui.application import create_main_window  # noqa: E402
from app.ui.runner import Runner  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--home", help="existing home to reuse (default: a temporary one)")
    args = parser.parse_args()
    _paths, officer = demo_home(args.home, args.households, "demo-admin")
    total = households.household_count()
    app = QApplication.instance() or QApplication([])

    opens = []
    for _ in range(5):
        started = time.perf_counter()
        window = create_main_window(officer, Runner(synchronous=True))
        window.show()
        while window.model.rowCount() == 0:  # until the list knows its households
            app.processEvents()
        window.model.index(0, 0).data()  # ... and has read the first page it draws
        app.processEvents()
        opens.append(time.perf_counter() - started)
        window.close()
        window.deleteLater()
        app.processEvents()

    window = create_main_window(officer, Runner(synchronous=True))
    window.show()
    app.processEvents()
    table = window.list_page.table
    started = time.perf_counter()
    for row in range(199, min(2000, window.model.rowCount()), 200):  # as before: 200 at a time
        table.scrollTo(window.model.index(row, 0))
        app.processEvents()
    scroll = time.perf_counter() - started
    table.setFocus()
    started = time.perf_counter()
    QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    app.processEvents()
    to_end = time.perf_counter() - started
    assert table.currentIndex().row() == window.model.rowCount() - 1

    searches = []
    for text in ("sari", "3174", "budi", "wati", "ahmad"):
        started = time.perf_counter()
        window.list_page.search.setText(text)  # shown, as typed (the pause skipped)
        window.search(text)
        app.processEvents()
        searches.append(time.perf_counter() - started)
    window.list_page.search.setText("")
    window.search("")
    started = time.perf_counter()
    window.list_page.filters.set_sort("head_name", False)  # a header click
    app.processEvents()
    sort = time.perf_counter() - started

    median_open = statistics.median(opens)
    record("household list open (window + first page, Qt)", median_open * 1e3, "ms", budget=300)
    record("search through the list's model", statistics.median(searches) * 1e3, "ms")
    print(f"households in database          {total:>10,}")
    print(
        f"list open (window + first page) {median_open * 1000:>8.1f} ms  budget 300 ms  "
        f"{'pass' if median_open < 0.3 else 'MISS'}"
    )
    print(f"scroll through 2,000 rows       {scroll * 1000:>8.1f} ms")
    print(f"Ctrl+End to the last household  {to_end * 1000:>8.1f} ms  (one key press)")
    print(f"sort all by head of household   {sort * 1000:>8.1f} ms")
    print(f"search via model (median of 5)  {statistics.median(searches) * 1000:>8.1f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the app process  {peak:>8.0f} MB (window open, 2,000 rows loaded)")


if __name__ == "__main__":
    main()
