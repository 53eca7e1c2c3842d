"""The supervisor's and officer's decisions on a household record (issues 4 and 14), opened
from the main window: an exclusion override, the duplicate dialog after a stopped *Simpan
final*, withdrawal (*Batalkan pendaftaran*), reinstatement (*Pulihkan pendaftaran*) and the
possible duplicates from bundles. The window is named through `RecordHost` (no import of it)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMessageBox, QStackedWidget

from app import APP_NAME
from app.services import checks, duplicates, households, marks, overrides
from app.ui.errors import show_error
from app.ui.host import MenuHost
from app.ui.household.duplicate_dialog import ACCEPT, DRAFT, OPEN, DuplicateDialog
from app.ui.household.form import HouseholdForm
from app.ui.household.list_model import HouseholdListModel
from app.ui.household.list_page import HouseholdListPage
from app.ui.household.override_dialog import OverrideDialog
from app.ui.household.possible_duplicates import PossibleDuplicatesDialog
from app.ui.household.withdraw_dialog import ReasonDialog


class RecordHost(MenuHost, Protocol):
    """What the record actions need of the main window."""

    form: HouseholdForm
    pages: QStackedWidget
    list_page: HouseholdListPage
    model: HouseholdListModel
    save_state: QLabel
    village_label: str

    def open_household(self, household_id: str) -> None: ...

    def save(self, final: bool, accept_duplicates: str | None = None) -> None: ...

    def show_form(self, doc: dict, note: str = "") -> None: ...

    def show_marks(self, doc: dict) -> None: ...


class RecordActions(QObject):
    def __init__(self, window: RecordHost):
        super().__init__(window.widget())
        self.main = window
        # the dialogs opened last (kept so that they live while open; tests reach them here)
        self.override_dialog: OverrideDialog | None = None
        self.duplicate_dialog: DuplicateDialog | None = None
        self.reason_dialog: ReasonDialog | None = None
        self.possible_duplicates_dialog: PossibleDuplicatesDialog | None = None

    def _failed(self, exc: Exception) -> None:
        show_error(self.main.widget(), exc)

    # --- exclusion overrides (issue 4) --------------------------------------------------------

    def override_exclusion(self) -> None:
        """A supervisor sets aside an exclusion of the open (saved) household."""
        main = self.main
        evaluation = checks.evaluate(main.form.document())
        applying = [(f.rule, f.message) for f in evaluation.of_kind("exclusion")]
        self.override_dialog = OverrideDialog(applying, main.widget())
        if self.override_dialog.exec() != OverrideDialog.DialogCode.Accepted:
            return
        rule, reason, reference = self.override_dialog.values()

        def done(doc: dict) -> None:
            main.show_form(doc, "Pengecualian diabaikan dan dicatat")
            main.model.reload()

        main.runner.submit(
            overrides.override_exclusion,
            main.form.household_id(),
            rule,
            reason,
            reference,
            main.officer,
            on_done=done,
            on_error=self._failed,
        )

    # --- duplicates and withdrawal (issue 14) -------------------------------------------------

    def show_duplicates(self, matches: list[duplicates.DuplicateMatch]) -> None:
        """A final save stopped by a duplicate: open one, save as draft or register anyway."""
        officer = self.main.officer
        may_accept = officer is not None and officer.may("duplicate.accept")
        dialog = DuplicateDialog(matches, may_accept, self.main.widget())
        dialog.chosen.connect(lambda choice: self._duplicate_chosen(dialog, choice))
        self.duplicate_dialog = dialog
        dialog.open()

    def _duplicate_chosen(self, dialog: DuplicateDialog, choice: str) -> None:
        if choice == OPEN:
            household_id = dialog.selected_household_id()
            if household_id is not None:
                self.main.open_household(household_id)
        elif choice == DRAFT:
            self.main.save(False)
        elif choice == ACCEPT:
            self.main.save(True, accept_duplicates=dialog.reason_text())

    def _chosen_household(self) -> str | None:
        """The household on the form (when it is stored) or selected in the list."""
        main = self.main
        if main.pages.currentWidget() is main.form:
            household_id = main.form.household_id()
            if household_id is not None and not households.is_stored(household_id):
                QMessageBox.information(
                    main.widget(),
                    APP_NAME,
                    "Keluarga ini belum pernah disimpan: tidak ada pendaftaran untuk dibatalkan. "
                    "Formulir yang belum disimpan dapat dibuang dari daftar (Buang).",
                )
                return None
            return household_id
        household_id = main.list_page.selected_household_id()
        if household_id is None:
            QMessageBox.information(
                main.widget(), APP_NAME, "Pilih keluarga di daftar terlebih dahulu."
            )
        return household_id

    def _after_mark(self, doc: dict, message: str) -> None:
        main = self.main
        if main.pages.currentWidget() is main.form and doc["household_id"] == (
            main.form.household_id()
        ):
            main.form.load(doc, main.village_label, editable=main.form.editing)
            main.show_marks(doc)
        else:
            main.refresh_list()
        main.save_state.setText(message)  # once: not also as a passing status message

    def withdraw_household(self) -> None:
        """Batalkan pendaftaran: a registration made by mistake, with a reason."""
        household_id = self._chosen_household()
        if household_id is None:
            return
        ref = duplicates.household_ref(household_id)
        dialog = ReasonDialog(
            "Batalkan pendaftaran",
            f"Batalkan pendaftaran keluarga <b>{ref.describe()}</b>?<br>Data keluarga tetap "
            "disimpan dengan status <i>Ditarik</i>, tidak dihitung lagi pada pemeriksaan data "
            "ganda, dan ikut terkirim pada paket sinkronisasi. Petugas hanya dapat membatalkan "
            "pendaftaran yang dibuatnya sendiri hari ini; selebihnya oleh supervisor.",
            "&Batalkan pendaftaran",
            self.main.widget(),
            placeholder="Mis.: keluarga sudah terdaftar sebelumnya; salah input",
        )
        self.reason_dialog = dialog
        dialog.accepted.connect(
            lambda: self.main.runner.submit(
                marks.withdraw_household,
                household_id,
                dialog.reason_text(),
                self.main.officer,
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
        ref = duplicates.household_ref(household_id)
        dialog = ReasonDialog(
            "Pulihkan pendaftaran",
            f"Pulihkan pendaftaran keluarga <b>{ref.describe()}</b>? Keluarga menjadi draf "
            "lagi (nomor registrasinya tetap) dan perlu disimpan final seperti biasa.",
            "&Pulihkan pendaftaran",
            self.main.widget(),
        )
        self.reason_dialog = dialog
        dialog.accepted.connect(
            lambda: self.main.runner.submit(
                marks.reinstate_household,
                household_id,
                dialog.reason_text(),
                self.main.officer,
                on_done=lambda doc: self._after_mark(doc, "Pendaftaran dipulihkan sebagai draf"),
                on_error=self._failed,
            )
        )
        dialog.open()

    def show_possible_duplicates(self) -> None:
        """Households from bundles whose No. KK / NIK another holds: merge or keep both."""
        self.main.show_list()
        dialog = PossibleDuplicatesDialog(self.main.runner, self.main.officer, self.main.widget())
        dialog.changed.connect(self._duplicates_decided)
        dialog.open_requested.connect(self.main.open_household)
        self.possible_duplicates_dialog = dialog
        dialog.open()

    def _duplicates_decided(self, message: str) -> None:
        self.main.refresh_list()
        self.main.save_state.setText(message)  # once, where the saves say theirs
