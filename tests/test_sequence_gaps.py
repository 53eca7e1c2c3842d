"""Bundles not received yet are kept and shown as ranges (issue 15): `sequence: 5000000` once
made a 44 MB list of "missing" numbers. The report, `bundle status` and the *Status
sinkronisasi* screen say "1, 3–5"; a jump past MAX_SEQUENCE_JUMP is still refused
(tests/test_bundle_bad_input.py)."""

from __future__ import annotations

import pytest
from conftest import ADMIN, ADMIN_PASSWORD
from sync_support import Installation, exchange, register

from app.cli.main import main
from app.services import auth
from app.services.sync import imports as bundles
from app.services.sync import peer_status, sequence
from app.ui.runner import Runner
from app.ui.sync.dialogs import SyncStatusDialog


def test_gaps_are_ranges():
    assert sequence.gaps({2, 6, 7, 10}) == [(1, 1), (3, 5), (8, 9)]
    assert sequence.gaps({2, 6}, start=4) == [(5, 5)]  # a full export at 4 covers 1-4
    assert sequence.gaps(set()) == [] and sequence.gaps({1, 2, 3}) == []
    assert sequence.gaps({1, 1000}) == [(2, 999)]  # one range, not 998 numbers
    assert bundles.gap_text([(1, 1), (3, 5)]) == "1, 3–5"


@pytest.fixture
def gapped(tmp_path):
    """The kelurahan has bundles 2 and 6 of the laptop's six."""
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    files = []
    with laptop:
        for i in range(6):
            register(f"Warga {i}")
            files.append(laptop.export(kelurahan))
    with kelurahan:
        [first] = kelurahan.take(files[1])
        [second] = kelurahan.take(files[5])
    assert first.missing == [(1, 1)]
    assert second.missing == [(1, 1), (3, 5)]
    return kelurahan


def test_status_the_cli_and_the_screen_show_ranges(gapped, qtbot, capsys, monkeypatch):
    with gapped:
        assert peer_status.status()[0].missing == [(1, 1), (3, 5)]
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    assert main(["--home", str(gapped.paths.home), "--user", ADMIN, "bundle", "status"]) == 0
    assert "  missing: 1, 3–5\n" in capsys.readouterr().out
    auth.log_out()
    with gapped:
        dialog = SyncStatusDialog(Runner(synchronous=True), officer=gapped.officer)
        qtbot.addWidget(dialog)
        dialog.refresh()
        assert dialog.cell(0, 4) == "1, 3–5"
