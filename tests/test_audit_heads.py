"""The audit log against an insider (issue 15): a petugas at the field laptop has the database
key, so a SQLCipher tool can rewrite, truncate or regrow the audit log and recompute the chain
(`audit verify` then says intact). Each bundle's manifest carries the laptop's audit head; the
kelurahan, which keeps the heads it took in, flags a head that does not extend the last one at
its next import, and the warning stays listed until a supervisor acknowledges it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from conftest import ADMIN, ADMIN_PASSWORD
from sync_support import Installation, exchange, register

from app.bundle import file as bundle_file
from app.bundle.manifest_audit import AuditHead, audit_head
from app.cli.main import main
from app.core.errors import UserError
from app.db import audit
from app.db.connection import connect_file, current_key, sqlcipher_key
from app.services.actions import AuthError, Officer
from app.services.sync import audit_heads, peer_status
from app.services.sync.export import export_ack

PETUGAS = Officer("petugas1", "Petugas Satu", "petugas")
SUPERVISOR = Officer("spv", "Supervisor", "supervisor")

type Rows = list[list]  # [seq, at, officer, action, household_id, detail (dict)]


@pytest.fixture
def pair(laptop, kelurahan):
    exchange((laptop, kelurahan))
    return laptop, kelurahan


def head_of(bundle: Path) -> AuditHead:
    manifest, _signature = bundle_file.read_manifest(bundle)
    head = audit_head(manifest)
    assert head is not None
    return head


def tamper(inst: Installation, change: Callable[[Rows], Rows], rechain: bool = True) -> None:
    """What an insider with the database key and a plain SQLCipher tool can do while the app is
    closed: drop the triggers, change the rows and (with `rechain`) renumber and rehash the
    whole chain and its head, so that `audit verify` finds nothing."""
    with inst:
        key = sqlcipher_key(current_key())
    tool = connect_file(inst.paths.db, key)
    tool.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
    rows: Rows = [
        [seq, at, officer, action, hid, orjson.loads(detail)]
        for seq, at, officer, action, hid, detail in tool.execute(
            "SELECT seq, at, officer, action, household_id, detail FROM audit_log ORDER BY seq"
        )
    ]
    rows = change(rows)
    if rechain:
        tool.execute("DELETE FROM audit_log")
        prev = audit.GENESIS
        for seq, (_old, at, officer, action, hid, detail) in enumerate(rows, start=1):
            digest = audit.entry_hash(prev, seq, at, officer, action, hid, detail)
            tool.execute(
                "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, at, officer, action, hid, orjson.dumps(detail).decode(), prev, digest),
            )
            prev = digest
        tool.execute(
            "UPDATE setting SET value = ? WHERE key = ?", (f"{len(rows)}:{prev}", audit.HEAD_KEY)
        )
    else:
        kept = {r[0] for r in rows}
        tool.execute(
            f"DELETE FROM audit_log WHERE seq NOT IN ({','.join('?' * len(kept))})", sorted(kept)
        )
    tool.commit()
    tool.close()
    if rechain:
        with inst:
            assert audit.verify()[1] is None  # the laptop's own check is fooled


def fake_login(at: str) -> list:
    return [0, at, ADMIN, "login", None, {}]


def take_one(kelurahan: Installation, bundle: Path, dry_run: bool = False):
    with kelurahan:
        [report] = kelurahan.take(bundle, dry_run=dry_run)
    return report


def texts(report) -> list[str]:
    return [w.text for w in report.audit_warnings]


def test_an_honest_sequence_of_bundles_is_not_flagged(pair):
    laptop, kelurahan = pair
    heads = []
    for name in ("Ani", "Budi", "Citra"):
        with laptop:
            register(name)
            bundle = laptop.export(kelurahan)
        heads.append(head_of(bundle))
        assert take_one(kelurahan, bundle).audit_warnings == []
        with kelurahan:  # acknowledgements travel back, carrying the kelurahan's own head
            ack = kelurahan.outbox / f"ack-{name}.bundle"
            export_ack("laptop", ack, kelurahan.officer)
        with laptop:
            [taken] = laptop.take(ack)
            assert taken.audit_warnings == []
    first, second, third = heads
    assert first.count < second.count < third.count
    assert first.count in third.marks and second.count in third.marks  # vouches for both
    with kelurahan:
        assert all(p.audit_warnings == [] for p in peer_status.status())


def test_a_rewritten_entry_is_flagged_at_the_next_import_and_kept_until_acknowledged(pair):
    laptop, kelurahan = pair
    with laptop:
        register("Ani")
        first = laptop.export(kelurahan)
    assert take_one(kelurahan, first).audit_warnings == []

    def hide_a_registration(rows: Rows) -> Rows:
        saves = [r for r in rows if r[3] == "household.save"]
        saves[0][2] = "someone-else"  # who registered Ani, made to look like another officer
        return rows

    tamper(laptop, hide_a_registration)
    with laptop:
        register("Budi")
        second = laptop.export(kelurahan)
    assert head_of(second).count > head_of(first).count  # it grew: only the marks tell

    preview = take_one(kelurahan, second, dry_run=True)
    assert texts(preview) == [
        f"log audit perangkat laptop ditulis ulang ({head_of(first).count} entri sebelumnya, "
        f"{head_of(second).count} entri sekarang)"
    ]
    with kelurahan:
        assert audit_heads.open_warnings() == []  # a preview keeps nothing
    report = take_one(kelurahan, second)
    assert report.counts["new"] == 1  # the data is still taken in
    assert [w.kind for w in report.audit_warnings] == ["rewritten"]

    with laptop:  # the next bundle is honest: no new warning, the old one stays listed
        register("Citra")
        third = laptop.export(kelurahan)
    assert take_one(kelurahan, third).audit_warnings == []
    with kelurahan:
        [peer] = peer_status.status()
        [warning] = peer.audit_warnings
        assert warning.text.startswith("log audit perangkat laptop ditulis ulang")
        assert warning.sequence == 2
        with pytest.raises(AuthError):
            audit_heads.acknowledge(warning.id, PETUGAS)
        audit_heads.acknowledge(warning.id, SUPERVISOR)
        assert peer_status.status()[0].audit_warnings == []
        with pytest.raises(UserError, match="Tidak ada peringatan"):
            audit_heads.acknowledge(warning.id, SUPERVISOR)


def test_a_truncated_log_is_flagged(pair):
    laptop, kelurahan = pair
    with laptop:
        for name in ("Ani", "Budi", "Citra", "Dewi"):
            register(name)
        first = laptop.export(kelurahan)
    take_one(kelurahan, first)
    tamper(laptop, lambda rows: rows[:3])
    with laptop:
        second = laptop.export(kelurahan)
    assert head_of(second).count < head_of(first).count
    [warning] = take_one(kelurahan, second).audit_warnings
    assert (warning.kind, warning.before, warning.after) == (
        "rewritten",
        head_of(first).count,
        head_of(second).count,
    )


def test_a_truncate_and_regrow_to_the_same_count_is_flagged(pair):
    laptop, kelurahan = pair
    with laptop:
        register("Ani")
        register("Budi")
        first = laptop.export(kelurahan)
    take_one(kelurahan, first)
    reported = head_of(first).count

    def regrow(rows: Rows) -> Rows:
        # drop the last reported entries (Budi's registration among them) and fill up with
        # harmless logins, so that with the next two logins (tamper's check, the export) the
        # count is what was reported
        kept = rows[: reported - 3]
        return kept + [fake_login(kept[-1][1]) for _ in range(reported - 2 - len(kept))]

    tamper(laptop, regrow)
    with laptop:
        second = laptop.export(kelurahan)
    assert head_of(second).count == reported
    assert head_of(second).hash != head_of(first).hash
    [warning] = take_one(kelurahan, second).audit_warnings
    assert warning.kind == "rewritten"
    assert "ditulis ulang" in warning.text


def test_a_truncate_and_regrow_past_the_count_is_flagged(pair):
    laptop, kelurahan = pair
    with laptop:
        register("Ani")
        first = laptop.export(kelurahan)
    take_one(kelurahan, first)
    tamper(laptop, lambda rows: rows[:-3] + [fake_login(rows[-1][1]) for _ in range(10)])
    with laptop:
        second = laptop.export(kelurahan)
    assert head_of(second).count > head_of(first).count
    assert [w.kind for w in take_one(kelurahan, second).audit_warnings] == ["rewritten"]


def test_a_clumsy_deletion_breaks_the_senders_own_check(pair):
    laptop, kelurahan = pair
    with laptop:
        register("Ani")
        first = laptop.export(kelurahan)
    take_one(kelurahan, first)
    tamper(laptop, lambda rows: rows[:2] + rows[3:], rechain=False)
    with laptop:
        second = laptop.export(kelurahan)
    assert head_of(second).problem == "entry 3 is missing (next entry is 4)"
    report = take_one(kelurahan, second)
    assert "broken" in [w.kind for w in report.audit_warnings]


def test_a_head_that_does_not_vouch_for_the_last_one_is_unverifiable(pair):
    """The laptop's bundle log rolled back (its heads sent are gone): the next bundle cannot
    show that its log still holds what the kelurahan saw."""
    laptop, kelurahan = pair
    with laptop:
        register("Ani")
        first = laptop.export(kelurahan)
    take_one(kelurahan, first)
    with laptop:
        key = sqlcipher_key(current_key())
    tool = connect_file(laptop.paths.db, key)
    tool.execute("UPDATE bundle_log SET audit_count = NULL, audit_hash = NULL")
    tool.commit()
    tool.close()
    with laptop:
        second = laptop.export(kelurahan)
    assert head_of(second).marks == {}
    [warning] = take_one(kelurahan, second).audit_warnings
    assert warning.kind == "unverifiable"
    assert "tidak dapat dicocokkan" in warning.text


def test_the_cli_prints_lists_and_acknowledges_the_warning(pair, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    laptop, kelurahan = pair
    with laptop:
        register("Ani")
        first = laptop.export(kelurahan)
    take_one(kelurahan, first)
    tamper(laptop, lambda rows: rows[:3])
    with laptop:
        second = laptop.export(kelurahan)

    def cli(*args: str) -> int:
        return main(["--home", str(kelurahan.paths.home), "--user", ADMIN, "bundle", *args])

    capsys.readouterr()
    assert cli("import", str(second)) == 0
    assert "warning: log audit perangkat laptop ditulis ulang (" in capsys.readouterr().out
    assert cli("status") == 0
    out = capsys.readouterr().out
    assert "audit warning 1: log audit perangkat laptop ditulis ulang" in out
    assert cli("acknowledge-warning", "1") == 0
    capsys.readouterr()
    assert cli("status") == 0
    assert "audit warning" not in capsys.readouterr().out
    assert cli("acknowledge-warning", "1") == 1
    assert "no open audit warning number 1" in capsys.readouterr().err


def test_the_import_preview_and_the_sync_status_show_it_until_a_supervisor_acknowledges(
    qtbot, pair
):
    from app.ui.main_window import MainWindow
    from app.ui.runner import Runner
    from app.ui.sync.dialogs import SyncStatusDialog
    from app.ui.sync.import_dialog import ImportDialog

    laptop, kelurahan = pair
    with laptop:
        register("Ani")
        first = laptop.export(kelurahan)
    take_one(kelurahan, first)
    tamper(laptop, lambda rows: rows[:3])
    with laptop:
        second = laptop.export(kelurahan)

    kelurahan.__enter__()
    window = MainWindow(Runner(synchronous=True), kelurahan.officer, paths=kelurahan.paths)
    qtbot.addWidget(window)
    window.show()
    try:
        window.sync_menu.import_action.trigger()
        dialog = window.sync_menu.dialog
        assert isinstance(dialog, ImportDialog)
        dialog.set_files([second])
        note = dialog.table.item(0, 7).text()
        assert "PERINGATAN: log audit perangkat laptop ditulis ulang" in note
        assert "PERHATIAN: log audit perangkat laptop ditulis ulang" in dialog.summary.text()
        dialog.apply_button.click()
        assert "PERHATIAN: log audit perangkat laptop ditulis ulang" in dialog.summary.text()
        dialog.close()

        window.sync_menu.status_action.trigger()
        status = window.sync_menu.dialog
        assert isinstance(status, SyncStatusDialog)
        assert status.warnings.count() == 1
        assert (
            status.warnings.item(0)
            .text()
            .startswith("PERINGATAN: log audit perangkat laptop ditulis ulang")
        )
        assert status.acknowledge_button.isVisible() and status.acknowledge_button.isEnabled()
        status.acknowledge_button.click()
        assert status.warnings.count() == 0 and not status.warnings.isVisible()
        assert not status.acknowledge_button.isVisible()
        assert audit_heads.open_warnings() == []
    finally:
        window.close()
        kelurahan.__exit__()


def test_bundles_taken_in_late_or_skipped_are_not_flagged(pair):
    laptop, kelurahan = pair
    made = []
    for name in ("Ani", "Budi", "Citra", "Dewi"):
        with laptop:
            register(name)
            made.append(laptop.export(kelurahan))
    first, second, third, fourth = made
    assert take_one(kelurahan, first).audit_warnings == []
    assert take_one(kelurahan, third).audit_warnings == []  # the second has not arrived yet
    assert take_one(kelurahan, second).audit_warnings == []  # arrives late
    assert take_one(kelurahan, fourth).audit_warnings == []
    with kelurahan:
        assert audit_heads.open_warnings() == []
