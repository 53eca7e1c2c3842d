"""Benchmark (run by hand, not a test): sync bundle export and import at kelurahan size
(issue 6, budgets of DESIGN §9).

    .venv/bin/python bench/launch.py bench/bench_bundles.py [--households 50000] [--repeat 3]

Two installations in a temporary folder trust each other's public keys: a field laptop (the
sender) and the kelurahan (the receiver). The laptop holds N demo households (seed 1, about 3.9
members each). Measured, in this order:

1. full export laptop -> kelurahan (compressed, signed, encrypted): seconds, file size;
2. import of that bundle into the empty kelurahan database, every household new (the backup
   that an import takes first included, and shown on its own): seconds, households/s, rows/s
   (rows = households + members);
3. 10% of the laptop's households, picked at random, change (address edited, a new revision,
   saved in bulk); then an incremental export (only those) and a full export;
4. import of that full bundle into the kelurahan, which holds every household already: 90%
   unchanged, 10% updated;
5. the baseline: a plain `executemany` of the same household and member rows
   (`households.household_row` / `member_rows`, the INSERTs of `households._insert_sql`) in one
   transaction into an empty database with the app's schema and pragmas: into a SQLCipher file
   (through sqlcipher3, the app's SQLite library) three times, beside the imports: before the
   new import, between the two imports and after the re-import, and into a plain SQLite file
   (sqlcipher3 without a key, as in bench_encryption.py) once at the end. Each import's ratio
   is to the mean of the two SQLCipher baselines around it: this machine's speed drifted by
   20% within one run (session 14), and a baseline taken a minute later moved the ratio with
   it. Each baseline runs in a process of its own (`--baseline HOME`), which builds the rows
   from the laptop's database, so the rows' memory is not in this process's RSS figures. The
   per-row trigger that indexes member names is dropped, so the baseline only inserts rows,
   while the import also indexes the names. Import rows/s is compared with each: target at
   least 0.5, and issue 20's goals: import >= 0.7x SQLCipher's speed, re-import < 1.5 s and
   <= 0.6x SQLCipher's time (`report.record(goal=...)`, the table of goals of
   bench/run_all.py).

Each import is timed `--repeat` times (default 3), on copies of the receiving home as it was
before and last on the home itself, and its figures are those of the median run: on the shared
machines these figures come from, one run of the same code ranged 1.9-2.8 s (session 15).

Memory per step: the peak of Python allocations (tracemalloc; SQLite's page cache, zstd and
age allocate outside Python and are not in it) and the process RSS high-water mark after the
step (ru_maxrss never goes down: it is the largest of this step and all before it).
tracemalloc slows Python code, so each step runs twice on identical homes: timed on the real
one, then traced on a copy of it taken just before (homes: bench/homes.py).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homes import opened, set_up_home, trust  # noqa: E402
from playhouse.sqlcipher_ext import SqlCipherDatabase  # noqa: E402
from report import record  # noqa: E402

from app.core.document import now_iso  # noqa: E402
from app.core.revisions import next_revision  # noqa: E402
from app.db import canonical, households, migrations  # noqa: E402
from app.db.connection import (  # noqa: E402
    PRAGMAS,
    database,
    sqlcipher_key,
    wait_for_checkpoint,
)
from app.paths import AppPaths, resolve_paths  # noqa: E402
from app.services import auth, backups  # noqa: E402
from app.services.demo import load_demo  # noqa: E402
from app.services.sync import imports as bundles  # noqa: E402
from app.services.sync.export import export_bundle  # noqa: E402

SEED = 1
LAPTOP, KELURAHAN = "laptop", "kelurahan"
REFERENCE = 50_000  # the households DESIGN §9's budgets are for


# --- one measured step -------------------------------------------------------------------------

StepFn = Callable[[AppPaths, auth.Officer, bool], Any]  # (home, officer, traced) -> result


@dataclass
class Measured:
    seconds: float
    cpu: float  # CPU seconds (time.process_time) of the timed run
    child_cpu: float  # CPU seconds of the processes it started (a bundle decoder, issue 20)
    traced_mb: float  # peak of Python allocations, from the traced run
    rss_mb: float  # the process's RSS high-water mark after the timed run
    result: Any
    checkpoint: float = 0.0  # seconds the WAL checkpoint a thread ran after it still took
    runs: tuple[float, ...] = ()  # every timed run's seconds, when it was timed more than once


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(paths: AppPaths, fn: StepFn, repeat: int = 1) -> Measured:
    """`fn` timed on the home, then run again under tracemalloc on a copy of the home as it was
    before, so the timing carries no tracing overhead. `repeat` > 1: timed that many times,
    first on copies of the home as it was before, last on the home itself; the figures are
    those of the median run (this machine's speed drifts 20-40% within minutes: one run of an
    import is not a figure to compare with a goal)."""
    copy = resolve_paths(home=paths.home.with_name(paths.home.name + "-traced"))
    shutil.copytree(paths.home, copy.home)
    timed = []
    for run in range(repeat):
        home = paths
        if run < repeat - 1:
            home = resolve_paths(home=paths.home.with_name(f"{paths.home.name}-run{run}"))
            shutil.copytree(copy.home, home.home)
        timed.append(timed_run(home, fn))
        if home is not paths:
            shutil.rmtree(home.home)
    seconds, cpu, children, checkpoint, result = sorted(timed, key=lambda t: t[0])[repeat // 2]
    rss = rss_mb()
    with opened(copy) as officer:
        gc.collect()
        tracemalloc.start()
        fn(copy, officer, True)
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    shutil.rmtree(copy.home)
    runs = tuple(t[0] for t in timed) if repeat > 1 else ()
    return Measured(seconds, cpu, children, traced, rss, result, checkpoint, runs)


def timed_run(paths: AppPaths, fn: StepFn) -> tuple[float, float, float, float, Any]:
    """(wall seconds, CPU seconds, CPU seconds of child processes, seconds the WAL checkpoint
    after it still took, result) of `fn` on the home."""
    with opened(paths) as officer:
        gc.collect()
        started, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
        result = fn(paths, officer, False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        children = children_cpu() - children
        waited = time.perf_counter()
        wait_for_checkpoint()  # after an import (connection.checkpoint_after), not in its time
        checkpoint = time.perf_counter() - waited
    return seconds, cpu, children, checkpoint, result


def children_cpu() -> float:
    """CPU seconds of the ended child processes this one waited for."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


# --- the steps ---------------------------------------------------------------------------------


def exporting(out_dir: Path, name: str, full: bool) -> StepFn:
    def step(paths: AppPaths, officer: auth.Officer, traced: bool) -> tuple[Path, int]:
        out = out_dir / f"{name}{'-traced' if traced else ''}.bundle"
        export_bundle(KELURAHAN, out, officer, full=full)
        return out, out.stat().st_size

    return step


@dataclass
class CopyTimes:
    """An import run's safety copy (app/services/backups.begin_before_import): `added`, the
    seconds it added to the run's wall time (its start, and each commit's wait for it while
    a thread writes it beside the import); `own`, the seconds the copy itself took."""

    added: float = 0.0
    own: float = 0.0


@contextmanager
def safety_timed() -> Iterator[CopyTimes]:
    """The safety copies of the import runs inside, timed (wrapping `begin_before_import`);
    the figures are whole once the block has ended."""
    times, made = CopyTimes(), []
    begin = backups.begin_before_import

    def timed(*args: Any, **kwargs: Any) -> backups.SafetyCopy | None:
        started = time.perf_counter()
        safety = begin(*args, **kwargs)
        took = time.perf_counter() - started
        times.added += took
        if safety is not None:
            made.append((safety, took))
        return safety

    backups.begin_before_import = timed  # type: ignore[assignment]
    try:
        yield times
    finally:
        backups.begin_before_import = begin  # type: ignore[assignment]
        for safety, took in made:
            beside = safety.beside
            times.added += beside.waited if beside else 0.0
            times.own += beside.seconds if beside else took


def importing(bundle: Path) -> StepFn:
    """Import `bundle`; the result is the report and its safety copy's times (CopyTimes)."""

    def step(paths: AppPaths, officer: auth.Officer, traced: bool) -> tuple[Any, CopyTimes]:
        with safety_timed() as times:
            [report] = bundles.import_bundles(paths, [bundle], officer)
        if isinstance(report, Exception):
            raise report
        return report, times

    return step


def change_tenth(paths: AppPaths, officer: auth.Officer, traced: bool) -> int:
    """A tenth of the households, picked at random (the same ones each run), move house: a new
    address and a new revision, saved in one transaction as the app's bulk path does."""
    ids = [row[0] for row in database.execute_sql("SELECT id FROM household ORDER BY id")]
    picked = random.Random(SEED).sample(ids, len(ids) // 10)
    docs = canonical.load_many(picked).values()
    stamp = now_iso()
    changed = [
        next_revision({**d, "address": f"{d.get('address') or 'Jl. Baru'} (pindah RT)",
                       "updated_at": stamp})
        for d in docs
    ]  # fmt: skip
    return households.save_many(changed, new=False)


def stored_rows(paths: AppPaths) -> tuple[list[tuple], list[tuple]]:
    """The household and member rows of a home, as the bulk INSERTs take them."""
    rows_h: list[tuple] = []
    rows_m: list[tuple] = []
    with opened(paths):
        for change, doc in households.changed_since(0):
            rows_h.append((*households.household_row(doc), change))
            rows_m.extend(households.member_rows(doc))
    return rows_h, rows_m


@dataclass
class Timed:
    seconds: float
    cpu: float


def baseline(path: Path, rows_h: list[tuple], rows_m: list[tuple], key: bytes | None) -> Timed:
    """A plain executemany of the rows, in one transaction, into an empty database with the
    app's schema and pragmas (encrypted with `key`, or plain), names not indexed."""
    pragmas = PRAGMAS if key else {k: v for k, v in PRAGMAS.items() if not k.startswith("cipher_")}
    extra = {"passphrase": sqlcipher_key(key)} if key else {}
    db = SqlCipherDatabase(str(path), pragmas=pragmas, **extra)
    db.connect()
    migrations.migrate(db, path)
    conn = db.connection()
    conn.execute("DROP TRIGGER member_name_fts_insert")
    hh_sql, m_sql = households._insert_sql()
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    conn.executemany(hh_sql, rows_h)
    conn.executemany(m_sql, rows_m)
    conn.execute("COMMIT")
    timed = Timed(time.perf_counter() - started, time.process_time() - cpu)
    db.close()
    return timed


def baseline_of(home: Path, encrypted: bool) -> Timed:
    """`baseline` of the rows of the home's households, run by a process of its own (so its
    rows do not stay in this process's memory figures)."""
    command = [sys.executable, str(ROOT / "bench" / "launch.py"), __file__, "--baseline",
               str(home)] + (["--encrypted"] if encrypted else [])  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    return Timed(found["seconds"], found["cpu"])


def run_baseline(home: Path, encrypted: bool) -> None:
    """In the process `baseline_of` started: the rows, the baseline, its figures as JSON."""
    rows_h, rows_m = stored_rows(resolve_paths(home=home))
    with tempfile.TemporaryDirectory(prefix="loket-bench-baseline-") as scratch:
        key = os.urandom(32) if encrypted else None
        timed = baseline(Path(scratch) / "baseline.db", rows_h, rows_m, key)
    print(json.dumps({"seconds": timed.seconds, "cpu": timed.cpu}))


# --- the run -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=REFERENCE, metavar="N")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="N",
        help="time each import N times, on copies of the same home (median)",
    )
    parser.add_argument("--baseline", type=Path, metavar="HOME", help=argparse.SUPPRESS)
    parser.add_argument("--encrypted", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        run_baseline(args.baseline, args.encrypted)
        return
    scale = args.households / REFERENCE
    with tempfile.TemporaryDirectory(prefix="loket-bench-bundles-") as scratch:
        root = Path(scratch)
        laptop, laptop_key = set_up_home(root, LAPTOP)
        kelurahan, kelurahan_key = set_up_home(root, KELURAHAN)
        trust(laptop, kelurahan_key, KELURAHAN)
        trust(kelurahan, laptop_key, LAPTOP)

        with opened(laptop) as officer:
            started = time.perf_counter()
            demo = load_demo(args.households, seed=SEED, officer=officer)
            loaded = time.perf_counter() - started
        count, members = demo["households"], demo["members"]
        rows = count + members
        print(
            f"{count:,} households + {members:,} members = {rows:,} rows loaded on the laptop "
            f"in {loaded:.1f} s (RSS after {rss_mb():.0f} MB); {os.cpu_count()} CPUs\n"
        )

        def run(label: str, paths: AppPaths, fn: StepFn, repeat: int = 1) -> Measured:
            print(f"  {label} ...", end="", flush=True)
            done = measure(paths, fn, repeat)
            runs = f" (median of {' / '.join(f'{r:.2f}' for r in done.runs)})" if done.runs else ""
            print(f" {done.seconds:.2f} s{runs}")
            return done

        def base(label: str, encrypted: bool = True) -> Timed:
            print(f"  baseline executemany, {label} ...", end="", flush=True)
            timed = baseline_of(laptop.home, encrypted)
            print(f" {timed.seconds:.2f} s")
            return timed

        cipher = [base("SQLCipher, before the new import")]
        full = run("full export", laptop, exporting(root, "full", full=True))
        new = run("import, all new", kelurahan, importing(full.result[0]), args.repeat)
        cipher.append(base("SQLCipher, between the imports"))
        change = run("10% changed on the laptop", laptop, change_tenth)
        incremental = run("incremental export", laptop, exporting(root, "changes", full=False))
        again = run("full export again", laptop, exporting(root, "again", full=True))
        reimport = run("import, 10% changed", kelurahan, importing(again.result[0]), args.repeat)
        cipher.append(base("SQLCipher, after the re-import"))
        plain = base("plain SQLite", encrypted=False)
        print()

    plain_s = plain.seconds
    new_base = (cipher[0].seconds + cipher[1].seconds) / 2  # the baselines around each import
    re_base = (cipher[1].seconds + cipher[2].seconds) / 2
    plain_rate, cipher_rate = rows / plain_s, rows / new_base
    n = f"{count:,}"
    record(f"bundle export, {n} households, full", full.seconds, "s", 4 * scale,
           peak_mb=full.rss_mb)  # fmt: skip
    record(f"bundle import, {n} new", new.seconds, "s", 5 * scale, peak_mb=new.rss_mb,
           baseline=new_base, ratio_goal=0.7, speed=True, cpu=new.cpu + new.child_cpu,
           goal="import")  # fmt: skip
    record("  import rows/s vs plain executemany", rows / new.seconds / plain_rate, "x", 0.5,
           higher_is_better=True, peak_mb=new.rss_mb)  # fmt: skip
    record("  import rows/s vs SQLCipher executemany", rows / new.seconds / cipher_rate, "x", 0.7,
           higher_is_better=True, peak_mb=new.rss_mb)  # fmt: skip
    record("bundle export, 10% changed (incremental)", incremental.seconds, "s",
           peak_mb=incremental.rss_mb)  # fmt: skip
    record(f"bundle re-import, {n} with 10% changed", reimport.seconds, "s", 1.5 * scale,
           peak_mb=reimport.rss_mb, baseline=re_base, ratio_goal=0.6,
           cpu=reimport.cpu + reimport.child_cpu, goal="reimport")  # fmt: skip
    record("  of which the safety copy (added to the wall time)", reimport.result[1].added, "s",
           peak_mb=reimport.rss_mb)  # fmt: skip
    table: list[tuple[str, str, str]] = []

    def add(figure: str, value: str, target: str = "") -> None:
        table.append((figure, value, target))

    def budget(seconds: float, at_reference: float) -> str:
        limit = at_reference * scale
        return f"< {limit:.2f} s: {'pass' if seconds < limit else 'MISS'}"

    def ratio(value: float) -> str:
        return f">= 0.5: {'pass' if value >= 0.5 else 'MISS'}"

    def memory(step: Measured) -> None:
        add("  peak Python allocations (tracemalloc)", f"{step.traced_mb:.1f} MB", "bounded")
        add("  RSS high-water mark after the step", f"{step.rss_mb:.0f} MB")

    def imported(step: Measured, cipher_s: float) -> None:
        """An import's figures; `cipher_s`: the mean of the SQLCipher baselines around it."""
        report, copy = step.result
        rate = rows / step.seconds
        add("  of which the safety copy (added to the wall time)", f"{copy.added:.2f} s")
        add("  the safety copy itself (beside the import)", f"{copy.own:.2f} s")
        add("  the WAL checkpoint after it (a thread; not in it)", f"{step.checkpoint:.2f} s")
        add("  CPU seconds (process_time; wall is the figure)", f"{step.cpu:.2f} s")
        if step.child_cpu:
            add("  CPU seconds of the decoder process beside it", f"{step.child_cpu:.2f} s")
        add("  households/s", f"{count / step.seconds:,.0f}")
        add("  rows/s (households + members)", f"{rate:,.0f}")
        for name, base in (("plain SQLite", plain_rate), ("SQLCipher", rows / cipher_s)):
            add(f"  ratio to {name} executemany", f"{rate / base:.2f}", ratio(rate / base))
        add("  outcomes", ", ".join(f"{k} {v:,}" for k, v in report.counts.items() if v))
        memory(step)

    add("CPUs (os.cpu_count)", str(os.cpu_count()))
    add("households / members / rows", f"{count:,} / {members:,} / {rows:,}")
    add("full export", f"{full.seconds:.2f} s", budget(full.seconds, 4))
    add("  bundle size", f"{full.result[1] / 1e6:.1f} MB")
    memory(full)
    add("import, all new", f"{new.seconds:.2f} s", budget(new.seconds, 5))
    imported(new, new_base)
    add("10% changed on the laptop (save_many)", f"{change.seconds:.2f} s")
    memory(change)
    add("incremental export (10% changed)", f"{incremental.seconds:.2f} s")
    add("  bundle size", f"{incremental.result[1] / 1e6:.1f} MB")
    memory(incremental)
    add("full export again", f"{again.seconds:.2f} s", budget(again.seconds, 4))
    memory(again)
    add("import of the full bundle, 10% changed", f"{reimport.seconds:.2f} s",
        budget(reimport.seconds, 1.5))  # fmt: skip
    imported(reimport, re_base)
    add("baseline executemany, plain SQLite", f"{plain_s:.2f} s")
    add("  rows/s", f"{plain_rate:,.0f}")
    add("baseline executemany, SQLCipher: before / between / after", " / ".join(
        f"{c.seconds:.2f}" for c in cipher) + " s")  # fmt: skip
    add("  of the new import; of the re-import (means)", f"{new_base:.2f} s; {re_base:.2f} s")
    cipher_cpu = (cipher[0].cpu + cipher[1].cpu) / 2
    add(
        "  CPU seconds; ratio to the new import's CPU",
        f"{cipher_cpu:.2f} s; {cipher_cpu / new.cpu:.2f}",
    )
    add("  rows/s (of the new import's)", f"{cipher_rate:,.0f}")

    print(f"budgets: DESIGN §9's for {REFERENCE:,} households, scaled to {args.households:,}")
    width = max(len(f) for f, _, _ in table)
    values = max(len(v) for _, v, _ in table)
    print(f"{'figure':<{width}} | {'value':>{values}} | budget/target")
    print(f"{'-' * width}-+-{'-' * values}-+-{'-' * 20}")
    for figure, value, target in table:
        print(f"{figure:<{width}} | {value:>{values}} | {target}".rstrip())


if __name__ == "__main__":
    main()
