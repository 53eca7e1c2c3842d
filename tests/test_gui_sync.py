"""The Sinkronisasi menu (issue 6): a supervisor sends and takes in bundles with a preview and a
progress bar, resolves a conflict field by field, trusts a peer after comparing fingerprints,
and sees the state per peer."""

from __future__ import annotations

import pytest
from sync_support import Installation, edit, exchange, register

from app.bundle.keys import fingerprint, from_file
from app.db import conflicts
from app.services import households
from app.services.sync import keys as service
from app.ui.main_window import MainWindow
from app.ui.runner import Runner
from app.ui.sync.conflict_dialog import ConflictDialog
from app.ui.sync.dialogs import ExportDialog, SyncStatusDialog
from app.ui.sync.import_dialog import ImportDialog
from app.ui.sync.keys_dialog import KeysDialog


@pytest.fixture
def pair(tmp_path):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    return laptop, kelurahan


def open_window(qtbot, inst: Installation) -> MainWindow:
    inst.__enter__()
    window = MainWindow(Runner(synchronous=True), inst.officer, paths=inst.paths)
    qtbot.addWidget(window)
    window.show()
    return window


def test_take_in_a_bundle_with_a_preview_then_apply(qtbot, pair):
    laptop, kelurahan = pair
    with laptop:
        ani = register("Ani")
        register("Budi")
        good = laptop.export(kelurahan)
    broken = good.with_name("rusak.bundle")
    broken.write_bytes(good.read_bytes()[:-200])

    window = open_window(qtbot, kelurahan)
    try:
        window.sync_menu.import_action.trigger()
        dialog = window.sync_menu.dialog
        assert isinstance(dialog, ImportDialog)
        dialog.set_files([good, broken])
        cells = [[dialog.table.item(r, c).text() for c in range(8)] for r in range(2)]
        assert cells[0][:7] == [good.name, "laptop", "2", "0", "0", "0", "0"]
        assert cells[1][7].startswith("DITOLAK: Berkas paket rusak atau terpotong")
        assert households.household_count() == 0  # the preview keeps nothing
        assert "1 paket siap diterapkan, 1 ditolak" in dialog.summary.text()

        dialog.apply_button.click()
        assert households.household_count() == 2
        assert "1 paket diterima: 2 keluarga baru" in dialog.summary.text()
        assert dialog.progress.isHidden()
        qtbot.waitUntil(lambda: window.model.rowCount() == 2)  # the list reloaded
        assert "2 keluarga baru" in window.statusBar().currentMessage()
        assert households.load_household(ani["household_id"])["members"][0]["name"] == "Ani"
    finally:
        window.close()
        kelurahan.__exit__()


def test_send_a_bundle_and_see_the_status(qtbot, pair, tmp_path):
    laptop, kelurahan = pair
    window = open_window(qtbot, laptop)
    try:
        register("Ani")
        window.sync_menu.export_action.trigger()
        dialog = window.sync_menu.dialog
        assert isinstance(dialog, ExportDialog)
        assert dialog.peer.currentText() == "kelurahan"
        assert not dialog.send.isEnabled()  # no file chosen yet
        dialog.set_path(tmp_path / "untuk-kelurahan.bundle")
        dialog.send.click()
        assert (tmp_path / "untuk-kelurahan.bundle").stat().st_size > 0
        assert "Paket ke-1 untuk kelurahan" in dialog.result.text()
        assert dialog.progress.value() == dialog.progress.maximum()

        window.sync_menu.status_action.trigger()
        status = window.sync_menu.dialog
        assert isinstance(status, SyncStatusDialog)
        assert status.cell(0, 0).startswith("kelurahan")
        assert status.cell(0, 1).startswith("paket ke-1")
        assert status.cell(0, 2) == "1"  # not acknowledged yet
        assert status.cell(0, 3) == "belum pernah"
    finally:
        window.close()
        laptop.__exit__()


def test_resolve_a_conflict_side_by_side(qtbot, pair):
    laptop, kelurahan = pair
    with laptop:
        ani = register("Ani")
        hid = ani["household_id"]
        first = laptop.export(kelurahan)
    with kelurahan:
        kelurahan.take(first)
        edit(hid, address="Jl. Versi Kelurahan")
        back = kelurahan.export(laptop)
    with laptop:
        edit(hid, address="Jl. Versi Laptop", rt=7)
        laptop.take(back)

    window = open_window(qtbot, laptop)
    try:
        window.sync_menu.conflict_action.trigger()
        dialog = window.sync_menu.dialog
        assert isinstance(dialog, ConflictDialog)
        assert dialog.list.rowCount() == 1 and dialog.list.item(0, 1).text() == "Ani"
        dialog.choose(0)
        rows = {dialog.fields.item(r, 0).text(): r for r in range(dialog.fields.rowCount())}
        assert "Alamat" in rows and "RT" in rows
        shown = {dialog.fields.item(rows["Alamat"], c).text() for c in (1, 2)}
        assert shown == {"Jl. Versi Kelurahan", "Jl. Versi Laptop"}
        # keep the kelurahan's address whichever version is shown
        kelurahan_side = (
            1 if dialog.fields.item(rows["Alamat"], 1).text().endswith("Kelurahan") else 2
        )
        if kelurahan_side == 2:
            dialog.take_other("address")
        dialog.save.click()
        assert conflicts.households_in_conflict() == []
        assert households.load_household(hid)["address"] == "Jl. Versi Kelurahan"
        assert dialog.list.rowCount() == 0
        assert "diselesaikan" in window.statusBar().currentMessage()
    finally:
        window.close()
        laptop.__exit__()


def test_trust_a_peer_only_after_comparing_its_fingerprint(qtbot, tmp_path, monkeypatch):
    dinsos = Installation(tmp_path, "dinsos")
    kelurahan = Installation(tmp_path, "kelurahan")
    key_file = tmp_path / "dinsos.json"
    key_file.write_bytes(dinsos.key_file)
    window = open_window(qtbot, kelurahan)
    try:
        window.sync_menu.keys_action.trigger()
        dialog = window.sync_menu.dialog
        assert isinstance(dialog, KeysDialog)
        assert service.own_fingerprint() in dialog.own.text()
        dialog.read_key_file(key_file)
        assert fingerprint(from_file(dinsos.key_file)) in dialog.shown.text()
        assert not dialog.trust_button.isEnabled()
        dialog.name.setText("Dinsos DKI")
        dialog.compared.setChecked(True)
        assert not dialog.trust_button.isEnabled()  # the kind is chosen, never assumed
        dialog.kind.setCurrentIndex(dialog.kind.findData("dinsos"))
        dialog.trust_button.click()
        assert [key.name for key, _ in service.trusted_peers()] == ["Dinsos DKI"]
        assert dialog.peers.item(0, 0).text() == "Dinsos DKI"
        assert dialog.peers.item(0, 1).text() == "Dinsos"

        not_a_key = tmp_path / "catatan.json"
        not_a_key.write_text("{}")
        dialog.read_key_file(not_a_key)
        assert dialog.error.text().startswith("Berkas catatan.json bukan kunci publik Loket DTKS")
        huge = tmp_path / "video.json"  # chosen by mistake: refused after 64 kB, not read whole
        huge.write_bytes(b"{" * 2**21)
        read = []
        monkeypatch.setattr(service, "from_file", read.append)
        dialog.read_key_file(huge)
        assert "bukan kunci publik" in dialog.error.text() and read == []
        monkeypatch.undo()
        dialog.write_public_key(tmp_path / "kunci-kelurahan.json")
        assert from_file((tmp_path / "kunci-kelurahan.json").read_bytes()).name
    finally:
        window.close()
        kelurahan.__exit__()


def test_a_petugas_sees_the_sync_menu_disabled(qtbot, pair):
    from conftest import FAST_KDF, OFFICER_PASSWORD

    from app.services import auth

    laptop, _kelurahan = pair
    with laptop:
        petugas = auth.create_officer(
            "budi", "Budi", "petugas", OFFICER_PASSWORD, laptop.officer, FAST_KDF
        )
    laptop.__enter__()
    window = MainWindow(Runner(synchronous=True), petugas, paths=laptop.paths)
    qtbot.addWidget(window)
    try:
        menu = window.sync_menu
        assert not menu.import_action.isEnabled() and not menu.export_action.isEnabled()
        assert not menu.conflict_action.isEnabled() and menu.status_action.isEnabled()
    finally:
        window.close()
        laptop.__exit__()


def test_dinsos_takes_in_a_folder_of_kelurahan_bundles_with_one_bar_and_one_table(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from app.services import installation
    from app.services.sync import returns

    office = Installation(tmp_path, "dinsos", village=None)
    with office:
        installation.set_dinsos(None, office.officer)
    folder = tmp_path / "masuk"
    folder.mkdir()
    villages = ("31.74.01.1001", "31.74.01.1002")
    for i, village in enumerate(villages):
        kel = Installation(tmp_path, f"kelurahan{i}", village=village)
        exchange((office, kel))
        with kel:
            register(f"Warga {i}")
            kel.export(office).rename(folder / f"{i}-kelurahan{i}.bundle")
    good = (folder / "0-kelurahan0.bundle").read_bytes()
    (folder / "1-rusak.bundle").write_bytes(good[:-200])

    with office:
        dialog = ImportDialog(Runner(synchronous=True), office.paths, office.officer)
        qtbot.addWidget(dialog)
        moves: list[tuple[int, int]] = []
        dialog.relay.moved.connect(lambda done, total: moves.append((done, total)))
        with qtbot.waitActive(dialog):
            dialog.show()
        dialog.set_folder(folder)
        assert {total for _, total in moves} == {3 * returns.STEPS}  # one bar over all files
        assert [d for d, _ in moves] == sorted(d for d, _ in moves)
        assert households.household_count() == 0  # the preview keeps nothing
        dialog.apply_button.click()
        cells = [[dialog.table.item(r, c).text() for c in range(8)] for r in range(3)]
        assert [c[0] for c in cells] == [
            "0-kelurahan0.bundle",
            "1-kelurahan1.bundle",
            "1-rusak.bundle",
        ]
        assert cells[0][1:4] == ["kelurahan0 (31.74.01.1001)", "1", "0"]
        assert cells[1][1:3] == ["kelurahan1 (31.74.01.1002)", "1"]
        assert cells[0][7] == cells[1][7] == "diterima"
        assert cells[2][7].startswith("DITOLAK: Berkas paket rusak")
        assert households.household_count() == 2
        assert "2 paket diterima: 2 keluarga baru" in dialog.summary.text()
        assert "1 berkas ditolak" in dialog.summary.text()
        qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
        assert dialog.table.hasFocus()  # the table is reached from the keyboard
        dialog.close()
