"""Benchmark (run by hand): cold start, from process start to the first paint of the login window.

    .venv/bin/python bench/bench_cold_start.py [--households 50000] [--runs 7]

Sets up a home with the app's own `demo` command (in a temporary folder), then starts the app
on it `--runs` times, offscreen, each time in a new Python process, as an officer starting it
from the desktop does. The time runs from just before the process is started to the moment the
first window (the login dialog: the first thing a user can type into) receives its first paint
event; the process then exits. The first start is printed on its own: it also warms the
operating system's file cache, which the others find warm. Budget (DESIGN §9): under 1 s.

The child is this script with --child: it creates the QApplication the app then reuses, puts
an event filter on it that watches for the first paint of a window, and runs the app's own
entry point (`app.cli.main.main`), so the whole real start-up path is measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 1000
PAINTED = "first paint"


def child(home: str) -> None:
    """Run the app on `home`; print PAINTED and exit at the first paint of a window."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if (event.type() == QEvent.Type.Paint and isinstance(watched, QWidget)
                    and watched.isWindow()):  # fmt: skip
                print(f"{PAINTED}: {type(watched).__name__}", flush=True)
                os._exit(0)
            return False

    app = QApplication(sys.argv[:1])
    watcher = FirstPaint()
    app.installEventFilter(watcher)
    sys.path.insert(0, str(ROOT))
    from app.cli.main import main

    sys.exit(main(["--home", home]))


def start_once(home: Path) -> tuple[float, str, float | None]:
    """Seconds from process start to the first paint, the window painted, and the process's
    peak memory in MB (None where the OS does not report it)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, __file__, "--child", str(home)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    seconds = time.perf_counter() - started
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / 1024
    else:
        proc.wait()
        peak = None
    if not line.startswith(PAINTED):
        sys.exit(f"the app exited ({proc.returncode}) without painting a window")
    return seconds, line.split(": ", 1)[1].strip(), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000, metavar="N")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", metavar="HOME", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from report import record

    with tempfile.TemporaryDirectory(prefix="loket-bench-start-") as home:
        demo = [sys.executable, "-m", "app", "--home", home, "demo"]
        subprocess.run([*demo, "--households", str(args.households)], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        print(f"{os.cpu_count()} CPUs; a home with {args.households:,} demo households")
        first, window, _ = start_once(Path(home))
        print(f"first start (file cache cold or warm): {first * 1e3:.0f} ms to paint {window}")
        runs = [start_once(Path(home)) for _ in range(args.runs)]
    times = [seconds * 1e3 for seconds, _, _ in runs]
    median = statistics.median(times)
    peaks = [peak for _, _, peak in runs if peak is not None]
    peak = max(peaks) if peaks else None
    print(
        f"cold start to the login window, {args.runs} starts: median {median:.0f} ms, "
        f"min {min(times):.0f}, max {max(times):.0f}; budget < {BUDGET_MS} ms: "
        f"{'pass' if median < BUDGET_MS else 'MISS'}"
        + (f"; peak memory {peak:.0f} MB" if peak is not None else "")
    )
    record("cold start: process start -> login window painted", median, "ms", BUDGET_MS,
           peak_mb=peak)  # fmt: skip


if __name__ == "__main__":
    main()
