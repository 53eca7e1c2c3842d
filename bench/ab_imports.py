"""By hand, for comparing two versions of the import code (issue 20): the kelurahan's bundle
imports of bench_bundles.py, timed again and again on one kept set-up, each run into a fresh
copy of the same home, so that a change is measured against the code before it on the same
data minutes apart (this machine's speed drifts between runs: compare alternating runs).

    .venv/bin/python bench/launch.py bench/ab_imports.py --keep DIR [--what new|re]
                                                          [--runs 3] [--profile FILE]

The first run with a DIR sets it up (about 30 s at 50,000 households, `--households N`): a
field laptop holding N demo households (seed 1), an empty kelurahan that trusts it
(DIR/kelurahan-empty), the laptop's full bundle (DIR/full.bundle), the kelurahan after taking
it in (DIR/kelurahan-full), and the full bundle again after a tenth of the households changed
on the laptop (DIR/again.bundle), as bench_bundles.py makes them. `--what new` imports
full.bundle into a copy of the empty kelurahan (every household new: the decoder process),
`--what re` again.bundle into a copy of the full one (45,000 unchanged, 5,000 updated). Each
run prints its wall and CPU seconds, the decoder process's CPU and the outcome counts;
`--profile FILE` writes the last run's cProfile (CPU time) to FILE. A set-up made by an
older version of the code is used as it is: remove DIR to make it again.
"""

from __future__ import annotations

import argparse
import cProfile
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_bundles import change_tenth, children_cpu  # noqa: E402
from homes import opened, set_up_home, trust  # noqa: E402

from app.db.connection import wait_for_checkpoint  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services.demo import load_demo  # noqa: E402
from app.services.sync import imports  # noqa: E402
from app.services.sync.export import export_bundle  # noqa: E402

KELURAHAN = "kelurahan"  # the name the laptop trusts the kelurahan by (bundles are addressed)


def set_up(keep: Path, households: int) -> None:
    """The laptop, the two kelurahan homes and the two bundles in `keep`."""
    keep.mkdir(parents=True)
    laptop, laptop_key = set_up_home(keep, "laptop")
    empty, empty_key = set_up_home(keep, "kelurahan-empty")
    trust(laptop, empty_key, KELURAHAN)
    trust(empty, laptop_key, "laptop")
    with opened(laptop) as officer:
        load_demo(households, seed=1, officer=officer)
        export_bundle(KELURAHAN, keep / "full.bundle", officer, full=True)
    full = resolve_paths(home=keep / "kelurahan-full")
    shutil.copytree(empty.home, full.home)
    with opened(full) as officer:
        [report] = imports.import_bundles(full, [keep / "full.bundle"], officer)
        if isinstance(report, Exception):
            raise report
        wait_for_checkpoint()
    with opened(laptop) as officer:
        change_tenth(laptop, officer, False)
        export_bundle(KELURAHAN, keep / "again.bundle", officer, full=True)
    print(f"set up in {keep}: {households:,} households")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, required=True, metavar="DIR")
    parser.add_argument("--what", choices=("new", "re"), default="new")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--households", type=int, default=50_000, metavar="N")
    parser.add_argument("--profile", type=Path, metavar="FILE")
    args = parser.parse_args()
    if not (args.keep / "again.bundle").exists():
        shutil.rmtree(args.keep, ignore_errors=True)
        set_up(args.keep, args.households)
    home, bundle = {
        "new": ("kelurahan-empty", "full.bundle"),
        "re": ("kelurahan-full", "again.bundle"),
    }[args.what]
    work = resolve_paths(home=args.keep / "work")
    for run in range(args.runs):
        shutil.rmtree(work.home, ignore_errors=True)
        shutil.copytree(args.keep / home, work.home)
        profile = cProfile.Profile(time.process_time) if args.profile else None
        with opened(work) as officer:
            started, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
            if profile and run == args.runs - 1:
                profile.enable()
            [report] = imports.import_bundles(work, [args.keep / bundle], officer)
            if profile:
                profile.disable()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            child = children_cpu() - child
            wait_for_checkpoint()  # after the import, as the bench does: not in its time
        if isinstance(report, Exception):
            raise report
        counts = ", ".join(f"{k} {v:,}" for k, v in report.counts.items() if v)
        print(f"{args.what} run {run + 1}: {seconds:.2f} s wall, CPU {cpu:.2f} s"
              f" + decoder {child:.2f} s; {counts}", flush=True)  # fmt: skip
    shutil.rmtree(work.home, ignore_errors=True)
    if profile:
        profile.dump_stats(args.profile)
        print(f"profile of the last run: {args.profile}")


if __name__ == "__main__":
    main()
