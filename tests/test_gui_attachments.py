"""The *Lampiran* dialog (issue 18): opened from the household form with Ctrl+L, thumbnails
from decrypted bytes in memory, add from a file, view larger, save, remove (supervisor)."""

from __future__ import annotations

import io

from conftest import ADMIN_OFFICER
from PIL import Image
from PySide6.QtCore import Qt
from test_attachments import noisy_photo, small_pdf
from test_gui_mnemonics import clashes, window_keys

from app.core.document import new_member
from app.services import attachments, households
from app.services.actions import Officer
from app.ui.household.attachments import AttachmentsDialog, AttachmentViewer
from app.ui.runner import Runner


def stored_household() -> str:
    doc = households.new_household()
    doc["no_kk"] = "3174010101260001"
    doc["members"] = [new_member(nik="3174015708850003", name="Dewi Lestari", relationship=1)]
    return households.save_household(doc, final=False, officer=ADMIN_OFFICER)["household_id"]


def dialog_for(qtbot, officer, household_id, parent=None):
    dialog = AttachmentsDialog(Runner(synchronous=True), officer, household_id, parent)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_ctrl_l_opens_the_attachments_of_the_open_household(qtbot, window):
    hid = stored_household()
    window.open_household(hid)
    window.form.fields["no_kk"].setFocus()
    qtbot.keyClick(window.form.fields["no_kk"], Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    [dialog] = window.findChildren(AttachmentsDialog)
    assert dialog.household_id == hid and dialog.isVisible()
    assert window.form.attachments_button.text() == "Lampi&ran… (Ctrl+L)"
    assert not clashes(window_keys(window))  # the new button's Alt key is free
    dialog.close()


def test_add_view_save_and_remove(qtbot, store, tmp_path, monkeypatch):
    hid = stored_household()
    dialog = dialog_for(qtbot, ADMIN_OFFICER, hid)
    assert not clashes(window_keys(dialog))
    assert dialog.items.count() == 0 and dialog.add_button.isEnabled()

    photo = tmp_path / "rumah.jpg"
    photo.write_bytes(noisy_photo(2000, 1500))
    dialog.kind.setCurrentIndex(dialog.kind.findData("house-front"))
    dialog.add_file(photo)
    assert dialog.items.count() == 1 and dialog.error.text() == ""
    icon = dialog.items.item(0).icon()
    assert not icon.isNull() and icon.availableSizes()  # a real thumbnail, from memory
    assert "Foto rumah tampak depan" in dialog.items.item(0).text()

    shown = []
    monkeypatch.setattr(AttachmentViewer, "exec", lambda self: shown.append(self))
    dialog.view_current()
    [viewer] = shown
    qtbot.addWidget(viewer)
    picture = viewer.picture.pixmap()
    assert picture.width() <= 1200 and picture.height() <= 640 and not picture.isNull()

    out = tmp_path / "salinan.jpg"
    dialog.save_to(out)
    [stored] = attachments.list_attachments(hid, ADMIN_OFFICER)
    assert out.read_bytes() == attachments.content(stored.id, ADMIN_OFFICER)[1]
    size = Image.open(io.BytesIO(out.read_bytes())).size
    assert size == (stored.width, stored.height) and max(size) <= 1600

    bad = tmp_path / "rusak.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nrusak")
    dialog.add_file(bad)
    assert "bukan gambar" in dialog.error.text() and dialog.items.count() == 1

    assert dialog.remove_button.isVisible()
    dialog.remove_current(ask=False)
    assert dialog.items.count() == 0
    assert attachments.list_attachments(hid, ADMIN_OFFICER) == []


def test_a_petugas_adds_but_cannot_remove(qtbot, store):
    hid = stored_household()
    attachments.add_attachment(hid, small_pdf(), "kk", ADMIN_OFFICER)
    petugas = Officer("budi", "Budi", "petugas")
    dialog = dialog_for(qtbot, petugas, hid)
    assert dialog.items.count() == 1  # a PDF scan shows a file icon
    assert not dialog.remove_button.isVisible() and dialog.add_button.isEnabled()


def test_an_unsaved_household_cannot_take_attachments_yet(qtbot, store):
    dialog = dialog_for(qtbot, ADMIN_OFFICER, households.new_household()["household_id"])
    assert not dialog.add_button.isEnabled()
    assert "Simpan draf" in dialog.error.text()


# --- for tests/test_gui_sizes.py -----------------------------------------------------------


def attachments_dialog(window, paths) -> AttachmentsDialog:
    """The dialog with two photos and a PDF scan, as tests/test_gui_sizes.py measures it."""
    hid = stored_household()
    for kind, data in (
        ("house-front", noisy_photo(1600, 1200)),
        ("house-inside", noisy_photo(1200, 1600)),
        ("kk", small_pdf()),
    ):
        attachments.add_attachment(hid, data, kind, ADMIN_OFFICER)
    return AttachmentsDialog(window.runner, ADMIN_OFFICER, hid, window)


def attachment_viewer(window, paths) -> AttachmentViewer:
    """A tall photo in the larger view."""
    data = io.BytesIO()
    Image.new("RGB", (1200, 1600), "teal").save(data, "JPEG")
    item = attachments.Attachment(
        "x", "h", None, "house-inside", "image/jpeg", "0" * 64, 1, 1200, 1600, "admin",
        "2026-11-30", True,
    )  # fmt: skip
    return AttachmentViewer(item, data.getvalue(), window)
