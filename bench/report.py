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
) -> None:
    """Record `figure` (a median, in `unit`) with its budget: below it passes, or at or above
    it when `higher_is_better`. `peak_mb` is the memory of the step that produced it; by
    default, the process's RSS high-water mark so far."""
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
        "script": os.path.basename(sys.argv[0]),
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
