"""Headline figures of a benchmark, for the one table that `bench/run_all.py` prints.

Each bench script prints its own detailed output and also calls `record` for the figures that
have a budget in DESIGN §9 (and a few that explain them). When run by `run_all.py`, the
environment names a file (LOKET_BENCH_REPORT) and each figure is appended to it as one JSON
line; run on its own, a script records nothing and `record` does nothing.
"""

from __future__ import annotations

import json
import os
import sys

try:
    import resource
except ImportError:  # Windows: no high-water mark to read
    resource = None

REPORT_ENV = "LOKET_BENCH_REPORT"
# The goals of issue 20, in the order of its table: key -> what `run_all.py` prints for it
# (a goal whose script did not run, or recorded nothing, is printed as not measured).
GOALS = {
    "import": "import of 50,000 new households",
    "reimport": "re-import, 10% changed (45,000 unchanged)",
    "export": "full export (zstd, sign, encrypt)",
    "dinsos": "one kelurahan bundle into Dinsos (2.4M rows)",
    "dinsos-267": "267 kelurahan bundles into one Dinsos",
}


def peak_rss_mb() -> float | None:
    """The process's resident memory high-water mark so far, in MB (None on Windows)."""
    if resource is None:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, else KiB


def record(
    figure: str,
    value: float,
    unit: str,
    budget: float | None = None,
    higher_is_better: bool = False,
    peak_mb: float | None = None,
    baseline: float | None = None,
    ratio_goal: float | None = None,
    speed: bool = False,
    cpu: float | None = None,
    goal: str | None = None,
) -> None:
    """Record `figure` (a median, in `unit`) with its budget: below it passes, or at or above
    it when `higher_is_better`. `peak_mb` is the memory of the step that produced it; by
    default, the process's RSS high-water mark so far.

    `baseline` (issue 20): the same work done the plain way (in `unit`), measured in the
    same run (the figures vary ±20% between runs, a ratio much less). The table shows the
    ratio of the time to it (`value / baseline`: at most `ratio_goal` passes) or, `speed`,
    the ratio of the speeds (`baseline / value`: at least `ratio_goal` passes). `cpu`: the
    CPU seconds of the step (time.process_time, plus any process it started and waited for),
    shown beside the wall time. `goal`: the key
    of the issue-20 goal it measures (GOALS), for the table of goals."""
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    line = {
        "figure": figure,
        "value": value,
        "unit": unit,
        "budget": budget,
        "higher_is_better": higher_is_better,
        "peak_mb": peak_rss_mb() if peak_mb is None else peak_mb,
        "baseline": baseline,
        "ratio_goal": ratio_goal,
        "speed": speed,
        "cpu": cpu,
        "goal": goal,
        "script": os.path.basename(sys.argv[0]),
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
