"""Benchmark (run by hand): rule evaluation and keystroke-to-panel time.

    .venv/bin/python bench/bench_rules.py

Figures: evaluation of a 10-member household (median, p99; budget < 1 ms), and in the real
form (offscreen) the time from one keystroke in a member's NIK to the findings panel updated.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import checks, services  # noqa: E402
from app.demo import generate  # noqa: E402


def ten_member_household() -> dict:
    for doc in generate(500, seed=3, village_code="31.74.01.1001", today=dt.date.today()):
        if len(doc["members"]) >= 6:
            while len(doc["members"]) < 10:
                doc["members"].append(dict(doc["members"][-1], nik=None))
            return doc
    raise RuntimeError("no large household generated")


def percentile(values: list[float], p: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * p))]


def main() -> None:
    doc = ten_member_household()
    checks.evaluate(doc)  # region codes loaded once, as in the app
    times = []
    for _ in range(5000):
        started = time.perf_counter()
        checks.evaluate(doc)
        times.append(time.perf_counter() - started)
    median, p99 = statistics.median(times) * 1e3, percentile(times, 0.99) * 1e3
    verdict = "pass" if p99 < 1 else "MISS"
    print(
        f"rule evaluation, 10 members  median {median:.3f} ms  p99 {p99:.3f} ms  "
        f"budget < 1 ms  {verdict}"
    )

    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.paths import resolve_paths
    from app.ui.application import create_main_window
    from app.ui.runner import Runner

    app = QApplication([])
    services.open_store(resolve_paths(home=tempfile.mkdtemp(prefix="loket-bench-")))
    services.set_village("31.74.01.1001")
    window = create_main_window(Runner(synchronous=True))
    window.show()
    window._show_form(doc)
    members = window.form.members
    members.focus_field(9, "nik")
    field = members.fields["nik"]
    keystrokes = []
    for digit in "3174011203050001" * 6:
        if len(field.text()) == 16:
            field.clear()
        started = time.perf_counter()
        QTest.keyClick(field, digit)
        keystrokes.append(time.perf_counter() - started)
        app.processEvents()
    median, p99 = statistics.median(keystrokes) * 1e3, percentile(keystrokes, 0.99) * 1e3
    print(
        f"keystroke -> findings panel     median {median:.2f} ms  p99 {p99:.2f} ms  "
        f"(form rebuild + rules + panel)"
    )


if __name__ == "__main__":
    main()
