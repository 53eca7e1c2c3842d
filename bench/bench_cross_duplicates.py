"""Benchmark (run by hand): cross-kelurahan duplicates on a Dinsos installation (issue 19).

    .venv/bin/python bench/bench_cross_duplicates.py [--households 2340] [--members 4]
                                                      [--pairs 2000] [--keep DIR]

Sets up a temporary encrypted Dinsos home (DKI Jakarta) and, not timed, writes synthetic rows
straight into its tables as bench/bench_overview.py does: for every one of the 267 kelurahan
`households` households of `members` members each, every NIK and No. KK distinct (by default
625,000 households and 2.5M member rows). Then `pairs` pairs of real demo households
(app/services/demo.generate, seeds apart) in two different kelurahan sharing a NIK (two in
three) or a No. KK (one in three); one pair in five has a third household in the first
kelurahan with the same NIK. Times the SQL (`app/db/cross_duplicates.holders`), the service's
`find` (grouping, masking, kelurahan names), the first `notify` (every household concerned
gets a revision) and a second one (nothing due), and prints the query plans and peak memory.
`--keep DIR` sets the home up in DIR and keeps it; a later run with the same DIR reuses it
(its notices emptied first), skipping the three minutes of set-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from report import peak_rss_mb, record  # noqa: E402

from app.core.revisions import next_revision  # noqa: E402
from app.db import cross_duplicates as stored  # noqa: E402
from app.db import households as household_rows  # noqa: E402
from app.db.connection import database  # noqa: E402
from app.db.keystore import KdfParams  # noqa: E402
from app.db.registration import format_number  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import auth, cross_duplicates, installation  # noqa: E402
from app.services.demo import generate  # noqa: E402

CHEAP_KDF = KdfParams(time_cost=1, memory_cost=8, parallelism=1)  # set-up only, not timed
NOW = "2026-11-30T08:00:00.000Z"
PASSWORD = "rahasia-bench-1"
BUDGET_S = 2.0  # find at Dinsos scale: a list Dinsos opens by hand


def fill(households: int, members: int) -> int:
    """Synthetic households and members for every kelurahan; the member rows written."""
    conn = database.connection()
    conn.execute("BEGIN")  # one transaction: not one commit (and sync) per row
    n = 0
    for code in (v.code for v in installation.villages()):
        ids = [f"{code}-{i:06d}" for i in range(households)]
        conn.executemany(
            "INSERT INTO household (id, no_kk, village_code, rw, rt, housing, assets, musyawarah,"
            " status, exclusions, created_at, updated_at, revs) VALUES"
            " (?, ?, ?, 1, 1, '{}', '{}', '{}', 'registered', '[]', ?, ?, '[]')",
            [(h, f"32{n + i:014d}", code, NOW, NOW) for i, h in enumerate(ids)],
        )
        conn.executemany(
            "INSERT INTO member (id, household_id, position, nik, public_post,"
            " permanent_employee, disability, pregnant) VALUES (?, ?, ?, ?, '[]', 0, '[]', 0)",
            [
                (f"{h}-{p}", h, p, f"31{(n + i) * members + p:014d}")
                for i, h in enumerate(ids)
                for p in range(members)
            ],
        )
        n += households
    conn.commit()
    return n * members


def plant(pairs: int) -> int:
    """Real demo households sharing a NIK or No. KK across two kelurahan; their number."""
    codes = [v.code for v in installation.villages()]
    docs = []
    for i in range(pairs):
        a_code, b_code = codes[i % len(codes)], codes[(i * 7 + 3) % len(codes)]
        if a_code == b_code:
            b_code = codes[(i + 1) % len(codes)]
        a = next(generate(1, 10_000 + i, a_code))
        b = next(generate(1, 500_000 + i, b_code))
        if i % 3:
            b["members"][-1]["nik"] = a["members"][0]["nik"]
        else:
            b["no_kk"] = a["no_kk"]
        docs += [a, b]
        if i % 5 == 0:
            c = next(generate(1, 900_000 + i, a_code))
            c["members"][0]["nik"] = a["members"][0]["nik"]
            docs.append(c)
    for n, doc in enumerate(docs, start=1):  # numbered as a final save numbers them
        if doc["status"] != "draft":
            doc["registration_number"] = format_number(doc["village_code"], "BE0C0001", n)
    with database.atomic():
        household_rows.insert_many(next_revision(d) for d in docs)
    return len(docs)


def timed(fn, *args, runs: int = 3):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - started)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=2340, help="per kelurahan")
    parser.add_argument("--members", type=int, default=4, help="per household")
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument(
        "--keep", metavar="DIR", help="set up in DIR and keep it (reused if set up)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(home=Path(args.keep or tmp) / "dinsos")
        if auth.is_set_up(paths):  # kept from an earlier run: its notices are cleared first
            officer = auth.log_in(paths, "admin", PASSWORD)
            database.execute_sql("UPDATE household SET dinsos_events = '[]'")
        else:
            officer, _recovery = auth.set_up(paths, "admin", "Admin", PASSWORD, CHEAP_KDF)
            installation.set_dinsos(None, officer)
            started = time.perf_counter()
            rows = fill(args.households, args.members)
            planted = plant(args.pairs)
            database.execute_sql("ANALYZE")
            print(f"set-up: {rows:,} member rows + {planted:,} planted households, written in "
                  f"{time.perf_counter() - started:.0f} s (not timed)")  # fmt: skip
        print(f"database: {paths.db.stat().st_size / 1e6:,.0f} MB")
        for kind in (stored.NIK, stored.NO_KK):
            plan = database.execute_sql(f"EXPLAIN QUERY PLAN {stored.query(kind)}", (2, "31"))
            print(f"plan ({kind}): " + "; ".join(r[-1] for r in plan.fetchall()))
        held, sql_times = timed(stored.holders, "31")
        groups, find_times = timed(cross_duplicates.find, officer)
        print(f"SQL: {len(held):,} households holding a shared value: first "
              f"{sql_times[0]:.3f} s, median {statistics.median(sql_times):.3f} s")  # fmt: skip
        print(f"find: {len(groups):,} groups, median {statistics.median(find_times):.3f} s "
              f"(budget < {BUDGET_S:.0f} s)")  # fmt: skip
        started = time.perf_counter()
        sent = cross_duplicates.notify(officer)
        first = time.perf_counter() - started
        print(f"notify: {sent.notices:,} notices in {first:.1f} s "
              f"({first / max(sent.notices, 1) * 1000:.1f} ms per household)")  # fmt: skip
        again, again_times = timed(cross_duplicates.notify, officer, runs=2)
        assert again == cross_duplicates.Sent(0, 0), again
        print(f"notify again (nothing due): {statistics.median(again_times):.3f} s")
        peak = peak_rss_mb()
        print(f"peak memory (whole process): {peak or 0:.0f} MB")
        record("cross-kelurahan duplicates: find (2.5M members)",
               statistics.median(find_times), "s", BUDGET_S)  # fmt: skip
        record("  notify, nothing due", statistics.median(again_times), "s")
        auth.log_out()


if __name__ == "__main__":
    main()
