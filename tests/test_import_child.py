"""A large bundle read in a child process (issue 20, app/services/sync/decoder.py): it takes
in exactly what the in-process import takes in, with the same refusals, and a hard kill of the
importing process leaves the database as it was and ends the child. The size from which a
child is used is lowered to 0 here, so small bundles take that path."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import log_in_again
from sync_support import Installation, edit, exchange, register

from app.bundle.file import read_manifest
from app.core.revisions import next_revision
from app.db import bundle_log
from app.db import households as rows
from app.db.connection import database
from app.services import auth, households, installation, versions
from app.services.demo import load_demo
from app.services.sync import decoder, reading
from app.services.sync import imports as bundles
from app.services.sync.errors import SyncError

ROOT = Path(__file__).resolve().parent.parent
OTHER_VILLAGE = "31.71.01.1001"


@pytest.fixture
def children(monkeypatch) -> list:
    return _spied(monkeypatch)


def _spied(monkeypatch) -> list:
    """Every decoder process started from now on in the test, the size threshold set to 0."""
    started: list = []
    start = decoder.Decoder._start

    def spy(self):
        start(self)
        started.append(self.child)

    monkeypatch.setattr(decoder.Decoder, "_start", spy)
    monkeypatch.setattr(decoder, "CHILD_FROM", 0)
    return started


@pytest.fixture
def in_process(monkeypatch) -> list:
    """The bundles this process read itself (the child's reads are in another process)."""
    read: list = []
    real = reading.payload.read_records

    def spy(path, *args, **kwargs):
        read.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reading.payload, "read_records", spy)
    return read


@pytest.fixture
def three(tmp_path):
    """A laptop and two kelurahan installations that trust it."""
    laptop = Installation(tmp_path, "laptop")
    here, there = Installation(tmp_path, "kelurahan"), Installation(tmp_path, "kelurahan2")
    exchange((laptop, here), (laptop, there))
    return laptop, here, there


def _mixed_households() -> dict[str, str]:
    """On the open laptop: households a receiver takes in, and three it must reject (content
    changed under its revision; a genuine revision setting a Dinsos field; a genuine revision
    of another kelurahan). Their ids by what they are."""
    made = {f"plain{i}": register(f"Warga {i}", address=f"Gg. {i}") for i in range(4)}
    rows.save({**made["plain1"], "address": "Jl. Palsu 9"})
    rows.save(next_revision({**made["plain2"], "dtks_id": "3174010001000123"}))
    rows.save(next_revision({**made["plain3"], "village_code": OTHER_VILLAGE}))
    return {
        "new": made["plain0"]["household_id"],
        "tampered": made["plain1"]["household_id"],
        "dinsos_field": made["plain2"]["household_id"],
        "other_village": made["plain3"]["household_id"],
    }


def _taken(inst: Installation, bundle: Path) -> tuple:
    with inst:
        [report] = inst.take(bundle)
        stored = {h: rows.load(h) for h, _, _, _ in report_outcomes(report)}
        return report, report_outcomes(report), stored


def report_outcomes(report) -> list[tuple]:
    return bundle_log.outcomes(report.bundle_id)


def test_a_child_takes_in_what_the_import_in_process_takes_in(three, monkeypatch):
    laptop, here, there = three
    with laptop:
        ids = _mixed_households()
        to_here, to_there = laptop.export(here), laptop.export(there)
    in_process = _taken(here, to_here)
    started = _spied(monkeypatch)
    by_child = _taken(there, to_there)

    assert len(started) == 1 and not started[0].is_alive()
    report, outcomes, stored = by_child
    assert report.counts == in_process[0].counts == {
        "new": 1, "updated": 0, "unchanged": 0, "conflict": 0, "rejected": 3
    }  # fmt: skip
    assert report.rejected == in_process[0].rejected
    reasons = dict(report.rejected)
    assert "may not change dtks_id" in reasons[ids["dinsos_field"]]
    assert reasons[ids["other_village"]] == f"household of kelurahan {OTHER_VILLAGE}"
    assert ids["tampered"] in reasons
    assert outcomes == in_process[1]
    assert stored == in_process[2] and stored[ids["new"]]["address"] == "Gg. 0"


def test_households_held_here_take_the_full_path_beside_a_child(three, children, in_process):
    """A bundle mostly new here is read by a child; the households it holds already (their
    lines sent by the child: nothing read again here) are checked and merged here as
    in-process: an edit applies, content altered under the stored revision does not. A
    re-import, mostly held here, is read in-process."""
    laptop, here, _ = three
    with laptop:
        held = [register(f"Warga {i}")["household_id"] for i in range(2)]
        first = laptop.export(here)
    with here:
        [report] = here.take(first)
        assert report.counts["new"] == 2 and len(children) == 1  # nothing held here
    with laptop:
        fresh = [register(f"Baru {i}")["household_id"] for i in range(6)]
        edit(held[0], address="Jl. Pindah 2")
        rows.save({**households.load_household(held[1]), "address": "Jl. Palsu 9"})  # same rev
        second = laptop.export(here, full=True)
    with here:
        before = households.load_household(held[1])
        [report] = here.take(second)
        assert report.counts == {
            "new": 6, "updated": 1, "unchanged": 1, "conflict": 0, "rejected": 0
        }  # fmt: skip
        assert households.load_household(held[0])["address"] == "Jl. Pindah 2"
        assert households.load_household(held[1]) == before
        assert all(households.load_household(h)["members"] for h in fresh)
    assert len(children) == 2 and not children[1].is_alive()  # 2 of 8 held here
    assert in_process == []
    with laptop:
        edit(fresh[0], address="Jl. Lagi 3")
        third = laptop.export(here, full=True)
    with here:
        [report] = here.take(third)
        assert report.counts["updated"] == 1 and report.counts["unchanged"] == 7
    assert len(children) == 2 and in_process == [third.name]  # 8 of 8 held: in-process


def test_more_households_held_than_a_child_is_told_of_read_the_bundle_in_process(
    three, children, in_process, monkeypatch
):
    """Whatever count a manifest claims, a child is told of at most HELD_MAX households held
    here (their ids): with more held, the bundle is read in-process."""
    monkeypatch.setattr(reading, "HELD_MAX", 1)
    laptop, here, _ = three
    with laptop:
        for i in range(2):
            register(f"Warga {i}")
        first = laptop.export(here)
    with here:
        here.take(first)
    with laptop:
        for i in range(6):
            register(f"Baru {i}")
        second = laptop.export(here, full=True)
    with here:
        [report] = here.take(second)
        assert report.counts["new"] == 6 and report.counts["unchanged"] == 2
    assert len(children) == 1 and in_process == [second.name]  # 2 held: more than 1


def test_a_household_held_under_another_kelurahan_takes_the_bundle_in_process(
    tmp_path, children, in_process
):
    """The child sends the lines of the households stored under the bundle's kelurahan only.
    One stored here under another kelurahan (it moved) came without its line: the bundle is
    taken again in-process, from the start, and stored as the in-process import stores it."""
    laptop, office = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, office))
    with office:
        bundles.set_scope("31", office.officer)  # keeps every kelurahan of DKI Jakarta
    with laptop:
        moved = register("Pindahan")
        rows.save(next_revision({**moved, "village_code": OTHER_VILLAGE}))
        first = laptop.export(office)
    with office:
        [report] = office.take(first)
        assert report.counts["new"] == 1 and len(children) == 1 and in_process == []
    with laptop:
        fresh = [register(f"Baru {i}")["household_id"] for i in range(6)]
        edit(moved["household_id"], address="Jl. Pindah 7")
        second = laptop.export(office, full=True)
    with office:
        [report] = office.take(second)
        assert report.counts == {
            "new": 6, "updated": 1, "unchanged": 0, "conflict": 0, "rejected": 0
        }  # fmt: skip
        assert households.load_household(moved["household_id"])["address"] == "Jl. Pindah 7"
        assert all(households.load_household(h)["members"] for h in fresh)
        assert len(bundle_log.outcomes(report.bundle_id)) == 7
    assert len(children) == 2 and not children[1].is_alive()
    assert in_process == [second.name]  # after the child's try, rolled back


def test_a_document_failing_the_schema_refuses_the_bundle_through_a_child(three, children):
    laptop, here, _ = three
    with laptop:
        good = register("Ani")["household_id"]
        bad = register("Budi")
        rows.save({**bad, "rt": -4})  # not a valid RT
        bundle = laptop.export(here)
    with here:
        before = database.execute_sql("SELECT COUNT(*) FROM household").fetchone()[0]
        [result] = bundles.import_bundles(here.paths, [bundle], here.officer)
        assert isinstance(result, SyncError) and result.reason == "schema"
        assert bad["household_id"] in result.detail and "rt" in result.detail
        assert database.execute_sql("SELECT COUNT(*) FROM household").fetchone()[0] == before
        assert rows.load(good) is None
    assert len(children) == 1 and not children[0].is_alive()


def test_a_small_bundle_is_read_in_process(three, monkeypatch):
    laptop, here, _ = three
    started: list[object] = []
    monkeypatch.setattr(decoder.Decoder, "_start", lambda s: started.append(s))
    with laptop:
        register("Ani")
        bundle = laptop.export(here)
    with here:
        [report] = here.take(bundle)
    assert report.counts["new"] == 1 and started == []


def test_a_hard_kill_while_a_child_reads_the_bundle_changes_nothing_and_ends_it(three):
    laptop, here, _ = three
    with laptop:
        ids = [register(f"Warga {i}")["household_id"] for i in range(6)]
        bundle = laptop.export(here)
    importing = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.importing_child", str(here.paths.home), str(bundle)],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        child_pid = int(importing.stdout.readline())  # a first batch written, not committed
    finally:
        importing.send_signal(signal.SIGKILL)
        importing.wait(10)
    deadline = time.monotonic() + 20
    while _running(child_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(child_pid), "the decoder process outlived the import"

    log_in_again(here.paths)
    try:
        assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert all(rows.load(h) is None for h in ids)
        assert bundle_log.get(read_manifest(bundle)[0]["bundle_id"]) is None
    finally:
        auth.log_out()
    with here:  # the same bundle is taken in whole afterwards
        [report] = here.take(bundle)
        assert report.counts["new"] == 6


def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    stat = Path(f"/proc/{pid}/stat")
    if not Path("/proc/self").exists():  # no /proc: ask the system
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_child_stopped_before_it_sends_anything_leaves_the_run_to_this_process(
    three, children, monkeypatch
):
    """A PC whose security software stops the child: nothing was taken from it, so this
    bundle and the run's next ones are read in-process, whole."""
    laptop, here, there = three
    with laptop:
        ids = [register(f"Warga {i}")["household_id"] for i in range(3)]
        bundle = laptop.export(here)
    start = decoder.Decoder._start

    def killed_at_start(self):
        start(self)
        os.kill(self.child.pid, signal.SIGKILL)  # before it has read anything

    monkeypatch.setattr(decoder.Decoder, "_start", killed_at_start)
    with here:
        [report] = here.take(bundle)
        assert report.counts["new"] == 3
        assert all(rows.load(h)["members"] for h in ids)
    assert len(children) == 1 and not children[0].is_alive()


def test_a_child_that_stops_in_the_middle_refuses_the_bundle_and_changes_nothing(
    three, children, monkeypatch
):
    laptop, here, _ = three
    with laptop:
        load_demo(4_000, seed=3, officer=laptop.officer)  # 8 batches: it is still reading
        bundle = laptop.export(here)
    add = versions.HouseholdApplier.add

    def killed_at_the_first(self, *args):
        if self.seen == 0:
            os.kill(children[-1].pid, signal.SIGKILL)
        add(self, *args)

    monkeypatch.setattr(versions.HouseholdApplier, "add", killed_at_the_first)
    with here:
        [result] = bundles.import_bundles(here.paths, [bundle], here.officer)
        assert isinstance(result, SyncError) and result.reason == "reader"
        assert "impor ulang" in str(result) and "ended early" in result.detail
        assert database.execute_sql("SELECT COUNT(*) FROM household").fetchone()[0] == 0
        assert bundle_log.get(read_manifest(bundle)[0]["bundle_id"]) is None


def test_one_child_reads_every_large_bundle_of_a_run(tmp_path, children, monkeypatch):
    """Dinsos taking in several kelurahan at once starts one process. A bundle refused in the
    middle of its records ends it; the next bundle of the run starts another and is taken in
    whole."""
    monkeypatch.setattr(versions, "BATCH", 1)  # applied as they come: refused mid-stream
    villages = ("31.74.01.1001", "31.74.01.1002", OTHER_VILLAGE)
    senders = [Installation(tmp_path, f"kelurahan{i}", village=v) for i, v in enumerate(villages)]
    dinsos = Installation(tmp_path, "dinsos", village=None)
    with dinsos:
        installation.set_dinsos(None, dinsos.officer)  # all of DKI Jakarta
    exchange(*((s, dinsos) for s in senders))
    bundles_made, ids = [], []
    for i, sender in enumerate(senders):
        with sender:
            made = [register(f"Warga {i}.0")]
            if i == 1:  # not a valid RT, sent first: refuses this bundle mid-stream
                rows.save({**made[0], "rt": -4})
            made += [register(f"Warga {i}.{n}") for n in (1, 2)]
            ids.append([d["household_id"] for d in made])
            bundles_made.append(sender.export(dinsos))
    with dinsos:
        results = bundles.import_bundles(dinsos.paths, bundles_made, dinsos.officer)
        assert [getattr(r, "reason", None) for r in results] == [None, "schema", None]
        assert [r.counts["new"] for r in (results[0], results[2])] == [3, 3]
        assert all(rows.load(h) is None for h in ids[1])
    assert len(children) == 2 and not any(p.is_alive() for p in children)
