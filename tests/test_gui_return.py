"""*Dinsos → Kirim paket ke semua kelurahan…* (issue 19): the return bundles from the GUI, on
real installations (a Dinsos office, two kelurahan peers and a laptop it trusts), written off
the UI thread with the keyboard only; the table lists the files written and the kelurahan
skipped, with no household data; a kelurahan takes its file in."""

from __future__ import annotations

import pytest
from conftest import officer_named
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from sync_support import Installation, register
from test_gui_mnemonics import check
from test_return_bundles import VILLAGES, _news

from app.db import audit
from app.services import households, installation
from app.ui.application import create_main_window
from app.ui.dinsos.return_dialog import ReturnDialog
from app.ui.runner import Runner
from app.ui.widgets.focus import focus_chain


@pytest.fixture
def office(tmp_path):
    """Dinsos with kelurahan A (news waiting), kelurahan B (nothing new) and a laptop's
    kelurahan C (news waiting, but no kelurahan key: skipped)."""
    office = Installation(tmp_path, "dinsos", village=None)
    with office:
        installation.set_dinsos(None, office.officer)
    peers = [
        Installation(tmp_path, f"kelurahan{n}", village=v)
        for n, v in zip("AB", VILLAGES[:2], strict=True)
    ]
    peers.append(Installation(tmp_path, "laptopC", village=VILLAGES[2]))
    ids = {}
    for peer in peers:
        office.trusts(peer)
        peer.trusts(office)
        with peer:
            ids[peer.name] = register(f"Warga Rahasia {peer.name}")["household_id"]
            bundle = peer.export(office)
        with office:
            office.take(bundle)
    _news(office, ids["kelurahanA"])
    _news(office, ids["laptopC"], "D-31-0003")
    return office, peers[0], ids


def focused(qtbot, widget) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def table_rows(dialog: ReturnDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_menu_item_writes_one_bundle_per_kelurahan_with_news(qtbot, office, tmp_path,
                                                                 monkeypatch):  # fmt: skip
    office, kelurahan_a, ids = office
    out = tmp_path / "kirim"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    with office:
        win = create_main_window(office.officer, Runner(synchronous=True))
        qtbot.addWidget(win)
        with qtbot.waitActive(win):
            win.show()
        action = win.dinsos_menu.return_action
        assert action.isEnabled() and action.text() == "Ki&rim paket ke semua kelurahan…"
        action.trigger()
        dialog = win.dinsos_menu.dialog
        assert isinstance(dialog, ReturnDialog) and dialog.isVisible()
        problems: dict[str, object] = {}
        check(dialog, problems, action.text())
        assert problems == {}
        focused(qtbot, dialog.choose_button)  # the keyboard starts at the folder
        qtbot.keyClick(dialog.choose_button, Qt.Key.Key_Space)
        assert dialog.folder == out
        focused(qtbot, dialog.write_button)
        qtbot.keyClick(dialog.write_button, Qt.Key.Key_Space)

        [written] = list(out.iterdir())
        assert written.name.startswith(VILLAGES[0] + "-")
        rows = table_rows(dialog)
        assert rows[0][:3] == [f"Tebet Timur ({VILLAGES[0]})", written.name, "1"]
        assert "kelurahanA" in rows[0][3]
        assert rows[1][0].endswith(f"({VILLAGES[2]})") and rows[1][1:3] == ["—", "1"]
        assert rows[1][3].startswith("Dilewati")
        assert len(rows) == 2
        shown = " ".join(" ".join(r) for r in rows) + dialog.summary.text()
        assert "Rahasia" not in shown and not any(h in shown for h in ids.values())
        assert dialog.summary.text().startswith(
            "1 paket ditulis, 1 kelurahan tanpa kabar baru, 1 kelurahan dilewati."
        )
        assert win.statusBar().currentMessage().startswith("1 paket ditulis")
        assert [e.action for e in audit.entries()].count("bundle.export.households") == 1
        assert dialog.progress.isHidden() and dialog.write_button.isEnabled()
        chain = focus_chain(dialog)
        assert chain.index(dialog.choose_button) < chain.index(dialog.table)
        assert not dialog.table.tabKeyNavigation()
        dialog.close()
    with kelurahan_a:
        [report] = kelurahan_a.take(written)
        assert report.counts["updated"] == 1
        assert households.load_household(ids["kelurahanA"])["dtks_id"] == "D-31-0001"


def test_refusals_say_one_line_and_write_nothing(qtbot, office, tmp_path):
    office, kelurahan_a, _ids = office
    with office:
        dialog = ReturnDialog(Runner(synchronous=True), office.officer)
        qtbot.addWidget(dialog)
        dialog.set_folder(tmp_path / "tidak-ada")
        dialog.write_button.click()
        assert "tidak ada" in dialog.error.text() and "\n" not in dialog.error.text()
        assert dialog.table.rowCount() == 0 and dialog.write_button.isEnabled()
        out = tmp_path / "kirim"
        out.mkdir()
        petugas = ReturnDialog(Runner(synchronous=True), officer_named("budi", "petugas"))
        qtbot.addWidget(petugas)
        petugas.set_folder(out)
        petugas.write_button.click()
        assert petugas.error.text() and "\n" not in petugas.error.text()
        assert list(out.iterdir()) == []
    with kelurahan_a:  # a kelurahan installation has no Dinsos menu; the service refuses too
        here = ReturnDialog(Runner(synchronous=True), kelurahan_a.officer)
        qtbot.addWidget(here)
        here.set_folder(out)
        here.write_button.click()
        assert "Dinas Sosial" in here.error.text() and list(out.iterdir()) == []
