"""Every window fits a 1366×768 kelurahan PC (issue 16): a maximised window there has about
1366×700. The main window and every dialog of the app are opened offscreen (real widgets on a
real store) and must be at most 1366×700 with every button inside the window and no label
cut short. A QDialog subclass of app/ui that is not listed in DIALOGS fails the test, so a new
dialog is measured too."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import pytest
from conftest import ADMIN_OFFICER
from helpers.households import head, household
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QWidget

import app.ui
from app.services import households
from app.services import receipts as receipt_service
from app.services.duplicates import DuplicateMatch, HouseholdRef

MAX_WIDTH, MAX_HEIGHT = 1366, 700

Factory = Callable[[QWidget, object], QDialog]


def _ui_modules() -> None:
    for module in pkgutil.walk_packages(app.ui.__path__, "app.ui."):
        importlib.import_module(module.name)


def app_dialogs() -> set[type]:
    """Every QDialog subclass defined in app/ui (walked, so a new one is found)."""
    _ui_modules()
    found, todo = set(), [QDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("app.ui"):
                found.add(sub)
    return found


def _receipt(window, paths):
    from app.ui.widgets.receipt_preview import ReceiptPreview

    doc = households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    receipt = receipt_service.prepare_receipt(doc["household_id"], ADMIN_OFFICER)
    return ReceiptPreview(receipt, window.runner, ADMIN_OFFICER, print, window)


def _privacy(window, paths):
    from app.ui.widgets.pdf_preview import PdfPreview

    pdf = receipt_service.privacy_notice()
    return PdfPreview(pdf, "Pemberitahuan privasi", "pemberitahuan-privasi.pdf", "", window)


def _duplicates(window, paths):
    from app.ui.household.duplicate_dialog import DuplicateDialog

    other = HouseholdRef("h-1", "3174011001-0A1B2C3D-000123", "Siti Aminah", 5, 3)
    match = DuplicateMatch(other, ("No. KK 3174********0003", "NIK 3174********0004"))
    return DuplicateDialog([match, match], True, window)


def _export_to_a_long_path(window, paths):
    from pathlib import Path

    from app.ui.sync.dialogs import ExportDialog

    dialog = ExportDialog(window.runner, ADMIN_OFFICER, True, window)
    dialog.peer.addItem("Kelurahan Manggarai Selatan")
    dialog.set_path(Path("/home/petugas/Documents/Kelurahan-Manggarai-Selatan-konfirmasi.bundle"))
    dialog.result.setText(
        "Konfirmasi ke-12 untuk Kelurahan Manggarai Selatan tersimpan di /home/petugas/"
        "Documents/Kelurahan-Manggarai-Selatan-konfirmasi.bundle (1234 data)."
    )
    return dialog


def _meeting(window, paths):
    """A meeting with its agenda (a household), for the musyawarah screens (issue 17)."""
    import datetime as dt

    from app.services import musyawarah

    households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    return musyawarah.create_meeting(
        dt.date(2026, 12, 7), "Aula Kantor Kelurahan Tebet Timur", ADMIN_OFFICER, rw=5
    ).id


def _musyawarah(window, paths):
    from app.ui.musyawarah.meeting_screen import MeetingScreen

    return MeetingScreen(window.runner, ADMIN_OFFICER, _meeting(window, paths), window)


def _musyawarah_paper(window, paths):
    from app.services import musyawarah_docs
    from app.ui.musyawarah.papers import PaperPreview

    paper = musyawarah_docs.prepare_document(_meeting(window, paths), "undangan", ADMIN_OFFICER)
    return PaperPreview(paper, window.runner, ADMIN_OFFICER, print, print, window)


def _result_import(window, paths):
    from app.services import pemadanan, pemadanan_files
    from app.ui.dinsos.result_import_dialog import ResultImportDialog

    dialog = ResultImportDialog(
        window.runner, ADMIN_OFFICER, title="Impor hasil pemadanan", preview=pemadanan.preview,
        apply=pemadanan.apply, profile_names=pemadanan_files.profile_names,
        counts=pemadanan.COUNTS, parent=window,
    )  # fmt: skip
    dialog.path.setText("/tmp/" + "hasil-pemadanan-bapenda-jakarta-selatan-" * 4 + ".csv")
    return dialog


def _returns(window, paths):
    """The return-bundles dialog after a run: long kelurahan names and paths (issue 19)."""
    from pathlib import Path

    from app.services.sync import returns
    from app.services.sync.export import ExportReport
    from app.ui.dinsos.return_dialog import ReturnDialog

    dialog = ReturnDialog(window.runner, ADMIN_OFFICER, paths, window)
    folder = Path("/home/operator/Documents/paket-balik-dinas-sosial-provinsi-dki-jakarta")
    dialog.set_folder(folder)
    name = "31.75.06.1005-pondok-kelapa-2026-11-30.bundle"
    sent = returns.Returned("31.75.06.1005", "Pondok Kelapa (31.75.06.1005)", "Kelurahan Pondok "
                            "Kelapa Duren Sawit", 1234, ExportReport(folder / name, "b", 12, 1234,
                                                                     False))  # fmt: skip
    skipped = returns.Skipped("31.72.04.1001", "Kelapa Gading Barat (31.72.04.1001)", 17)
    report = returns.ReturnsReport([sent] * 8, [skipped] * 2, ["Tebet Timur"] * 257)
    dialog._done(report)
    return dialog


def _factories() -> dict[str, Factory]:
    from test_gui_attachments import attachment_viewer, attachments_dialog
    from test_gui_status import answered_status_dialog, timeline_dialog

    from app.services import installation
    from app.ui.about_dialog import AboutDialog
    from app.ui.admin.audit_view import AuditView
    from app.ui.admin.officers_dialog import AddOfficerDialog, OfficersDialog
    from app.ui.admin.restore_dialog import RestoreDialog
    from app.ui.dinsos.area_dialog import DinsosAreaDialog
    from app.ui.dinsos.duplicates_dialog import CrossDuplicatesDialog
    from app.ui.dinsos.request_dialog import RequestDialog
    from app.ui.dinsos.return_dialog import ReturnDialog
    from app.ui.dinsos.target_list_dialog import PenetapanPreview, TargetListDialog
    from app.ui.household.override_dialog import OverrideDialog
    from app.ui.household.possible_duplicates import PossibleDuplicatesDialog
    from app.ui.household.withdraw_dialog import ReasonDialog
    from app.ui.login import dialogs as login
    from app.ui.musyawarah.meetings_dialog import MeetingsDialog
    from app.ui.musyawarah.plan_dialog import PlanDialog
    from app.ui.musyawarah.reason_dialog import NotPoorDialog
    from app.ui.reports.export_dialog import ExportListDialog
    from app.ui.reports.summary import SummaryDialog
    from app.ui.shortcuts_dialog import ShortcutsDialog
    from app.ui.sync.conflict_dialog import ConflictDialog
    from app.ui.sync.dialogs import ExportDialog, SyncStatusDialog
    from app.ui.sync.import_dialog import ImportDialog
    from app.ui.sync.keys_dialog import KeysDialog
    from app.ui.widgets.village_picker import VillagePicker

    key = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789"
    return {
        "AboutDialog": lambda w, p: AboutDialog(w),
        "AuditView": lambda w, p: AuditView(w.runner, ADMIN_OFFICER, w),
        "AddOfficerDialog": lambda w, p: AddOfficerDialog(w),
        "OfficersDialog": lambda w, p: OfficersDialog(w.runner, ADMIN_OFFICER, w),
        "RestoreDialog": lambda w, p: RestoreDialog(w.runner, p, ADMIN_OFFICER, w),
        "OverrideDialog": lambda w, p: OverrideDialog(
            [("car", "Memiliki mobil"), ("njop_over_1b", "NJOP rumah di atas Rp 1 miliar")], w
        ),
        "PossibleDuplicatesDialog": lambda w, p: PossibleDuplicatesDialog(
            w.runner, ADMIN_OFFICER, w
        ),
        "DuplicateDialog": _duplicates,
        "ReasonDialog": lambda w, p: ReasonDialog(
            "Batalkan pendaftaran", "Tulis alasan pembatalan.", "Batalkan", w
        ),
        "LoginDialog": lambda w, p: login.LoginDialog(p, w),
        "NextOfficerLoginDialog": lambda w, p: login.NextOfficerLoginDialog(p, w),
        "EncryptLegacyDialog": lambda w, p: login.EncryptLegacyDialog(p, w),
        "FirstAdminDialog": lambda w, p: login.FirstAdminDialog(p, w),
        "UnlockDialog": lambda w, p: login.UnlockDialog(ADMIN_OFFICER, w),
        "RecoveryKeyDialog": lambda w, p: login.RecoveryKeyDialog(key, w, login.REKEYED_INTRO),
        "ShortcutsDialog": lambda w, p: ShortcutsDialog(w, w),
        "SummaryDialog": lambda w, p: SummaryDialog(w.runner, ADMIN_OFFICER, w),
        "ConflictDialog": lambda w, p: ConflictDialog(w.runner, ADMIN_OFFICER, w),
        "ExportDialog": lambda w, p: ExportDialog(w.runner, ADMIN_OFFICER, parent=w),
        "ExportDialog(ack)": lambda w, p: ExportDialog(w.runner, ADMIN_OFFICER, True, w),
        "ExportDialog(long path)": _export_to_a_long_path,
        "SyncStatusDialog": lambda w, p: SyncStatusDialog(w.runner, w, ADMIN_OFFICER),
        "ImportDialog": lambda w, p: ImportDialog(w.runner, p, ADMIN_OFFICER, w),
        "KeysDialog": lambda w, p: KeysDialog(w.runner, ADMIN_OFFICER, w),
        "ExportListDialog": lambda w, p: ExportListDialog(w.runner, ADMIN_OFFICER, w),
        "VillagePicker": lambda w, p: VillagePicker(installation.villages(), w),
        "DinsosAreaDialog": lambda w, p: DinsosAreaDialog(installation.kota_codes(), w),
        "ReceiptPreview": _receipt,
        "PdfPreview": _privacy,
        "MeetingsDialog": lambda w, p: MeetingsDialog(w.runner, ADMIN_OFFICER, w),
        "PlanDialog": lambda w, p: PlanDialog(w.runner, ADMIN_OFFICER, _meeting(w, p), w),
        "MeetingScreen": _musyawarah,
        "PaperPreview": _musyawarah_paper,
        "NotPoorDialog": lambda w, p: NotPoorDialog("Nur Hasanah", w),
        "AttachmentsDialog": attachments_dialog,
        "AttachmentViewer": attachment_viewer,
        "ResultImportDialog": _result_import,  # issue 19 (Dinsos)
        "RequestDialog": lambda w, p: RequestDialog(w.runner, ADMIN_OFFICER, p, w),
        "TargetListDialog": lambda w, p: TargetListDialog(w.runner, ADMIN_OFFICER, w),
        "PenetapanPreview": lambda w, p: PenetapanPreview(
            receipt_service.privacy_notice(), "001/DST", w.runner, ADMIN_OFFICER, w
        ),
        "StatusDialog": answered_status_dialog,  # issue 19 (Cek status)
        "TimelineDialog": timeline_dialog,
        "CrossDuplicatesDialog": lambda w, p: CrossDuplicatesDialog(
            w, ADMIN_OFFICER, runner=w.runner
        ),
        "ReturnDialog": lambda w, p: ReturnDialog(w.runner, ADMIN_OFFICER, p, w),
        "ReturnDialog(after a run)": _returns,
    }


# Base classes measured through their subclasses above.
BASES = {"_AccountDialog", "_PasswordForm"}


def test_every_dialog_class_is_measured():
    names = {name.split("(")[0] for name in _factories()}
    missing = sorted(cls.__name__ for cls in app_dialogs() if cls.__name__ not in names | BASES)
    assert not missing, f"add these dialogs to DIALOGS in tests/test_gui_sizes.py: {missing}"


def problems(widget: QWidget) -> list[str]:
    """Why `widget` does not fit a 1366×768 screen, or []: too big, a button outside the
    window, a label shorter than its text."""
    found = []
    size = widget.frameGeometry().size().expandedTo(widget.minimumSizeHint())
    if size.width() > MAX_WIDTH or size.height() > MAX_HEIGHT:
        found.append(f"{size.width()}×{size.height()} is larger than {MAX_WIDTH}×{MAX_HEIGHT}")
    inside = widget.rect()
    for button in widget.findChildren(QAbstractButton):
        if not button.isVisibleTo(widget) or button.window() is not widget:
            continue
        rect = QRect(button.mapTo(widget, QPoint(0, 0)), button.size())
        if not inside.contains(rect):
            found.append(f"button {button.text()!r} at {rect.getRect()} is outside {inside}")
    for label in widget.findChildren(QLabel):
        if not label.isVisibleTo(widget) or not label.text() or label.window() is not widget:
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                found.append(f"label {label.text()[:40]!r} needs {needed} px, has {label.height()}")
        elif label.width() + 1 < label.minimumSizeHint().width():
            found.append(f"label {label.text()[:40]!r} is cut: {label.width()} px")
    return found


@pytest.mark.parametrize("name", sorted(_factories()))
def test_dialog_fits_1366x768(qtbot, window, store, name):
    dialog = _factories()[name](window, store)
    dialog.show()
    for _ in range(3):
        QApplication.processEvents()
    try:
        assert problems(dialog) == [], name
    finally:  # hidden, not closed: closing the first-start dialog asks before quitting
        dialog.hide()
        dialog.deleteLater()


def test_main_window_fits_with_its_status_bar(qtbot, window):
    for _ in range(3):
        QApplication.processEvents()
    assert problems(window) == []
    bar = window.statusBar()
    assert bar.isVisible()
    assert window.rect().contains(QRect(bar.mapTo(window, QPoint(0, 0)), bar.size()))
    assert window.save_state.isVisibleTo(window)


def test_a_save_says_so_once(qtbot, window):
    from PySide6.QtCore import Qt

    window.new_household()
    window.form.load(household(head()), window.village_label)
    qtbot.keyClick(window.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.save_state.text().startswith("Tersimpan final")
    assert window.statusBar().currentMessage() == ""  # not the same line a second time


def test_long_choice_labels_are_readable(qtbot):
    from app.ui.widgets.fields import CodeCombo

    combo = CodeCombo("members", "employment_position")
    qtbot.addWidget(combo)
    combo.show()
    combo.set_value(2)
    assert combo.toolTip() == "Berusaha dibantu buruh tidak tetap/tidak dibayar"
    combo.setCurrentIndex(combo.findData(5))  # as the officer picks it
    assert combo.toolTip() == "PNS/TNI/Polri/BUMN/BUMD/pejabat negara"
    combo.showPopup()
    view = combo.view()
    assert view.width() >= view.sizeHintForColumn(0)  # the open list shows whole labels
    combo.hidePopup()
