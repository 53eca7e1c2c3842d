"""The Dinsos overview of kelurahan (issue 19): three kelurahan send real bundles to a Dinsos
installation; the overview's counts equal direct SQL over its store, a bundle that never
arrived shows as a gap, and only a Dinsos supervisor/admin may see it."""

from __future__ import annotations

import json

import pytest
from python_calamine import CalamineWorkbook
from sync_support import Installation, register

from app.core.errors import UserError
from app.db import received
from app.db.connection import database
from app.services import installation, overview
from app.services.actions import AuthError, Officer

VILLAGES = ("31.74.01.1001", "31.74.01.1002", "31.71.01.1001")


def _village_codes() -> list[str]:
    return [v.code for v in installation.villages()]


@pytest.fixture(scope="module")
def dinsos(tmp_path_factory):
    root = tmp_path_factory.mktemp("overview")
    codes = _village_codes()
    chosen = [c for c in VILLAGES if c in codes]
    assert len(chosen) == 3, "the test's kelurahan codes are in the reference file"
    office = Installation(root, "dinsos", village=None)
    with office:
        installation.set_dinsos(None, office.officer)
    senders = [Installation(root, f"kelurahan{i}", village=code) for i, code in enumerate(chosen)]
    for sender in senders:
        office.trusts(sender)
        sender.trusts(office)
    files = []
    for i, sender in enumerate(senders):
        with sender:
            for n in range(i + 2):
                register(f"Warga {i}-{n}")
            files.append([sender.export(office)])
            if i == 0:  # two more bundles; the middle one is lost on the way
                register("Warga hilang")
                sender.export(office)
                register("Warga akhir")
                files[0].append(sender.export(office))
    with office:
        office.take(*[f for group in files for f in group])
        received.add_meeting(
            received.ReceivedMeeting(
                "meeting-1", "peer", "bundle", chosen[1], "2026-11-20", "BA/001/XI/2026", None,
                {}, "2026-11-21T09:00:00",
            ),
            [],
        )  # fmt: skip
    yield office, chosen


def test_counts_equal_direct_sql(dinsos):
    office, chosen = dinsos
    with office:
        rows = {r.village_code: r for r in overview.overview(office.officer)}
        assert len(rows) == len(_village_codes())  # every kelurahan of DKI Jakarta has a row
        for code in chosen:
            direct = dict(
                database.execute_sql(
                    "SELECT status, COUNT(*) FROM household WHERE village_code = ? GROUP BY status",
                    (code,),
                ).fetchall()
            )
            assert rows[code].by_status == direct
            assert rows[code].households == sum(direct.values()) > 0
            assert rows[code].last_bundle_at is not None
        assert (rows[chosen[0]].missing_bundles, rows[chosen[0]].gaps) == (1, "2")
        assert rows[chosen[1]].missing_bundles == 0
        assert rows[chosen[1]].meeting_locked and rows[chosen[1]].ba_number == "BA/001/XI/2026"
        assert not rows[chosen[0]].meeting_locked
        assert (
            sum(r.households for r in rows.values())
            == database.execute_sql("SELECT COUNT(*) FROM household").fetchone()[0]
        )


def test_xlsx_numbers_are_numbers(dinsos, tmp_path):
    office, chosen = dinsos
    with office:
        rows = overview.overview(office.officer)
        out = overview.write_xlsx(rows, tmp_path / "ikhtisar.xlsx", paths=office.paths)
    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert values[0][0] == "Kode" and len(values) == len(rows) + 1
    line = next(v for v in values if v[0] == chosen[0])
    assert line[6] == next(
        r.households for r in rows if r.village_code == chosen[0]
    ) and not isinstance(line[6], str)  # a number, not text


def test_only_dinsos_supervisors(dinsos, tmp_path):
    office, _chosen = dinsos
    with office:
        for role in ("petugas", "pendamping"):
            with pytest.raises(AuthError):
                overview.overview(Officer("x", "X", role))
        assert overview.overview(Officer("s", "S", "supervisor"))
    other = Installation(tmp_path, "kelurahan-x")
    with other, pytest.raises(UserError, match="Dinas Sosial"):
        overview.overview(other.officer)


def test_cli_json_and_xlsx(dinsos, tmp_path):
    from test_cli import run

    office, chosen = dinsos
    written = run(office.paths.home, "dinsos", "overview", "--xlsx", str(tmp_path / "o.xlsx"))
    assert written.returncode == 0, written.stderr.decode()
    assert (tmp_path / "o.xlsx").stat().st_size > 0
    result = run(office.paths.home, "dinsos", "overview", "--json")
    assert result.returncode == 0, result.stderr.decode()
    rows = {r["village_code"]: r for r in json.loads(result.stdout)}
    assert rows[chosen[0]]["households"] == 3  # two, then one more in bundle 3


def test_overview_page_sorts_and_filters(dinsos, qtbot):
    from PySide6.QtCore import Qt

    from app.ui.application import create_main_window
    from app.ui.runner import Runner

    office, chosen = dinsos
    with office:
        window = create_main_window(office.officer, Runner(synchronous=True))
        qtbot.addWidget(window)
        page = window.dinsos_overview
        assert page is not None and window.pages.currentWidget() is page
        assert page.proxy.rowCount() == len(installation.villages())
        households = [h for h, _t in overview.HEADERS].index("Keluarga")
        page.table.sortByColumn(households, Qt.SortOrder.DescendingOrder)
        top = [page.proxy.index(r, households).data() for r in range(4)]
        assert top == sorted(top, reverse=True) and top[0] == 4 and top[3] == 0
        qtbot.keyClicks(page.search, "Tebet")
        shown = {page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())}
        assert set(chosen[:2]) <= shown and chosen[2] not in shown
        assert f"{len(shown)} dari" in page.summary.text()


def test_every_status_has_a_column(dinsos):
    """Every household status has a column (here `registered`, the usual one after a bundle):
    the per-status columns of the table add up to the households."""
    office, chosen = dinsos
    with office, database.atomic() as transaction:
        database.execute_sql(
            "UPDATE household SET status = 'registered' WHERE id = (SELECT id FROM household"
            " WHERE village_code = ? LIMIT 1)",
            (chosen[0],),
        )
        first = {r.village_code: r for r in overview.overview(office.officer)}[chosen[0]]
        transaction.rollback()
    assert first.by_status.get("registered") == 1
    cells = overview.table_row(first)
    start = [h for h, _t in overview.HEADERS].index("Keluarga") + 1
    assert sum(cells[start : start + len(overview.STATUSES)]) == first.households  # type: ignore[arg-type]


def test_counts_read_indexes_not_household_rows(dinsos, monkeypatch):
    """At 640,000 households a scan of the wide household rows took 4-8 s: every query of the
    overview reads household through an index that covers it, or looks rows up by id."""
    office, _chosen = dinsos
    seen: list[tuple[str, tuple]] = []
    execute = database.obj.execute_sql

    def recording(sql, params=None, *a, **k):
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, *a, **k)

    with office:
        monkeypatch.setattr(database.obj, "execute_sql", recording)
        overview.overview(office.officer)
        monkeypatch.undo()
        plans = {
            sql: [str(r[3]) for r in execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]
            for sql, params in seen
            if "household" in sql
        }
    assert len(plans) >= 2
    for sql, steps in plans.items():
        scans = [s for s in steps if s.startswith(("SCAN household", "SCAN h "))]
        assert all("COVERING INDEX" in s for s in scans), (sql, steps)


def test_window_loads_the_overview_before_the_list(dinsos, qtbot):
    """The window's one database thread runs jobs in order: the overview's goes first, so the
    household list (seconds at 640,000 households) does not hold up Dinsos' first screen."""
    from app.ui.application import create_main_window
    from app.ui.runner import Runner

    class Recording(Runner):
        def __init__(self) -> None:
            super().__init__(synchronous=True)
            self.jobs: list[str] = []

        def submit(self, fn, *args, **kwargs):
            self.jobs.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    office, _chosen = dinsos
    with office:
        runner = Recording()
        window = create_main_window(office.officer, runner)
        qtbot.addWidget(window)
        assert window.pages.currentWidget() is window.dinsos_overview
    assert runner.jobs[:2] == ["overview", "list_households"], runner.jobs
