"""Return bundles in one go (issue 19): a Dinsos installation writes one bundle per kelurahan
with something new, encrypted to that kelurahan's peer key; a kelurahan without a trusted key
is listed as skipped; many bundle files are taken in with one summary table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import ADMIN, ADMIN_PASSWORD
from sync_support import Installation, register
from test_attachments import noisy_photo

from app.cli.main import main
from app.core import dinsos_events
from app.db import migrations, peers
from app.db.connection import database
from app.db.sql_v13_on import V22_PEER_VILLAGES
from app.services import attachments, dinsos_status, households, installation, overview
from app.services.actions import AuthError, Officer
from app.services.sync import returns
from app.services.sync.errors import SyncError

VILLAGES = ("31.74.01.1001", "31.74.01.1002", "31.71.01.1001")


@pytest.fixture(autouse=True)
def password(monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)


def cli(inst: Installation, *args: str) -> int:
    return main(["--home", str(inst.paths.home), "--user", ADMIN, "bundle", *args])


@pytest.fixture
def dinsos(tmp_path):
    """Dinsos with two kelurahan peers, each of which sent one household."""
    office = Installation(tmp_path, "dinsos", village=None)
    with office:
        installation.set_dinsos(None, office.officer)
    a = Installation(tmp_path, "kelurahanA", village=VILLAGES[0])
    b = Installation(tmp_path, "kelurahanB", village=VILLAGES[1])
    ids = {}
    for kel in (a, b):
        office.trusts(kel)
        kel.trusts(office)
        with kel:
            ids[kel.name] = register(f"Warga {kel.name}")["household_id"]
            bundle = kel.export(office)
        with office:
            office.take(bundle)
    return office, a, b, ids


def _news(office: Installation, household_id: str, reference: str = "D-31-0001") -> None:
    with office:
        news = dinsos_events.event(
            dinsos_events.DTKS_ID, "2026-11-30", "Dinsos", reference=reference
        )
        assert dinsos_status.record({household_id: [news]}, office.officer) == [household_id]


def test_only_the_kelurahan_with_news_gets_a_bundle_and_takes_it_in(dinsos, tmp_path, capsys):
    office, a, b, ids = dinsos
    out = tmp_path / "returns"
    out.mkdir()
    assert cli(office, "export", "--all-kelurahan", "--out", str(out)) == 0
    assert list(out.iterdir()) == []  # what each kelurahan sent is what it has
    assert "0 bundles written, 2 kelurahan with nothing new, 0 skipped" in capsys.readouterr().out

    _news(office, ids["kelurahanA"])
    assert cli(office, "export", "--all-kelurahan", "--out", str(out)) == 0
    printed = capsys.readouterr().out
    [bundle] = list(out.iterdir())
    today = dt.date.today().isoformat()
    assert bundle.name.startswith(VILLAGES[0] + "-") and bundle.name.endswith(f"{today}.bundle")
    assert "to kelurahanA for" in printed and "1 households" in printed
    assert "1 bundles written, 1 kelurahan with nothing new, 0 skipped" in printed

    with b:  # encrypted to A's key: B cannot take it
        [refused] = returns.import_all(b.paths, [bundle], b.officer)
        assert isinstance(refused, SyncError) and refused.reason == "recipient"
    with a:
        [report] = a.take(bundle)
        assert report.counts["updated"] == 1 and not report.rejected
        assert households.load_household(ids["kelurahanA"])["dtks_id"] == "D-31-0001"

    again = tmp_path / "again"
    again.mkdir()
    assert cli(office, "export", "--all-kelurahan", "--out", str(again)) == 0
    assert list(again.iterdir()) == []  # nothing new since the bundle sent to A
    assert "0 bundles written" in capsys.readouterr().out


def test_a_kelurahan_without_a_trusted_key_is_skipped(dinsos, tmp_path, capsys):
    office, a, _b, ids = dinsos
    laptop = Installation(tmp_path, "laptopC", village=VILLAGES[2])  # trusted as a laptop
    office.trusts(laptop)
    laptop.trusts(office)
    with laptop:
        hid = register("Warga Lapangan Rahasia")["household_id"]
        bundle = laptop.export(office)
    with office:
        office.take(bundle)
    _news(office, hid)
    _news(office, ids["kelurahanA"], "D-31-0002")
    out = tmp_path / "returns"
    out.mkdir()
    assert cli(office, "export", "--all-kelurahan", "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert [p.name[:13] for p in out.iterdir()] == [VILLAGES[0]]
    [skipped] = [line for line in printed.splitlines() if line.startswith("skipped")]
    assert VILLAGES[2] in skipped and "1 households waiting" in skipped
    assert "Rahasia" not in printed and hid not in printed  # no personal data
    assert "1 bundles written, 1 kelurahan with nothing new, 1 skipped" in printed


def test_refused_on_a_kelurahan_installation_and_for_a_role_without_export(dinsos, tmp_path):
    office, a, _b, _ids = dinsos
    with a, pytest.raises(SyncError, match="Dinas Sosial"):
        returns.export_returns(tmp_path, a.officer)
    with office:
        for officer in (None, Officer("petugas1", "Petugas", "petugas")):
            with pytest.raises(AuthError):
                returns.export_returns(tmp_path, officer)
    assert list(tmp_path.glob("*.bundle")) == []


def test_many_files_one_table_one_refused_row_the_others_applied(dinsos, tmp_path, capsys):
    office, a, b, _ids = dinsos
    files = []
    for kel in (a, b):
        with kel:
            register(f"Warga Baru {kel.name}")
            files.append(kel.export(office))
    broken = tmp_path / "rusak.bundle"
    broken.write_bytes(Path(files[0]).read_bytes()[:-200])
    assert cli(office, "import", str(files[0]), str(broken), str(files[1])) == 1
    printed = capsys.readouterr().out.splitlines()
    start = printed.index(
        "file\tkelurahan/peer\tnew\tupdated\tunchanged\tconflict\trejected\tstatus"
    )
    rows = [line.split("\t") for line in printed[start + 1 : start + 4]]
    assert [r[0] for r in rows] == [files[0].name, "rusak.bundle", files[1].name]
    assert (
        rows[0][1] == f"kelurahanA ({VILLAGES[0]})" and rows[2][1] == f"kelurahanB ({VILLAGES[1]})"
    )
    assert rows[0][2:8] == ["1", "0", "0", "0", "0", "ok"]
    assert rows[1][1:7] == ["-"] * 6 and rows[1][7].startswith("refused: ")
    assert rows[2][2] == "1" and rows[2][7] == "ok"
    assert "2 of 3 bundle files taken in, 1 refused" in printed[-1]


def test_the_overview_counts_a_bundle_without_households_for_its_kelurahan(dinsos):
    office, a, _b, _ids = dinsos
    with a:
        empty = a.export(office)  # nothing changed: no household carried
    with office:
        [report] = office.take(empty)
        assert sum(report.counts.values()) == 0
        supervisor = Officer("super", "Supervisor Dinsos", "supervisor")
        rows = {r.village_code: r for r in overview.overview(supervisor)}
        assert rows[VILLAGES[0]].bundles == 2 and rows[VILLAGES[1]].bundles == 1


def test_migration_22_fills_the_kelurahan_of_peers_from_bundles_taken_in_before(dinsos):
    office, _a, _b, _ids = dinsos
    with office:
        database.execute_sql("DELETE FROM peer_village")
        assert peers.return_addresses() == {}
        with database.atomic():
            for statement in migrations._statements(V22_PEER_VILLAGES):
                database.execute_sql(statement)
        found = peers.return_addresses()
        assert {v: name for v, (name, _print) in found.items()} == {
            VILLAGES[0]: "kelurahanA",
            VILLAGES[1]: "kelurahanB",
        }


def test_a_return_bundle_carries_no_other_kelurahan_attachments(tmp_path):
    office = Installation(tmp_path, "dinsos", village=None)
    with office:
        installation.set_dinsos(None, office.officer)
    a = Installation(tmp_path, "kelurahanA", village=VILLAGES[0])
    b = Installation(tmp_path, "kelurahanB", village=VILLAGES[1])
    hids = {}
    for kel in (a, b):
        office.trusts(kel)
        kel.trusts(office)
        with kel:
            hids[kel.name] = register(f"Warga {kel.name}")["household_id"]
            if kel is b:
                scan = noisy_photo(900, 600, gps=False)
                attachments.add_attachment(hids[kel.name], scan, "ktp", kel.officer)
            bundle = kel.export(office)
        with office:
            [report] = office.take(bundle)
            assert report.carried is not None
    _news(office, hids["kelurahanA"])
    out = tmp_path / "returns"
    out.mkdir()
    with office:
        found = returns.export_returns(out, office.officer)
    [sent] = found.written
    with a:
        [report] = a.take(sent.report.path)
        assert report.counts["updated"] == 1
        carried = report.carried
        assert carried is not None
        assert (carried.attachments, carried.attachments_rejected) == (0, 0)


def test_a_manifest_naming_no_known_kelurahan_maps_nothing(dinsos):
    office, _a, _b, _ids = dinsos
    with office:
        [(name, print_)] = [p for p in peers.return_addresses().values() if p[0] == "kelurahanA"]
        peers.note_villages(print_, "no-such-bundle", "../../31.74.01.1001")
        peers.note_villages(print_, "no-such-bundle", "31.74")  # a kota, not a kelurahan
        assert peers.villages_of(print_) == [VILLAGES[0]]
