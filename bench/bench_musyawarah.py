"""Benchmark (run by hand): the musyawarah kelurahan (issue 17).

    .venv/bin/python bench/bench_musyawarah.py [--agenda 5000] [--decided 1000]

Sets up a temporary encrypted home, loads demo households (enough for `--agenda` on the
agenda), plans a meeting, then times
1. opening the agenda (`musyawarah.agenda`: the query, grouped by RW/RT, with heads, member
   counts, exclusions and matching; median of 5). Budget: under 0.5 s for 5,000 households;
2. recording `--decided` decisions (`musyawarah.decide`, per decision);
3. the berita acara with `--decided` households decided (`prepare_document`: gather and render
   the PDF; median of 3). Budget: under 3 s for 1,000 households; the pengumuman too;
4. locking the meeting (every decision written through the ordinary household save).
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

from homes import ADMIN, FAST_KDF, VILLAGE  # noqa: E402
from report import record  # noqa: E402

from app.paths import resolve_paths  # noqa: E402
from app.services import (  # noqa: E402
    auth,
    demo,
    installation,
    musyawarah,
    musyawarah_docs,
    musyawarah_lock,
)

PASSWORD = "jeruk-nipis-kuning-7"  # passes the strength check; set-up only, not timed
REGISTERED_SHARE = 0.8  # of demo households, about this many are on the agenda


def timed(step, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agenda", type=int, default=5000)
    parser.add_argument("--decided", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(home=Path(tmp) / "home")
        officer, _ = auth.set_up(paths, ADMIN, "Admin Kelurahan", PASSWORD, FAST_KDF)
        installation.set_village(VILLAGE, officer)
        summary = demo.load_demo(int(args.agenda / REGISTERED_SHARE), seed=7, officer=officer)
        print(f"demo: {summary['households']} households ({summary['registered']} registered)")
        meeting = musyawarah.create_meeting(
            dt.date.today() + dt.timedelta(days=7), "Aula Kelurahan", officer, time="09.00"
        )
        for i, role in enumerate(("lurah", "lpm", "ketua_rw", "tksk", "psm", "tokoh")):
            musyawarah.add_participant(meeting.id, f"Peserta {i + 1}", role, officer)

        seconds, agenda = timed(lambda: musyawarah.agenda(meeting.id, officer), 5)
        assert isinstance(agenda, musyawarah.Agenda)
        on_agenda = len(agenda.households)
        print(f"agenda: {on_agenda} households (+{len(agenda.excluded)} excluded) "
              f"in {seconds * 1000:.0f} ms (median of 5; budget 500 ms for 5,000)")  # fmt: skip
        record("musyawarah agenda (5,000 households)", seconds * 1000, "ms", 500)

        chosen = agenda.households[: args.decided]
        started = time.perf_counter()
        for i, row in enumerate(chosen):
            decision = ("eligible", "eligible", "not_poor", "postpone")[i % 4]
            reason = "Memiliki usaha toko besar" if decision == "not_poor" else None
            musyawarah.decide(meeting.id, row.household_id, decision, officer, reason)
        per = (time.perf_counter() - started) / max(len(chosen), 1)
        print(f"decide: {len(chosen)} decisions, {per * 1000:.1f} ms each")

        seconds, paper = timed(
            lambda: musyawarah_docs.prepare_document(meeting.id, "berita-acara", officer), 3
        )
        assert isinstance(paper, musyawarah_docs.MeetingDocument)
        print(f"berita acara: {len(chosen)} decided, {len(paper.pdf) // 1024} kB, "
              f"{seconds:.2f} s (median of 3; budget 3 s for 1,000)")  # fmt: skip
        record("musyawarah berita acara (1,000 decided)", seconds, "s", 3)
        notice, _ = timed(
            lambda: musyawarah_docs.prepare_document(meeting.id, "pengumuman", officer), 1
        )
        print(f"pengumuman: {notice:.2f} s")

        musyawarah_docs.issue_document(paper, officer)
        started = time.perf_counter()
        musyawarah_lock.lock_meeting(meeting.id, officer)
        seconds = time.perf_counter() - started
        print(f"lock: {len(chosen)} households written in {seconds:.1f} s "
              f"({seconds / max(len(chosen), 1) * 1000:.1f} ms each)")  # fmt: skip
        auth.log_out()


if __name__ == "__main__":
    main()
