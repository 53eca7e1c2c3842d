"""The counter's receipt flow in the real window: Simpan final, Ctrl+P, the preview, printing
(to a PDF printer, offscreen), and a reprint from the list."""

from __future__ import annotations

import re
import subprocess

from conftest import ADMIN_OFFICER
from helpers.households import head, household
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from app.core.document import new_member
from app.db import audit
from app.services import households
from app.services import receipts as receipt_service


def saved_on_the_form(qtbot, window) -> dict:
    """A household typed on the form (loaded whole) and saved final with Ctrl+S."""
    doc = household(head(), new_member(nik="3174011203050001", name="Rizky", relationship=3))
    window.new_household()
    window.form.load(doc, window.village_label)
    qtbot.keyClick(window.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = households.load_household(doc["household_id"])
    assert stored["registration_number"]
    return stored


def test_final_save_then_ctrl_p_opens_the_preview_and_printing_records_it(qtbot, window, tmp_path):
    stored = saved_on_the_form(qtbot, window)
    qtbot.keyClick(window.form, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

    preview = window.file_menu.receipt_preview
    assert preview.isVisible()
    assert preview.page_count() == 1
    assert stored["registration_number"] in preview.windowTitle()
    assert "asli" in preview.note.text()
    assert receipt_service.receipt_history(stored["household_id"]) == []  # only a preview

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    preview.prepare_printer(printer)
    preview.print_to(printer)

    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert "(A5)" in info  # the receipt's own paper, the default
    history = receipt_service.receipt_history(stored["household_id"])
    assert [r.copy for r in history] == [0]
    assert audit.entries(stored["household_id"])[-1].action == "receipt.print"
    # printing again from the same preview would be a recorded reprint: it now shows the copy
    assert "SALINAN ke-1" in preview.note.text()
    preview.close()


def test_reprint_from_the_list_is_a_salinan(qtbot, window, tmp_path):
    stored = saved_on_the_form(qtbot, window)
    receipt_service.print_receipt(stored["household_id"], ADMIN_OFFICER)
    qtbot.keyClick(window.form, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.list_page
    table = window.list_page.table
    if window.model.canFetchMore():  # the view fetches its first page when painted
        window.model.fetchMore()
    table.setCurrentIndex(window.model.index(window.model.row_of(stored["household_id"]), 0))

    qtbot.keyClick(table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

    preview = window.file_menu.receipt_preview
    assert preview.isVisible() and preview.page_count() == 1
    assert "SALINAN ke-1" in preview.note.text()
    preview.save_to(tmp_path / "salinan.pdf")
    assert (tmp_path / "salinan.pdf").read_bytes().startswith(b"%PDF")
    assert [r.copy for r in receipt_service.receipt_history(stored["household_id"])] == [0, 1]
    preview.close()


def test_paper_setting_and_privacy_notice_from_the_menus(qtbot, window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    seen = {}

    def choose_the_roll():
        dialog = QApplication.activeModalWidget()
        seen["current"] = dialog.textValue()
        box = dialog.findChild(QDialogButtonBox)
        seen["buttons"] = sorted(button.text() for button in box.buttons())
        dialog.setTextValue("Struk termal 80 mm")
        dialog.accept()

    QTimer.singleShot(0, choose_the_roll)
    window.file_menu.choose_receipt_paper()
    assert seen == {"current": "A5 (bawaan)", "buttons": ["Batal", "Simpan"]}
    assert receipt_service.receipt_paper() == "thermal80"

    window.file_menu.print_privacy_notice()
    assert window.file_menu.receipt_preview.isVisible()
    assert window.file_menu.receipt_preview.page_count() == 1
    assert window.file_menu.receipt_preview.windowTitle() == "Pemberitahuan privasi"
    window.file_menu.receipt_preview.close()
