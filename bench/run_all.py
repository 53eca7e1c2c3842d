"""Run every benchmark in bench/ and print one table of the figures that have a budget.

    .venv/bin/python bench/run_all.py [--households 50000] [--dinsos-267 [--keep-267 DIR]]
                                      [--only NAMES]      (or: python3 dev.py bench ...)

Each bench_*.py runs in its own process (through launch.py, as the app's decoder process needs:
see there), one after the other (so they do not compete for the cores), prints its detailed
output as it goes, and creates its own data in a temporary home (`demo --households N` for those
that work on a database). Its headline figures come back through bench/report.py. The table at
the end: figure, measured median, budget (DESIGN §9), pass or MISS, and the peak memory
(resident set) of the process that measured the step, up to that step. Exit status 1 when a
script failed; a missed budget is a finding, not a failure.

Then the table of issue 20's goals (report.GOALS): each goal's measured value, its budget, its
ratio to the baseline measured in the same run (figures vary ±20% between runs on a shared
machine, the ratio much less) with the ratio's goal, pass or MISS (both must hold), and the
CPU seconds beside the wall time. The 267-bundle Dinsos benchmark (bench_dinsos_267.py at
issue 20's 9,000 households per kelurahan: ~10 min to write the bundles, ~17 min to import
them) runs only with `--dinsos-267`; `--keep-267 DIR` keeps its bundles in DIR for the next
run (its `--keep`). The load average is printed before and after.
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

from report import GOALS, REPORT_ENV

BENCH = Path(__file__).resolve().parent
# The scripts that take the database size; the others measure things of a fixed size.
SIZED = {"bench_foundation.py", "bench_gui_list.py", "bench_encryption.py", "bench_bundles.py",
         "bench_dinsos_import.py",
         "bench_cold_start.py", "bench_export_baseline.py"}  # fmt: skip
OPTIONAL = {"bench_dinsos_267.py": "dinsos_267"}  # run only with its flag: too long by default
HOUSEHOLDS_267 = 9_000  # per kelurahan, as issue 20 asks
# Run by hand only: they measure a home given with --home (bench_list_dinsos.py: a Dinsos home
# that bench_dinsos_267.py --keep leaves)
BY_HAND = {"bench_list_dinsos.py"}


def run(script: Path, households: int, report: Path, keep_267: Path | None) -> tuple[int, float]:
    """Run one script with the report file named in its environment: its exit status and
    wall-clock seconds."""
    command = [sys.executable, str(BENCH / "launch.py"), str(script)]  # launch.py: why
    if script.name in SIZED:
        command += ["--households", str(households)]
    if script.name == "bench_dinsos_267.py":
        command += ["--households", str(HOUSEHOLDS_267)]
        command += ["--keep", str(keep_267)] if keep_267 else []
    env = {**os.environ, REPORT_ENV: str(report), "QT_QPA_PLATFORM": "offscreen"}
    print(f"\n== {script.name}", flush=True)
    started = time.perf_counter()
    status = subprocess.call(command, cwd=BENCH.parent, env=env)
    return status, time.perf_counter() - started


def ratio(line: dict) -> float | None:
    """The value's ratio to its baseline: of the speeds (`speed`) or of the times."""
    base = line.get("baseline")
    if not base or not line["value"]:
        return None
    return base / line["value"] if line.get("speed") else line["value"] / base


def verdict(line: dict) -> str:
    """pass when the budget and the ratio goal (each when there is one) are met."""
    budget, value, goal = line["budget"], line["value"], line.get("ratio_goal")
    checks = []
    if budget is not None:
        checks.append(value >= budget if line["higher_is_better"] else value < budget)
    found = ratio(line)
    if goal is not None:
        checks.append(found is not None and (found >= goal if line.get("speed") else found <= goal))
    if not checks:
        return ""
    return "pass" if all(checks) else "MISS"


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def ratio_cells(line: dict) -> tuple[str, str]:
    """The ratio to the baseline and its goal, as printed."""
    found, goal = ratio(line), line.get("ratio_goal")
    kind = "speed" if line.get("speed") else "time"
    shown = "" if found is None else f"{found:.2f}x {kind}"
    if goal is None:
        return shown, ""
    return shown or "no baseline", f"{'>=' if line.get('speed') else '<='} {goal:.2f}x"


def row_of(line: dict, figure: str) -> tuple[str, ...]:
    unit, budget = line["unit"], line["budget"]
    sign = ">=" if line["higher_is_better"] else "<"
    cpu = line.get("cpu")
    return (
        figure,
        f"{number(line['value'])} {unit}",
        "" if cpu is None else f"{number(cpu)} {unit}",
        "" if budget is None else f"{sign} {number(budget)} {unit}",
        *ratio_cells(line),
        verdict(line),
        "" if line["peak_mb"] is None else f"{line['peak_mb']:,.0f}",
    )


HEAD = ("figure", "median", "CPU", "budget", "ratio to baseline", "ratio goal", "", "peak MB")


def table(lines: list[dict]) -> list[str]:
    return aligned([HEAD, *(row_of(line, line["figure"]) for line in lines)])


def goals_table(lines: list[dict], ran: set[str]) -> list[str]:
    """Issue 20's goals in its order: the line recorded for each (the last, if several), or
    why there is none."""
    rows = [("goal (issue 20)", *HEAD[1:])]
    for key, name in GOALS.items():
        found = [line for line in lines if line.get("goal") == key] or adapted(key, lines)
        if found:
            rows.append(row_of(found[-1], name))
        else:
            why = "not run (--dinsos-267)" if key == "dinsos-267" and key not in ran else "—"
            rows.append((name, why, "", "", "", "", "not measured", ""))
    return aligned(rows)


EXPORT_BASELINE = "bench_export_baseline.py"  # export and its SELECT + orjson baseline


def adapted(key: str, lines: list[dict]) -> list[dict]:
    """The export goal from bench_export_baseline.py's two lines, when it tags neither: its
    export seconds (budget < 2 s) and its speed ratio to SELECT + orjson (>= 0.5)."""
    if key != "export":
        return []
    mine = [line for line in lines if line["script"] == EXPORT_BASELINE]
    seconds = [line for line in mine if line["unit"] == "s"]
    ratios = [line for line in mine if line["unit"] == "x"]
    if not seconds:
        return []
    line = dict(seconds[-1])
    if ratios:  # ratio = baseline / export seconds
        line.update(baseline=ratios[-1]["value"] * line["value"], speed=True,
                    ratio_goal=ratios[-1]["budget"])  # fmt: skip
    return [line]


def aligned(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
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
    parser.add_argument("--dinsos-267", action="store_true", help="also bench_dinsos_267.py")
    parser.add_argument("--keep-267", type=Path, metavar="DIR", help="its bundles kept in DIR")
    parser.add_argument("--only", metavar="NAMES", help="comma-separated parts of script names")
    args = parser.parse_args()
    scripts = [s for s in sorted(BENCH.glob("bench_*.py")) if s.name not in BY_HAND
               and (s.name not in OPTIONAL or getattr(args, OPTIONAL[s.name]))]  # fmt: skip
    if args.only:
        scripts = [s for s in scripts if any(n in s.name for n in args.only.split(","))]
    ran = {"dinsos-267"} if args.dinsos_267 else set()
    load = os.getloadavg()
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="loket-bench-all-") as scratch:
        report = Path(scratch) / "figures.jsonl"
        report.touch()
        started = time.perf_counter()
        for script in scripts:
            status, seconds = run(script, args.households, report, args.keep_267)
            print(f"-- {script.name}: {seconds:.0f} s" + (f", exit {status}" if status else ""))
            if status:
                failed.append(script.name)
        lines = [json.loads(text) for text in report.read_text().splitlines()]
        total = time.perf_counter() - started
    print(
        f"\nLoket DTKS benchmarks: {args.households:,} demo households, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}; "
        f"{total / 60:.0f} min in all; load average {load[0]:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after"
    )
    print("\n".join(table(lines)))
    print()
    print("\n".join(goals_table(lines, ran)))
    missed = sum(verdict(line) == "MISS" for line in lines)
    passed = sum(verdict(line) == "pass" for line in lines)
    print(f"\n{passed} within budget, {missed} missed" + (f"; FAILED: {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
