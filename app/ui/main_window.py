"""The main window: wiring only. Pages, actions and the status bar; work goes to services
through the background runner."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,  # noqa: F401 (tests patch app.ui.main_window.QMessageBox.warning)
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.paths import AppPaths
from app.services import auth, checks, households, installation, listing, marks
from app.services.duplicates import DuplicateError
from app.ui.about_dialog import HelpMenu, app_icon
from app.ui.admin.menu import AdminMenu
from app.ui.dinsos import menu as dinsos_menu
from app.ui.dinsos import overview_page as dinsos_overview
from app.ui.errors import show_error
from app.ui.household.form import HouseholdForm
from app.ui.household.list_model import HouseholdListModel, local_time
from app.ui.household.list_page import HouseholdListPage
from app.ui.household.menu import FileMenu
from app.ui.household.records import RecordActions
from app.ui.login.session import Session
from app.ui.musyawarah.menu import MusyawarahMenu
from app.ui.reports.menu import ReportsMenu
from app.ui.runner import Runner
from app.ui.sync.menu import SyncMenu
from app.ui.widgets.ask import ask


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
        self.resize(1280, 660)  # frame under 700 px: a 1366×768 screen shows the status bar
        self.setWindowIcon(app_icon())

        self._duplicates: list = []  # findings of the last database look-up for the open form
        self.model = HouseholdListModel(listing, self)
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
        self.records = RecordActions(self)  # override, duplicates, withdrawal (records.py)
        self.form.findings.override_requested.connect(self.records.override_exclusion)
        self.statusBar().addPermanentWidget(self.save_state)

        self._connect()
        self.file_menu = FileMenu(self, self.records)  # Berkas, Pengaturan
        self.admin_menu = AdminMenu(self, paths)
        self.sync_menu = SyncMenu(self, paths)
        self.musyawarah_menu = MusyawarahMenu(self)  # issue 17
        self.form.musyawarah_box.open_requested.connect(self.musyawarah_menu.open_decided)
        self.reports_menu = ReportsMenu(self)  # Laporan & ekspor (issue 18)
        self.dinsos_menu = dinsos_menu.install(self)  # Dinsos installation only (issue 19)
        self.help_menu = HelpMenu(self)
        # the idle lock, Ganti petugas and Keluar akun (app/ui/login/session.py)
        self.session = Session(self, officer) if officer is not None else None
        self._create_shortcuts()
        self.dinsos_overview = dinsos_overview.install(self)  # issue 19: Dinsos' first screen
        if self.dinsos_overview is None:
            self.show_list()
        else:  # the overview's query goes first; the list (seconds at 640,000) loads behind it
            self.refresh_list()

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

    def _create_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(
            QKeySequence.StandardKey.Save,
            self.form,
            lambda: self.form.save_requested.emit(True),  # as the button: the form hears it
            context=context,
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
        self.search(self.list_page.search.text())
        drafts = [(d["household_id"], describe_draft(d)) for d in households.unsaved_drafts()]
        self.list_page.banner.show_drafts(drafts)

    def show_form(self, doc: dict, note: str = "") -> None:
        self._duplicates = []
        self.form.load(doc, self.village_label)
        self._look_for_duplicates(doc)
        self.pages.setCurrentWidget(self.form)
        self.save_state.setText(note)
        self.show_marks(doc)

    def show_marks(self, doc: dict) -> None:
        """The household's withdrawal or accepted duplicates, beside the save line."""
        text = marks.marks_text(doc)
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

    def new_household(self) -> None:
        self.show_form(households.new_household(), "Keluarga baru: tersimpan otomatis saat diketik")

    def open_household(self, household_id: str) -> None:
        draft = households.draft_of(household_id)
        if draft is not None:
            self.show_form(draft, "Melanjutkan perubahan yang belum disimpan")
        else:
            doc = households.load_household(household_id)
            self.show_form(doc)
            # a registered household: read-only until F2 / Ctrl+E (issue 16)
            self.form.set_editing(doc["status"] == "draft")
        self.runner.submit(
            households.record_view, household_id, self.officer, on_error=self._failed
        )

    def resume_draft(self, household_id: str) -> None:
        self.show_form(
            households.draft_of(household_id), "Melanjutkan formulir yang belum disimpan"
        )

    def discard_draft(self, household_id: str) -> None:
        ask(  # app/ui/widgets/ask.py: Batal is the default
            self,
            f"Buang formulir? — {APP_NAME}",
            "Data yang diketik pada formulir ini akan dihapus dan tidak dapat "
            "dikembalikan. Lanjutkan?",
            "B&uang formulir",
            lambda: self.runner.submit(
                households.discard_draft, household_id, on_done=lambda _r: self.refresh_list()
            ),
        )

    def focus_search(self) -> None:
        if self.pages.currentWidget() is not self.list_page:
            self.show_list()
        self.list_page.focus_search()

    # --- work through the runner --------------------------------------------------------------

    def search(self, text: str) -> None:
        """Show the households the list asks for: this search text with its filters and order
        (app/ui/household/list_page.py)."""
        query = self.list_page.query(text)

        def show(found, query=query):
            if self.list_page.query() == query:  # a newer search supersedes this one
                self.list_page.show_listing(found, query)

        self.runner.submit(
            listing.list_households, query, on_done=show, on_error=self._search_failed
        )

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
        if self.pages.currentWidget() is not self.form or not self.form.editing:
            return  # nothing to save on a form shown read-only (issue 16)
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
            self.show_marks(doc)
        if doc["status"] == "withdrawn":
            message = "Pendaftaran dibatalkan (ditarik)"
        elif doc["registration_number"] and doc["status"] != "draft":
            message = f"Tersimpan final. Nomor registrasi {doc['registration_number']}"
            if doc["status"] == "excluded":
                message += " (tidak dapat diusulkan)"
        else:
            message = "Tersimpan sebagai draf"
        self.save_state.setText(message)  # once: not also as a passing status message

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
        if isinstance(exc, DuplicateError):
            self.save_state.setText("Belum disimpan final: data ganda")
            self.records.show_duplicates(exc.matches)
            return
        self.save_state.setText("Gagal menyimpan")
        show_error(self, exc)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.form.flush_autosave()
        self.runner.shutdown()
        event.accept()
