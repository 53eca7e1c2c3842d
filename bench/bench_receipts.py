"""Benchmark (run by hand): receipts (tanda terima) as PDF.

    .venv/bin/python bench/bench_receipts.py [--batch 1000] [--paper a5]

Sets up a temporary encrypted home, loads demo households, then times
1. one receipt through the service (`prepare_receipt`: read the household, render the PDF;
   median and p95 over 200 runs of the same household), and the PDF layout alone;
2. a batch: `print_receipt` (render + record + audit entry) for N different households in a
   row, time per receipt.
Budget: under 100 ms per receipt. The first receipt of a process also loads the fonts
(printed separately).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report import record  # noqa: E402

from app.db.keystore import KdfParams  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.receipts import receipt_content, render_receipt  # noqa: E402
from app.services import (  # noqa: E402
    auth,
    demo,
    households,  # noqa: E402
)
from app.services import receipts as receipt_service  # noqa: E402

RUNS = 200
CHEAP_KDF = KdfParams(time_cost=1, memory_cost=8, parallelism=1)  # set-up only, not timed


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--paper", default="a5")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(home=Path(tmp) / "home")
        officer, _ = auth.set_up(
            paths, "admin", "Admin Kelurahan", "kopi tubruk lontong 47", CHEAP_KDF
        )
        summary = demo.load_demo(int(args.batch * 1.6) + 50, seed=1, officer=officer)
        print(f"demo: {summary['households']} households ({summary['registered']} registered)")
        final = [
            row.id
            for row in households.household_page(None, args.batch * 2)
            if row.registration_number and row.status != "draft"
        ]
        if len(final) < args.batch:
            sys.exit(f"only {len(final)} households saved as final; raise the demo size")

        started = time.perf_counter()
        receipt_service.prepare_receipt(final[0], officer, args.paper)
        print(f"first receipt of the process (fonts loaded): {ms(time.perf_counter() - started)}")

        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            receipt = receipt_service.prepare_receipt(final[0], officer, args.paper)
            times.append(time.perf_counter() - started)
        times.sort()
        record(f"receipt PDF ({args.paper}: read + render)", statistics.median(times) * 1e3, "ms",
               budget=100)  # fmt: skip
        print(
            f"one receipt ({args.paper}, service: read + render), {RUNS} runs: "
            f"median {ms(statistics.median(times))}, p95 {ms(times[int(RUNS * 0.95)])}, "
            f"{len(receipt.pdf) / 1024:.0f} KiB"
        )

        doc = households.load_household(final[0])
        content = receipt_content(
            doc,
            province="DKI Jakarta",
            kelurahan="Tebet Timur",
            kecamatan="Tebet",
            kota="Kota Administrasi Jakarta Selatan",
            officer_name="Admin",
            issued_at=dt.datetime.now(dt.UTC),
        )
        for paper in ("a5", "a4", "thermal80"):
            layout = []
            for _ in range(RUNS // 2):
                started = time.perf_counter()
                render_receipt(content, paper)
                layout.append(time.perf_counter() - started)
            print(f"layout alone, {paper}: median {ms(statistics.median(layout))}")

        started = time.perf_counter()
        for household_id in final[: args.batch]:
            receipt_service.print_receipt(household_id, officer, args.paper)
        total = time.perf_counter() - started
        print(
            f"batch of {args.batch} receipts (render + record + audit): {total:.1f} s, "
            f"{ms(total / args.batch)} per receipt"
        )
        auth.log_out()


if __name__ == "__main__":
    main()
