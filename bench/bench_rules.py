"""Benchmark (run by hand): rule evaluation and keystroke-to-panel time.

    .venv/bin/python bench/bench_rules.py              # rules, then the GUI keystroke
    .venv/bin/python bench/bench_rules.py --rules-only

Figures: `app.rules.evaluate` on a 10-member household with Indonesia's region codes loaded
once (median, p99; budget < 1 ms), for an ordinary household and for one where every rule
fires; then, in the real form (offscreen), the time from one keystroke in a member's NIK to
the findings panel updated.
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

from app import rules  # noqa: E402
from app.core.document import new_household, new_member  # noqa: E402
from app.rules import nik  # noqa: E402

TODAY = dt.date.today()
RUNS = 5000
# (relationship, sex, age, extra values): head, spouse, grandmother, children, in-laws, a maid
FAMILY = [
    (1, 1, 52, {"employment_position": 4}),
    (2, 2, 48, {"pregnant": False}),
    (6, 2, 77, {"disability": "physical"}),
    (3, 1, 24, {"school_participation": 2, "education_level": 19}),
    (3, 2, 17, {"school_participation": 2, "education_level": 13}),
    (3, 1, 12, {"school_participation": 2, "education_level": 8}),
    (3, 2, 8, {"school_participation": 2, "education_level": 3}),
    (4, 2, 23, {"pregnant": True}),
    (5, 1, 2, {}),
    (7, 2, 35, {"public_post": "bumd", "permanent_employee": True}),
]


def ten_member_household() -> dict:
    """Every member with a valid NIK, so each one goes through the whole NIK path."""
    doc = new_household("31.74.01.1001", no_kk="3174012304150007")
    for serial, (relationship, sex, age, extra) in enumerate(FAMILY, start=1):
        born = TODAY.replace(year=TODAY.year - age, day=min(TODAY.day, 28))
        doc["members"].append(
            new_member(
                nik=nik.build("31.74.01", born, sex, serial),
                name=f"Anggota {serial}",
                sex=sex,
                birth_date=born.isoformat(),
                relationship=relationship,
                **extra,
            )
        )
    doc["housing"]["drinking_water"] = 2
    doc["assets"].update(motorcycle=True, land_building_njop_idr=450_000_000)
    return doc


def everything_fires(doc: dict) -> dict:
    """The same household with every exclusion, and errors and warnings on several members."""
    doc = {**doc, "members": [dict(m) for m in doc["members"]]}
    doc["assets"] = {**doc["assets"], "car": True, "land_building_njop_idr": 2 * 10**9}
    doc["housing"] = {**doc["housing"], "drinking_water": 1}
    doc["musyawarah"] = {**doc["musyawarah"], "decision": "not_poor"}
    doc["members"][0]["public_post"] = "pns"
    doc["members"][1]["nik"] = doc["members"][0]["nik"]  # twice in the household
    doc["members"][4]["nik"] = "3174993213050000"  # impossible date
    doc["members"][5]["sex"] = 2  # disagrees with the NIK
    doc["members"][6]["birth_date"] = "1950-01-01"  # a child older than the head
    return doc


def percentile(values: list[float], p: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * p))]


def time_rules(label: str, doc: dict, regions: rules.RegionCodes) -> None:
    evaluation = rules.evaluate(doc, today=TODAY, regions=regions)  # warm up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        rules.evaluate(doc, today=TODAY, regions=regions)
        times.append(time.perf_counter() - started)
    median, p99 = statistics.median(times) * 1e3, percentile(times, 0.99) * 1e3
    verdict = "pass" if p99 < 1 else "MISS"
    record(f"rule evaluation, 10 members, {label}", median, "ms", budget=1)
    print(
        f"rules, 10 members, {label:<16} median {median:.3f} ms  p99 {p99:.3f} ms  "
        f"budget < 1 ms  {verdict}  ({len(evaluation.findings)} findings, {RUNS} runs)"
    )


def bench_rules() -> dict:
    started = time.perf_counter()
    regions = rules.load_region_codes(ROOT / "resources/regions/indonesia_prov_city_district.csv")
    print(f"region codes loaded once          {(time.perf_counter() - started) * 1e3:.1f} ms")
    doc = ten_member_household()
    time_rules("ordinary", doc, regions)
    time_rules("everything fires", everything_fires(doc), regions)
    return doc


def bench_keystroke(doc: dict) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.paths import resolve_paths
    from app.services import auth, installation
    from app.ui.application import create_main_window
    from app.ui.runner import Runner

    app = QApplication([])
    home = resolve_paths(home=tempfile.mkdtemp(prefix="loket-bench-"))
    officer, _recovery = auth.set_up(home, "bench", "Bench", "kopi tubruk lontong 47")
    installation.set_village("31.74.01.1001", officer)
    window = create_main_window(officer, Runner(synchronous=True))
    window.show()
    window.show_form(doc)
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
    record("keystroke -> findings panel", median, "ms")
    print(
        f"keystroke -> findings panel     median {median:.2f} ms  p99 {p99:.2f} ms  "
        f"(form rebuild + rules + panel)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules-only", action="store_true", help="skip the GUI keystroke")
    args = parser.parse_args()
    doc = bench_rules()
    if not args.rules_only:
        bench_keystroke(doc)


if __name__ == "__main__":
    main()
