"""Benchmark (run by hand, or by `python3 dev.py bench`): spreadsheet exports (issue 18).

    .venv/bin/python bench/bench_exports.py [--households 50000] [--home DIR] [--runs N]
                                            [--libreoffice]

Sets up a temporary encrypted home with `--households` demo households (about four members
each; with `--home`, in DIR, kept and reused by the next run with the same DIR), then times
the SIKS-NG profile (one row per member, ~200,000 rows at 50,000) through
the whole service -- select, read the columns the profile needs, build the rows,
write, hash, audit, put the file in place:
1. XLSX (rustpy-xlsxwriter, constant memory). Budget: under 15 s at 50,000 households;
2. CSV (UTF-8 with BOM). Budget: under 3 s at 50,000 households;
and the peak memory of the process after them. With `--runs N` each format is timed N times
(the last run is recorded); each line gives wall and CPU time and the 1-minute load average
(the machine is shared: CPU time is the figure to compare). Each export is audited in the
home: with `--home`, use a copy of a home that matters.

With `--libreoffice` (needs `soffice`: `apt-get install libreoffice-calc-nogui`), LibreOffice
headless then converts the XLSX to CSV, and every NIK and No. KK of it must equal the CSV
export's, digit for digit (a number cell would come back as 3.17401E+15 or lose digits).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homes import ADMIN, FAST_KDF, VILLAGE  # noqa: E402
from report import peak_rss_mb, record  # noqa: E402

from app.core import codes  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import auth, demo, exports, installation, listing  # noqa: E402

PASSWORD = "jeruk-nipis-kuning-7"  # passes the strength check; set-up only, not timed
PROFILE = "siks-ng-usulan-v1"
BUDGETS = {"xlsx": 15.0, "csv": 3.0}  # seconds at 50,000 households


def numbers(rows: list[list[str]]) -> list[tuple[str, str]]:
    """(NO_KK, NIK) of every row, by the header's columns."""
    kk, nik = rows[0].index("NO_KK"), rows[0].index("NIK")
    return [(row[kk], row[nik]) for row in rows[1:]]


def libreoffice_check(xlsx: Path, exported_csv: Path, folder: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("--libreoffice: soffice not found (apt-get install libreoffice-calc-nogui)")
    started = time.perf_counter()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}",
                    "--convert-to", "csv", "--outdir", str(folder / "lo-out"), str(xlsx)],
                   check=True, capture_output=True, timeout=900)  # fmt: skip
    converted = (folder / "lo-out" / f"{xlsx.stem}.csv").read_text(encoding="utf-8")
    theirs = numbers(list(csv.reader(converted.splitlines())))
    ours = numbers(list(csv.reader(exported_csv.read_text(encoding="utf-8-sig").splitlines())))
    assert theirs == ours, "LibreOffice read a NIK or No. KK differently"
    assert all(len(value) == 16 for pair in ours for value in pair if value)
    print(f"libreoffice: {len(theirs):,} rows converted to CSV in "
          f"{time.perf_counter() - started:.1f} s; every NIK and No. KK intact")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--libreoffice", action="store_true", help="check the XLSX in LibreOffice")
    parser.add_argument("--home", help="keep the demo home in DIR and reuse it when set up")
    parser.add_argument("--runs", type=int, default=1, help="time each format this many times")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(home=Path(args.home) if args.home else Path(tmp) / "home")
        if auth.is_set_up(paths):
            officer = auth.log_in(paths, ADMIN, PASSWORD)
        else:
            officer, _ = auth.set_up(paths, ADMIN, "Admin Kelurahan", PASSWORD, FAST_KDF)
            installation.set_village(VILLAGE, officer)
            started = time.perf_counter()
            demo.load_demo(args.households, seed=7, officer=officer)
            print(f"demo: {args.households} households in "
                  f"{time.perf_counter() - started:.1f} s (not timed)")  # fmt: skip
        scale = listing.household_count() / 50_000
        # every status but withdrawn: the demo has no locked musyawarah, and the daftar usulan
        # of 50,000 would read the same documents and write the same rows
        statuses = [code for code, _ in codes.choices("household", "status") if code != "withdrawn"]
        for fmt in ("xlsx", "csv"):
            for _run in range(args.runs):
                load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
                started, cpu = time.perf_counter(), time.process_time()
                target, asked = Path(tmp) / f"export.{fmt}", [str(s) for s in statuses]
                result = exports.export(PROFILE, fmt, target, officer, statuses=asked, force=True)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                size = result.path.stat().st_size / 2**20
                budget = BUDGETS[fmt] * scale
                print(f"{fmt}: {result.rows:,} rows of {result.households:,} households in "
                      f"{seconds:.2f} s ({cpu:.2f} s of CPU), {size:.1f} MB "
                      f"(budget {budget:.1f} s; load average {load:.2f})")  # fmt: skip
            record(f"export {fmt} ({round(scale * 50_000):,} households)", seconds, "s",
                   budget, peak_mb=peak_rss_mb())  # fmt: skip
        print(f"peak memory: {peak_rss_mb() or 0:.0f} MB")
        if args.libreoffice:
            libreoffice_check(Path(tmp) / "export.xlsx", Path(tmp) / "export.csv", Path(tmp))
        auth.log_out()


if __name__ == "__main__":
    main()
