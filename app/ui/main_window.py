"""The main window: wiring only. Pages, actions and the status bar; work goes to services
through the background runner."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.paths import AppPaths
from app.services import auth, checks, households, installation
from app.services import receipts as receipt_service
from app.ui.about_dialog import AboutDialog, app_icon
from app.ui.admin.menu import AdminMenu
from app.ui.errors import show_error
from app.ui.household.duplicate_dialog import ACCEPT, DRAFT, OPEN, DuplicateDialog
from app.ui.household.form import HouseholdForm
from app.ui.household.list_model import HouseholdListModel, local_time
from app.ui.household.list_page import HouseholdListPage
from app.ui.household.override_dialog import OverrideDialog
from app.ui.household.possible_duplicates import PossibleDuplicatesDialog
from app.ui.household.withdraw_dialog import ReasonDialog
from app.ui.login.idle_lock import IdleLock
from app.ui.runner import Runner
from app.ui.sync.menu import SyncMenu
from app.ui.widgets.pdf_preview import PdfPreview


def describe_draft(doc: dict) -> str:
    """One line about an autosaved form, for the banner."""
    names = [m["name"] for m in doc["members"] if m.get("name")]
    who = names[0] if names else "(belum ada nama)"
    kk = f"No. KK {doc['no_kk']}" if doc.get("no_kk") else "No. KK belum diisi"
    count = len(doc["members"])
    return f"{who} — {kk} — {count} anggota — diketik {local_time(doc['updated_at'])}"


class MainWindow(QMainWindow):
    def __init__(
        self,
        runner: Runner,
        officer: auth.Officer | None = None,
        parent=None,
        paths: AppPaths | None = None,  # the home, for backups (Administrasi menu)
    ):
        super().__init__(parent)
        self.runner = runner
        self.officer = officer
        self.paths = paths  # its home also holds the log of unexpected errors (app/ui/errors.py)
        village = installation.current_village()
        self.village_label = village.label if village else ""
        self.setWindowTitle(f"{APP_NAME} — Kelurahan {village.name}" if village else APP_NAME)
        self.resize(1280, 800)
        self.setWindowIcon(app_icon())

        self._duplicates: list = []  # findings of the last database look-up for the open form
        self.model = HouseholdListModel(households, self)
        self.list_page = HouseholdListPage(self.model)
        self.form = HouseholdForm()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.list_page)
        self.pages.addWidget(self.form)
        # a strip above the form: the household's withdrawal or a supervisor's acceptance of
        # a duplicate, with the reason (issue 14)
        self.marks_label = QLabel()
        self.marks_label.setObjectName("householdMarks")
        self.marks_label.setWordWrap(True)
        self.marks_label.setStyleSheet(
            "#householdMarks { background: #fff4c2; border: 1px solid #e0c050; padding: 4px; }"
        )
        self.marks_label.setVisible(False)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.marks_label)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.place_label = QLabel(f"Kelurahan {self.village_label}")
        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        # a withdrawal or a supervisor's acceptance of a duplicate, on the household shown
        self.statusBar().addWidget(self.place_label, 1)
        if officer is not None:
            self.officer_label = QLabel(
                f"Petugas: {officer.full_name} ({auth.ROLES[officer.role]})"
            )
            self.statusBar().addPermanentWidget(self.officer_label)
        self.form.set_musyawarah_allowed(officer is not None and officer.may("musyawarah.decide"))
        self.form.findings.set_override_allowed(
            officer is not None and officer.may("exclusion.override")
        )
        self.form.findings.override_requested.connect(self.override_exclusion)
        self.idle_lock = (
            IdleLock(self, officer, installation.idle_lock_minutes())
            if officer is not None
            else None
        )
        self.statusBar().addPermanentWidget(self.save_state)

        self._connect()
        self._create_actions()
        self.admin_menu = AdminMenu(self, paths)
        self.sync_menu = SyncMenu(self, paths)
        help_menu = self.menuBar().addMenu("Ban&tuan")
        help_menu.addAction(QAction("&Tentang Loket DTKS", self, triggered=self.show_about))
        self.show_list()

    # --- wiring -------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.list_page.open_requested.connect(self.open_household)
        self.list_page.new_requested.connect(self.new_household)
        self.list_page.search_changed.connect(self.search)
        self.list_page.banner.resume_requested.connect(self.resume_draft)
        self.list_page.banner.discard_requested.connect(self.discard_draft)
        self.form.autosave_requested.connect(self.autosave)
        self.form.save_requested.connect(self.save)
        self.form.close_requested.connect(self.show_list)
        self.form.changed.connect(self.recheck)
        self.form.open_household_requested.connect(self.open_household)

    def _create_actions(self) -> None:
        self.file_actions: dict[str, QAction] = {}
        menu = self.menuBar().addMenu("&Berkas")
        for text, keys, slot in (
            ("Keluarga &baru", QKeySequence.StandardKey.New, self.new_household),
            ("&Cari keluarga", QKeySequence.StandardKey.Find, self.focus_search),
            ("Cetak &tanda terima", QKeySequence.StandardKey.Print, self.print_receipt),
            ("Cetak pemberitahuan &privasi", None, self.print_privacy_notice),
            ("B&atalkan pendaftaran…", None, self.withdraw_household),
            ("P&ulihkan pendaftaran…", None, self.reinstate_household),
            ("Data &ganda dari paket…", None, self.show_possible_duplicates),
            ("&Keluar", QKeySequence.StandardKey.Quit, self.close),
        ):
            action = QAction(text, self, triggered=slot)
            if keys is not None:
                action.setShortcut(keys)
            menu.addAction(action)
            self.file_actions[slot.__name__] = action
        officer = self.officer
        for name, needs in (
            ("withdraw_household", "household.withdraw"),
            ("reinstate_household", "household.reinstate"),
            ("show_possible_duplicates", "household.view"),
        ):
            self.file_actions[name].setEnabled(officer is not None and officer.may(needs))
        settings_menu = self.menuBar().addMenu("&Pengaturan")
        settings_menu.addAction(
            QAction("Ukuran &kertas tanda terima…", self, triggered=self.choose_receipt_paper)
        )
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(
            QKeySequence.StandardKey.Save, self.form, lambda: self.save(True), context=context
        )
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.form, self.show_list, context=context)

    # --- pages --------------------------------------------------------------------------------

    def widget(self) -> QWidget:
        """This window, as the parent of what its menus open (app/ui/host.py)."""
        return self

    def show_list(self) -> None:
        self.form.flush_autosave()
        self.marks_label.setVisible(False)
        self.pages.setCurrentWidget(self.list_page)
        self.refresh_list()
        self.list_page.focus_search()

    def refresh_list(self) -> None:
        text = self.list_page.search.text()
        if text.strip():
            self.search(text)
        else:
            self.model.reload()
            self._show_summary(households.household_count(), None)
        drafts = [(d["household_id"], describe_draft(d)) for d in households.unsaved_drafts()]
        self.list_page.banner.show_drafts(drafts)

    def _show_form(self, doc: dict, note: str = "") -> None:
        self._duplicates = []
        self.form.load(doc, self.village_label)
        self._look_for_duplicates(doc)
        self.pages.setCurrentWidget(self.form)
        self.save_state.setText(note)
        self._show_marks(doc)

    def _show_marks(self, doc: dict) -> None:
        """The household's withdrawal or accepted duplicates, beside the save line."""
        text = households.marks_text(doc)
        self.marks_label.setText(text)
        self.marks_label.setVisible(bool(text))

    # --- checks -------------------------------------------------------------------------------

    def recheck(self) -> None:
        """Re-run the rule set on the form as typed (pure, well under a millisecond) and show
        it with the latest duplicate look-up; the look-up itself runs with each autosave."""
        evaluation = checks.evaluate(self.form.document()).with_findings(self._duplicates)
        self.form.show_evaluation(evaluation)

    def _look_for_duplicates(self, doc: dict) -> None:
        def show(found, household_id=doc["household_id"]):
            if household_id == self.form.household_id():
                self._duplicates = found
                self.recheck()

        self.runner.submit(checks.duplicates, doc, on_done=show, on_error=self._failed)

    def override_exclusion(self) -> None:
        """A supervisor sets aside an exclusion of the open (saved) household."""
        evaluation = checks.evaluate(self.form.document())
        applying = [(f.rule, f.message) for f in evaluation.of_kind("exclusion")]
        self.override_dialog = OverrideDialog(applying, self)
        if self.override_dialog.exec() != OverrideDialog.DialogCode.Accepted:
            return
        rule, reason, reference = self.override_dialog.values()

        def done(doc: dict) -> None:
            self._show_form(doc, "Pengecualian diabaikan dan dicatat")
            self.model.reload()

        self.runner.submit(
            households.override_exclusion,
            self.form.household_id(),
            rule,
            reason,
            reference,
            self.officer,
            on_done=done,
            on_error=self._failed,
        )

    def new_household(self) -> None:
        self._show_form(
            households.new_household(), "Keluarga baru: tersimpan otomatis saat diketik"
        )

    def open_household(self, household_id: str) -> None:
        draft = households.draft_of(household_id)
        if draft is not None:
            self._show_form(draft, "Melanjutkan perubahan yang belum disimpan")
        else:
            self._show_form(households.load_household(household_id))
        self.runner.submit(
            households.record_view, household_id, self.officer, on_error=self._failed
        )

    def resume_draft(self, household_id: str) -> None:
        self._show_form(
            households.draft_of(household_id), "Melanjutkan formulir yang belum disimpan"
        )

    def discard_draft(self, household_id: str) -> None:
        answer = QMessageBox.question(
            self,
            "Buang formulir?",
            "Data yang diketik pada formulir ini akan dihapus dan tidak dapat "
            "dikembalikan. Lanjutkan?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.runner.submit(
                households.discard_draft, household_id, on_done=lambda _r: self.refresh_list()
            )

    def focus_search(self) -> None:
        if self.pages.currentWidget() is not self.list_page:
            self.show_list()
        self.list_page.focus_search()

    # --- work through the runner --------------------------------------------------------------

    def search(self, text: str) -> None:
        if not text.strip():
            self.model.reload()
            self._show_summary(households.household_count(), None)
            return

        def show(rows, text=text):
            if self.list_page.search.text() == text:  # a newer search supersedes this one
                self.model.show_results(rows)
                self._show_summary(len(rows), text)

        self.runner.submit(
            households.search_households, text, on_done=show, on_error=self._search_failed
        )

    def _show_summary(self, count: int, text: str | None) -> None:
        if text is None:
            self.list_page.summary.setText(f"{count:,} keluarga terdaftar".replace(",", "."))
        else:
            self.list_page.summary.setText(f"{count} keluarga cocok dengan “{text}”")

    def autosave(self, doc: dict) -> None:
        self.save_state.setText("Menyimpan otomatis…")
        self.runner.submit(
            households.autosave, doc, on_done=self._autosaved, on_error=self._save_failed
        )
        self._look_for_duplicates(doc)

    def _autosaved(self, _result) -> None:
        self.save_state.setText(f"Draf tersimpan otomatis {dt.datetime.now():%H:%M:%S}")

    def save(self, final: bool, accept_duplicates: str | None = None) -> None:
        """Simpan final / Simpan draf; `accept_duplicates` is a supervisor's reason to register
        a household that another one's No. KK / NIK matches (app/ui/household/duplicate_dialog)."""
        if self.pages.currentWidget() is not self.form:
            return
        self.form.flush_autosave()
        self.save_state.setText("Menyimpan…")
        save = households.save_household
        if accept_duplicates is not None:
            save = partial(save, accept_duplicates=accept_duplicates)
        self.runner.submit(
            save,
            self.form.document(),
            final,
            self.officer,
            on_done=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, doc: dict) -> None:
        if doc["household_id"] == self.form.household_id():
            self.form.load(doc, self.village_label)
            self._show_marks(doc)
        if doc["status"] == "withdrawn":
            message = "Pendaftaran dibatalkan (ditarik)"
        elif doc["registration_number"] and doc["status"] != "draft":
            message = f"Tersimpan final. Nomor registrasi {doc['registration_number']}"
            if doc["status"] == "excluded":
                message += " (tidak dapat diusulkan)"
        else:
            message = "Tersimpan sebagai draf"
        self.save_state.setText(message)
        self.statusBar().showMessage(message, 8000)

    def show_about(self) -> None:
        self.about_dialog = AboutDialog(self)
        self.about_dialog.open()

    # --- receipts (app/services/receipts.py) ----------------------------------------------------

    def print_receipt(self) -> None:
        """Ctrl+P: the receipt of the household on the form (after Simpan final) or selected
        in the list; the first is the original, later ones are SALINAN."""
        on_form = self.pages.currentWidget() is self.form
        household_id = self.form.household_id() if on_form else None
        household_id = household_id or self.list_page.selected_household_id()
        if household_id is None:
            QMessageBox.information(self, APP_NAME, "Pilih keluarga di daftar terlebih dahulu.")
            return
        self.runner.submit(
            receipt_service.prepare_receipt,
            household_id,
            self.officer,
            on_done=self._show_receipt,
            on_error=self._failed,
        )

    def _show_receipt(self, receipt: receipt_service.Receipt) -> None:
        preview = PdfPreview(
            receipt.pdf,
            f"Tanda terima {receipt.registration_number}",
            f"tanda-terima-{receipt.registration_number}.pdf",
            self._receipt_note(receipt),
            self,
        )
        current = {"receipt": receipt}

        def issue() -> None:
            self.runner.submit(
                receipt_service.issue_receipt,
                current["receipt"],
                self.officer,
                on_done=lambda _record: next_copy(),
                on_error=self._failed,
            )

        def next_copy() -> None:  # printing again from here is a recorded reprint
            self.runner.submit(
                receipt_service.prepare_receipt,
                receipt.household_id,
                self.officer,
                on_done=show_copy,
                on_error=self._failed,
            )

        def show_copy(copy: receipt_service.Receipt) -> None:
            current["receipt"] = copy
            preview.show_pdf(copy.pdf, self._receipt_note(copy))

        preview.issued.connect(issue)
        self.receipt_preview = preview
        preview.open()

    @staticmethod
    def _receipt_note(receipt: receipt_service.Receipt) -> str:
        if receipt.is_reprint:
            return f"Tanda terima ini sudah pernah dicetak: ini SALINAN ke-{receipt.copy}."
        return "Tanda terima asli. Cetak atau simpan, lalu serahkan kepada warga."

    def print_privacy_notice(self) -> None:
        def show(pdf: bytes) -> None:
            self.receipt_preview = PdfPreview(
                pdf, "Pemberitahuan privasi", "pemberitahuan-privasi.pdf", "", self
            )
            self.receipt_preview.open()

        self.runner.submit(receipt_service.privacy_notice, on_done=show, on_error=self._failed)

    def choose_receipt_paper(self) -> None:
        keys = list(receipt_service.PAPER_LABELS)
        current = receipt_service.receipt_paper()
        labels = list(receipt_service.PAPER_LABELS.values())
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Ukuran kertas tanda terima")
        dialog.setLabelText("Tanda terima dicetak pada:")
        dialog.setComboBoxItems(labels)
        dialog.setTextValue(labels[keys.index(current)])
        dialog.setOkButtonText("Simpan")
        dialog.setCancelButtonText("Batal")
        if dialog.exec() == QInputDialog.DialogCode.Accepted:
            key = keys[labels.index(dialog.textValue())]
            self.runner.submit(receipt_service.set_receipt_paper, key, on_error=self._failed)

    # --- failures (app/ui/errors.py words them and logs the unexpected) ------------------------

    def _failed(self, exc: Exception) -> None:
        """A job that is not a save (a look-up, a receipt, a setting) failed."""
        show_error(self, exc)

    def _search_failed(self, exc: Exception) -> None:
        self.list_page.summary.setText("Pencarian gagal.")
        show_error(self, exc)

    def _save_failed(self, exc: Exception) -> None:
        """Only a save (final, draft or autosave) that failed says so in the status bar. A
        final save stopped by a duplicate opens the duplicate dialog instead."""
        if isinstance(exc, households.DuplicateError):
            self.save_state.setText("Belum disimpan final: data ganda")
            self._show_duplicates(exc.matches)
            return
        self.save_state.setText("Gagal menyimpan")
        show_error(self, exc)

    # --- duplicates and withdrawal (issue 14) -------------------------------------------------

    def _show_duplicates(self, matches: list) -> None:
        may_accept = self.officer is not None and self.officer.may("duplicate.accept")
        dialog = DuplicateDialog(matches, may_accept, self)
        dialog.chosen.connect(lambda choice: self._duplicate_chosen(dialog, choice))
        self.duplicate_dialog = dialog
        dialog.open()

    def _duplicate_chosen(self, dialog: DuplicateDialog, choice: str) -> None:
        if choice == OPEN:
            household_id = dialog.selected_household_id()
            if household_id is not None:
                self.open_household(household_id)
        elif choice == DRAFT:
            self.save(False)
        elif choice == ACCEPT:
            self.save(True, accept_duplicates=dialog.reason_text())

    def _chosen_household(self) -> str | None:
        """The household on the form (when it is stored) or selected in the list."""
        if self.pages.currentWidget() is self.form:
            household_id = self.form.household_id()
            if household_id is not None and not households.is_stored(household_id):
                QMessageBox.information(
                    self,
                    APP_NAME,
                    "Keluarga ini belum pernah disimpan: tidak ada pendaftaran untuk dibatalkan. "
                    "Formulir yang belum disimpan dapat dibuang dari daftar (Buang).",
                )
                return None
            return household_id
        household_id = self.list_page.selected_household_id()
        if household_id is None:
            QMessageBox.information(self, APP_NAME, "Pilih keluarga di daftar terlebih dahulu.")
        return household_id

    def _after_mark(self, doc: dict, message: str) -> None:
        if self.pages.currentWidget() is self.form and doc["household_id"] == (
            self.form.household_id()
        ):
            self.form.load(doc, self.village_label)
            self._show_marks(doc)
        else:
            self.refresh_list()
        self.save_state.setText(message)
        self.statusBar().showMessage(message, 8000)

    def withdraw_household(self) -> None:
        """Batalkan pendaftaran: a registration made by mistake, with a reason."""
        household_id = self._chosen_household()
        if household_id is None:
            return
        ref = households.household_ref(household_id)
        dialog = ReasonDialog(
            "Batalkan pendaftaran",
            f"Batalkan pendaftaran keluarga <b>{ref.describe()}</b>?<br>Data keluarga tetap "
            "disimpan dengan status <i>Ditarik</i>, tidak dihitung lagi pada pemeriksaan data "
            "ganda, dan ikut terkirim pada paket sinkronisasi. Petugas hanya dapat membatalkan "
            "pendaftaran yang dibuatnya sendiri hari ini; selebihnya oleh supervisor.",
            "&Batalkan pendaftaran",
            self,
            placeholder="Mis.: keluarga sudah terdaftar sebelumnya; salah input",
        )
        self.reason_dialog = dialog
        dialog.accepted.connect(
            lambda: self.runner.submit(
                households.withdraw_household,
                household_id,
                dialog.reason_text(),
                self.officer,
                on_done=lambda doc: self._after_mark(doc, "Pendaftaran dibatalkan (ditarik)"),
                on_error=self._failed,
            )
        )
        dialog.open()

    def reinstate_household(self) -> None:
        """Pulihkan pendaftaran (supervisor): a withdrawn household becomes a draft again."""
        household_id = self._chosen_household()
        if household_id is None:
            return
        ref = households.household_ref(household_id)
        dialog = ReasonDialog(
            "Pulihkan pendaftaran",
            f"Pulihkan pendaftaran keluarga <b>{ref.describe()}</b>? Keluarga menjadi draf "
            "lagi (nomor registrasinya tetap) dan perlu disimpan final seperti biasa.",
            "&Pulihkan pendaftaran",
            self,
        )
        self.reason_dialog = dialog
        dialog.accepted.connect(
            lambda: self.runner.submit(
                households.reinstate_household,
                household_id,
                dialog.reason_text(),
                self.officer,
                on_done=lambda doc: self._after_mark(doc, "Pendaftaran dipulihkan sebagai draf"),
                on_error=self._failed,
            )
        )
        dialog.open()

    def show_possible_duplicates(self) -> None:
        """Households from bundles whose No. KK / NIK another holds: merge or keep both."""
        self.show_list()
        dialog = PossibleDuplicatesDialog(self.runner, self.officer, self)
        dialog.changed.connect(self._duplicates_decided)
        dialog.open_requested.connect(self.open_household)
        self.possible_duplicates_dialog = dialog
        dialog.open()

    def _duplicates_decided(self, message: str) -> None:
        self.refresh_list()
        self.statusBar().showMessage(message, 8000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.form.flush_autosave()
        self.runner.shutdown()
        event.accept()
