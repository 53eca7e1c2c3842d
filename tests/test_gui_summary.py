"""The *Ringkasan* screen (issue 18): opened from *Laporan & ekspor*, it shows the recap's
counts and chart, and saves the recap and the working lists through the services."""

from __future__ import annotations

from conftest import ADMIN_OFFICER
from python_calamine import CalamineWorkbook

from app.db import audit
from app.receipts.formatting import thousands
from app.services import recaps
from app.services.demo import load_demo
from app.ui.reports.summary import SummaryDialog


def test_summary_shows_the_recap_and_saves_it(qtbot, window, tmp_path):
    load_demo(300, seed=3, officer=ADMIN_OFFICER)
    window.reports_menu.recap_action.trigger()
    dialog = window.reports_menu.dialog
    assert isinstance(dialog, SummaryDialog)
    qtbot.waitUntil(lambda: dialog.recap is not None and dialog.drafts_counted)
    recap = recaps.recap(ADMIN_OFFICER)
    rows = {
        dialog.totals.item(r, 0).text(): dialog.totals.item(r, 1).text()
        for r in range(dialog.totals.rowCount())
    }
    registered = recap.status_total("registered").households
    assert rows["Terdaftar"] == thousands(registered) and registered > 0
    assert rows["Jumlah"] == thousands(recap.grand_total.households) == "300"
    assert rows["Draf belum lengkap"] == thousands(recap.incomplete_total)
    assert dialog.places.rowCount() == len(recap.places)
    assert dialog.chart.categories == [f"{rw:03d}" for rw in recap.rws()]
    assert sum(dialog.chart.totals()) == 300
    assert dialog.chart.grab().width() > 0  # paints

    out = tmp_path / "rekap.xlsx"
    dialog.save_recap("xlsx", out)
    qtbot.waitUntil(lambda: "tersimpan" in dialog.message.text())
    assert CalamineWorkbook.from_path(str(out)).sheet_names[0] == "Ringkasan"
    assert audit.entries()[-1].action == "report.recap"
    dialog.rw.setValue(recap.rws()[0])
    visit = tmp_path / "kunjungan.pdf"
    dialog.save_worklist(visit)
    qtbot.waitUntil(lambda: "Daftar kunjungan" in dialog.message.text())
    assert visit.read_bytes().startswith(b"%PDF")
    assert audit.entries()[-1].action == "report.worklist"
    dialog.close()


def test_a_petugas_sees_the_recap_and_the_worklist_buttons(qtbot, store):
    from app.services.actions import Officer
    from app.ui.runner import Runner

    dialog = SummaryDialog(Runner(synchronous=True), Officer("u", "U", "petugas"))
    qtbot.addWidget(dialog)
    assert dialog.recap is not None  # petugas may see the recap
    assert not dialog.visit.isHidden()
