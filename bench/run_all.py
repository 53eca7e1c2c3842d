"""Run every benchmark in bench/ and print one table of the figures that have a budget.

    .venv/bin/python bench/run_all.py [--households 50000]     (or: python3 dev.py bench)

Each bench_*.py runs in its own process, one after the other (so they do not compete for the
cores), prints its detailed output as it goes, and creates its own data in a temporary home
(`demo --households N` for those that work on a database). Its headline figures come back
through bench/report.py. The table at the end: figure, measured median, budget (DESIGN §9),
pass or MISS, and the peak memory (resident set) of the process that measured the step, up to
that step. Exit status 1 when a script failed; a missed budget is a finding, not a failure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import REPORT_ENV

BENCH = Path(__file__).resolve().parent
# The scripts that take the database size; the others measure things of a fixed size.
SIZED = {"bench_foundation.py", "bench_gui_list.py", "bench_encryption.py", "bench_bundles.py",
         "bench_dinsos_import.py",
         "bench_cold_start.py"}  # fmt: skip


def run(script: Path, households: int, report: Path) -> tuple[int, float]:
    """Run one script with the report file named in its environment: its exit status and
    wall-clock seconds."""
    command = [sys.executable, str(script)]
    if script.name in SIZED:
        command += ["--households", str(households)]
    env = {**os.environ, REPORT_ENV: str(report), "QT_QPA_PLATFORM": "offscreen"}
    print(f"\n== {script.name}", flush=True)
    started = time.perf_counter()
    status = subprocess.call(command, cwd=BENCH.parent, env=env)
    return status, time.perf_counter() - started


def verdict(line: dict) -> str:
    budget, value = line["budget"], line["value"]
    if budget is None:
        return ""
    met = value >= budget if line["higher_is_better"] else value < budget
    return "pass" if met else "MISS"


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def table(lines: list[dict]) -> list[str]:
    rows = [("figure", "median", "budget", "", "peak MB")]
    for line in lines:
        unit = line["unit"]
        budget = line["budget"]
        sign = ">=" if line["higher_is_better"] else "<"
        rows.append((
            line["figure"],
            f"{number(line['value'])} {unit}",
            "" if budget is None else f"{sign} {number(budget)} {unit}",
            verdict(line),
            "" if line["peak_mb"] is None else f"{line['peak_mb']:,.0f}",
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    out = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        out.append(" | ".join(cells).rstrip())
        if n == 0:
            out.append("-+-".join("-" * w for w in widths))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000, metavar="N")
    args = parser.parse_args()
    scripts = sorted(BENCH.glob("bench_*.py"))
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="loket-bench-all-") as scratch:
        report = Path(scratch) / "figures.jsonl"
        report.touch()
        started = time.perf_counter()
        for script in scripts:
            status, seconds = run(script, args.households, report)
            print(f"-- {script.name}: {seconds:.0f} s" + (f", exit {status}" if status else ""))
            if status:
                failed.append(script.name)
        lines = [json.loads(text) for text in report.read_text().splitlines()]
        total = time.perf_counter() - started
    print(
        f"\nLoket DTKS benchmarks: {args.households:,} demo households, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}; "
        f"{total / 60:.0f} min in all"
    )
    print("\n".join(table(lines)))
    missed = sum(verdict(line) == "MISS" for line in lines)
    passed = sum(verdict(line) == "pass" for line in lines)
    print(f"\n{passed} within budget, {missed} missed" + (f"; FAILED: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
