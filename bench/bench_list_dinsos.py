"""Benchmark (run by hand): the household list on a big Dinsos installation (issue 19).

    .venv/bin/python bench/bench_list_dinsos.py --home DIR [--runs 3] [--village CODE]

DIR is a Dinsos home full of kelurahan bundles, e.g. a copy of the one bench_dinsos_267.py
--keep leaves (640,800 households; log in as LOKET_USER, default admin, with LOKET_PASSWORD,
default bench/homes.py's). Measures, each the median of --runs, wall and CPU time
(time.process_time): the list's query and its first page of rows (what the officer waits for
before the list shows), its count, with a kelurahan filter (the one with the most households, or
--village), a status filter, other orders, the searches by NIK, registration number and name;
then through the real main window (offscreen): a kelurahan opened from the overview until its
first row is drawn. Budget (issue 19): the list open < 1 s, default and per kelurahan.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homes import ADMIN, PASSWORD  # noqa: E402

from app.db.connection import database  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import auth, listing  # noqa: E402
from app.services.listing import ListQuery  # noqa: E402

PAGE = 200  # rows the list reads for its first page (app/ui/household/list_model.py)


def timed(label: str, job: Callable[[], Any], runs: int, budget: float | None = None) -> Any:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = job()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    verdict = "" if budget is None else ("  pass" if wall < budget else "  MISS")
    size = f"{len(result):>9,}" if isinstance(result, list) else f"{result!s:>9}"
    print(f"{label:46s} wall {wall:7.3f} s  cpu {cpu:7.3f} s  {size}{verdict}")
    return result


def opened(query: ListQuery) -> list[str]:
    """The list's ids and the rows of its first page: what the officer waits for."""
    ids = listing.find_households(query).ids
    listing.household_rows(ids[:PAGE])
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--village", help="kelurahan code (default: the one with most households)")
    parser.add_argument("--no-window", action="store_true", help="skip the main window figure")
    args = parser.parse_args()
    print("load average before:", " ".join(f"{v:.2f}" for v in os.getloadavg()))
    started = time.perf_counter()
    officer = auth.log_in(
        resolve_paths(home=Path(args.home)),
        os.environ.get("LOKET_USER", ADMIN),
        os.environ.get("LOKET_PASSWORD", PASSWORD),
    )
    print(f"log-in (migrations if any)                     {time.perf_counter() - started:7.3f} s")
    village = (
        args.village
        or database.execute_sql(
            "SELECT village_code FROM household"
            " GROUP BY village_code ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]
    )
    nik, number = database.execute_sql(
        "SELECT m.nik, h.registration_number FROM member m JOIN household h"
        " ON h.id = m.household_id WHERE h.village_code = ? AND m.nik IS NOT NULL"
        " AND h.registration_number IS NOT NULL LIMIT 1",
        (village,),
    ).fetchone()
    per_village = "village" in ListQuery.__dataclass_fields__  # not before issue 19's filter
    runs = args.runs
    timed("count of households", listing.household_count, runs)
    timed("list open: query + first page (default)", lambda: opened(ListQuery()), runs, 1.0)
    if per_village:
        timed(f"list open: kelurahan {village}", lambda: opened(ListQuery(village=village)),
              runs, 1.0)  # fmt: skip
        for sort in ("registration_number", "head_name", "member_count", "status"):
            query = ListQuery(village=village, sort=sort, descending=False)
            timed(f"  kelurahan, sorted by {sort}", lambda q=query: opened(q), runs)
        query = ListQuery(village=village, status="draft", rw=1)
        timed("  kelurahan + status + RW", lambda: opened(query), runs)
        timed("  kelurahan's RW/RT (filter choices)", lambda: listing.places(village), runs)
    timed("status filter (whole area)", lambda: opened(ListQuery(status="draft")), runs)
    timed("sorted by registration number (whole area)",
          lambda: opened(ListQuery(sort="registration_number", descending=False)), 1)  # fmt: skip
    timed("search: a NIK", lambda: opened(ListQuery(text=nik)), runs)
    timed("search: a registration number", lambda: opened(ListQuery(text=number)), runs)
    timed("search: its sequence number", lambda: opened(ListQuery(text=number[-6:])), runs)
    timed("search: a name fragment ('sari')", lambda: opened(ListQuery(text="sari")), runs)
    if per_village:
        timed("search: NIK prefix within the kelurahan",
              lambda: opened(ListQuery(text=nik[:8], village=village)), runs)  # fmt: skip
    if per_village and not args.no_window:
        window_figures(officer, village, runs)
    print("load average after: ", " ".join(f"{v:.2f}" for v in os.getloadavg()))


def window_figures(officer: Any, village: str, runs: int) -> None:
    """The main window: Enter on a kelurahan of the overview until the list draws its first
    row; then back to every household (the Dinsos menu's *Daftar keluarga*)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.application import create_main_window
    from app.ui.runner import Runner

    app = QApplication.instance() or QApplication([])
    started = time.perf_counter()
    window = create_main_window(officer, Runner(synchronous=True))
    window.show()
    app.processEvents()
    print(f"main window (overview + the list behind it)    {time.perf_counter() - started:7.3f} s")
    page = window.dinsos_overview

    def from_overview() -> int:
        page.open_requested.emit(village)  # what Enter on its row sends
        window.model.index(0, 1).data()  # the first row read, as drawn
        app.processEvents()
        return window.model.rowCount()

    def every_household() -> int:
        window.list_page.filters.set_village(None)
        window.dinsos_menu.list_action.trigger()  # *Daftar keluarga*: the list, every one
        window.model.index(0, 1).data()
        app.processEvents()
        return window.model.rowCount()

    timed("window: overview -> kelurahan list drawn", from_overview, runs, 1.0)
    timed("window: every household drawn", every_household, runs, 1.0)
    window.close()


if __name__ == "__main__":
    main()
