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


def test_cetak_prints_the_recap_with_alt_c(qtbot, store, tmp_path):
    """*Cetak rekap…* (Alt+C, the only C among the dialog's shortcuts) prints the recap PDF
    through the print path of app/ui/widgets/pdf_preview.py, here onto a PDF printer."""
    import subprocess

    from PySide6.QtCore import Qt
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QAbstractButton, QApplication

    from app.ui.runner import Runner

    load_demo(40, seed=5, officer=ADMIN_OFFICER)
    dialog = SummaryDialog(Runner(synchronous=True), ADMIN_OFFICER)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = [b.text() for b in dialog.findChildren(QAbstractButton)]
    texts += [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    keys = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
    assert dialog.print_button.text() == "&Cetak rekap…" and keys.count("c") == 1
    assert len(keys) == len(set(keys))  # every Alt key in the dialog is unique
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "dicetak.pdf"
    printer.setOutputFileName(str(out))
    dialog.printer = printer
    before = len(audit.entries())
    dialog.activateWindow()  # offscreen has no window manager to do it
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "dicetak" in dialog.message.text())
    assert out.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert "Pages:" in info.stdout and int(info.stdout.split("Pages:")[1].split()[0]) >= 1
    [entry] = audit.entries()[before:]
    assert entry.action == "report.recap" and entry.detail["format"] == "print"
    assert entry.detail["households"] == 40
    dialog.close()
