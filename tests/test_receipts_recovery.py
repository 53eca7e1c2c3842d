"""The recovery key on paper (issue 16): its letters avoid I and O (read as 1 and 0), a key
printed before with I and O still opens the database, and the printed sheet names the
kelurahan, the installation and the date with the key on one line. Real key derivation, real
PDF (pdftotext), printed through Qt onto a PDF printer."""

from __future__ import annotations

import base64
import re
import secrets
import subprocess

from PySide6.QtPrintSupport import QPrinter

from app.db import recovery_keys
from app.services import installation
from app.services import receipts as receipt_service

KEY_SHAPE = re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){7}$")


def pdf_text(pdf: bytes, layout: bool = True) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def test_new_keys_avoid_letters_that_read_like_digits():
    for _ in range(200):
        key, recovery = recovery_keys.new_database_key()
        assert KEY_SHAPE.match(recovery), recovery
        assert not set(recovery) & set("IO01")
        assert recovery_keys.key_from_recovery(recovery) == key
        assert recovery_keys.key_from_recovery(recovery.lower().replace("-", " ")) == key


def test_an_old_key_with_i_and_o_still_opens_even_typed_with_digits():
    secret = next(s for s in iter(lambda: secrets.token_bytes(20), None) if _has_i_and_o(s))
    old = base64.b32encode(secret).decode()  # how keys were printed before issue 16
    key = recovery_keys.key_from_recovery(old)
    assert key is not None and len(key) == 32
    assert recovery_keys.key_from_recovery(old.replace("O", "0").replace("I", "1")) == key
    assert recovery_keys.key_from_recovery(old.translate(str.maketrans("IO", "89"))) == key
    assert recovery_keys.key_from_recovery("not-a-key") is None


def _has_i_and_o(secret: bytes) -> bool:
    letters = base64.b32encode(secret).decode()
    return "I" in letters and "O" in letters


def test_the_sheet_names_kelurahan_installation_and_date_with_the_key_on_one_line(store):
    _key, recovery = recovery_keys.new_database_key()
    pdf = receipt_service.recovery_sheet(recovery)
    text = pdf_text(pdf)
    lines = [line.strip() for line in text.splitlines()]
    assert recovery in lines  # whole, on one line of its own
    assert "Tebet Timur" in text  # the kelurahan of the store
    assert installation.device_code() in text
    assert re.search(r"Dibuat\s+\w+, \d{1,2} \w+ 20\d\d", text)  # the date
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    assert re.search(rb"^Pages:\s+1$", info.stdout, re.M)


def test_before_the_kelurahan_is_chosen_the_sheet_leaves_it_to_write(empty_store):
    _key, recovery = recovery_keys.new_database_key()
    text = pdf_text(receipt_service.recovery_sheet(recovery), layout=False)
    assert "(tulis tangan)" in text and recovery in text


def test_printing_from_the_recovery_dialog_prints_the_sheet(qtbot, store, tmp_path):
    from app.ui.login.dialogs import RecoveryKeyDialog, print_text

    _key, recovery = recovery_keys.new_database_key()
    dialog = RecoveryKeyDialog(recovery)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "kunci.pdf"))
    print_text(dialog, recovery, printer)
    info = subprocess.run(["pdfinfo", str(tmp_path / "kunci.pdf")], capture_output=True, check=True)
    assert re.search(rb"^Pages:\s+1$", info.stdout, re.M)
