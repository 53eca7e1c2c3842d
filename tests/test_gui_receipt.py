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


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


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
    # the preview still shows the original (saving it now saves the same receipt); only
    # printing again makes a SALINAN
    assert "sudah dicetak" in preview.note.text() and "SALINAN" not in pdf_text(preview.pdf)
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


def open_preview(qtbot, window):
    stored = saved_on_the_form(qtbot, window)
    qtbot.keyClick(window.form, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    return stored, window.file_menu.receipt_preview


def test_saving_then_printing_in_one_preview_is_one_original(qtbot, window, tmp_path):
    stored, preview = open_preview(qtbot, window)
    original = preview.pdf

    preview.save_to(tmp_path / "tanda-terima.pdf")
    assert receipt_service.receipt_history(stored["household_id"])[0].copy == 0
    assert "asli" in preview.note.text()  # still the original, ready to print
    preview.print_to(pdf_printer(tmp_path / "printed.pdf"))

    assert preview.pdf == original  # what was printed: the original, not a SALINAN
    assert "SALINAN" not in pdf_text(original)
    assert (tmp_path / "tanda-terima.pdf").read_bytes() == original
    assert [r.copy for r in receipt_service.receipt_history(stored["household_id"])] == [0]
    entries = [e for e in audit.entries(stored["household_id"]) if e.action == "receipt.print"]
    assert len(entries) == 1
    preview.close()


def test_printing_then_saving_is_one_original_and_printing_again_a_salinan(
    qtbot, window, tmp_path, monkeypatch
):
    stored, preview = open_preview(qtbot, window)
    original = preview.pdf
    preview.print_to(pdf_printer(tmp_path / "printed.pdf"))
    preview.save_to(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == original
    assert [r.copy for r in receipt_service.receipt_history(stored["household_id"])] == [0]

    # Cetak once more: the next copy is shown first, then printed (the system's print dialog
    # is replaced by a PDF printer here)
    printed = []
    monkeypatch.setattr(
        preview,
        "print_with_dialog",
        lambda: (printed.append(preview.pdf), preview.print_to(pdf_printer(tmp_path / "2.pdf"))),
    )
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)

    assert len(printed) == 1 and "SALINAN" in pdf_text(printed[0])
    assert "sudah dicetak" in preview.note.text()  # the SALINAN, now printed
    assert [r.copy for r in receipt_service.receipt_history(stored["household_id"])] == [0, 1]
    preview.close()
