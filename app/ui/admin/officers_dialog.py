"""User management (issue 4): the officers with their roles; add an officer, reset a forgotten
password, close an account and open it again. Every change is a call to app/services/auth.py through
the window's runner (argon2 takes a moment); the messages come from auth's AuthError."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.services import auth
from app.ui.errors import error_label, show_error
from app.ui.login.dialogs import REKEYED_INTRO, RecoveryKeyDialog
from app.ui.runner import Runner
from app.ui.widgets.ask import question
from app.ui.widgets.focus import start_in_first_field
from app.ui.widgets.tables import choice_table

COLUMNS = ("Nama pengguna", "Nama lengkap", "Peran", "Status")


class _PasswordForm(QDialog):
    """A small form with a new password typed twice; `submitted` is called with the values
    when OK is pressed and both passwords agree."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.form = QFormLayout()
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Batal")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        start_in_first_field(self)
        self.on_submit: Callable[[], None] | None = None

    def add_passwords(self) -> None:
        self.password = self._password_line(f"Kata &sandi (min. {auth.MIN_PASSWORD} karakter)")
        self.confirm = self._password_line("&Ulangi kata sandi")

    def _password_line(self, label: str) -> QLineEdit:
        line = QLineEdit()
        line.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, line)
        return line

    def submit(self) -> None:
        if self.password.text() != self.confirm.text():
            self.error.setText("Kedua kata sandi tidak sama.")
            return
        self.error.setText("Menyimpan…")
        self.buttons.setEnabled(False)
        if self.on_submit is not None:
            self.on_submit()

    def failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc, label=self.error)


class AddOfficerDialog(_PasswordForm):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Tambah petugas",
            "Akun baru untuk petugas. Sampaikan kata sandinya secara langsung;\n"
            "petugas dapat meminta admin mengaturnya ulang bila terlupa.",
            "&Tambah",
            parent,
        )
        self.username = QLineEdit()
        self.username.setPlaceholderText("huruf kecil, angka, titik, - atau _")
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for code, label in auth.ROLES.items():
            self.role.addItem(label, code)
        self.form.addRow("&Nama pengguna", self.username)
        self.form.addRow("Nama &lengkap", self.full_name)
        self.form.addRow("&Peran", self.role)
        self.add_passwords()

    def submit(self) -> None:
        if not self.full_name.text().strip():
            self.error.setText("Nama lengkap wajib diisi.")
            return
        super().submit()


class OfficersDialog(QDialog):
    """The list of officers and what an admin or supervisor does with it."""

    def __init__(self, runner: Runner, officer: auth.Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        auth.require(officer, "officer.manage")
        self.runner = runner
        self.officer = officer
        self.form: _PasswordForm | None = None  # the open add / password form, if any
        self.question: QMessageBox | None = None
        self.recovery: RecoveryKeyDialog | None = None  # the new recovery key after a re-key
        self.setWindowTitle(f"Kelola petugas — {APP_NAME}")
        self.resize(720, 420)

        self.table = choice_table(COLUMNS)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton("T&ambah petugas…")
        self.reset_button = QPushButton("Atur ulang &kata sandi…")
        self.deactivate_button = QPushButton("&Nonaktifkan")
        self.reactivate_button = QPushButton("Akti&fkan kembali…")
        self.rekey_button = QPushButton("&Ganti kunci basis data…")
        self.rekey_button.setVisible(bool(officer and officer.may("database.rekey")))
        close = QPushButton("&Tutup")
        self.add_button.clicked.connect(self.add_officer)
        self.reset_button.clicked.connect(self.reset_password)
        self.deactivate_button.clicked.connect(self.deactivate)
        self.reactivate_button.clicked.connect(self.reactivate)
        self.rekey_button.clicked.connect(self.change_key)
        close.clicked.connect(self.accept)
        self.message = QLabel()
        self.message.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.reset_button,
            self.deactivate_button,
            self.reactivate_button,
            self.rekey_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        start_in_first_field(self)  # the list first: arrows choose, Tab reaches the buttons
        self.reload()

    # --- the list -----------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        self.accounts = auth.officer_accounts()
        self.table.setRowCount(len(self.accounts))
        for row, (officer, active) in enumerate(self.accounts):
            values = (
                officer.username,
                officer.full_name,
                auth.ROLES[officer.role],
                "Aktif" if active else "Nonaktif",
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if not active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        if select:
            self.select(select)
        self._update_buttons()

    def selected(self) -> tuple[auth.Officer, bool] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def select(self, username: str) -> None:
        for row, (officer, _active) in enumerate(self.accounts):
            if officer.username == username:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        chosen = self.selected()
        active = chosen is not None and chosen[1]
        self.reset_button.setEnabled(active)
        self.deactivate_button.setEnabled(active and chosen[0].username != self.officer.username)
        self.reactivate_button.setEnabled(chosen is not None and not chosen[1])

    def _done(self, text: str, select: str) -> None:
        if self.form is not None:
            self.form.accept()
            self.form = None
        self.reload(select)
        self.message.setText(text)

    # --- actions ------------------------------------------------------------------------------

    def add_officer(self) -> None:
        form = AddOfficerDialog(self)

        def submit() -> None:
            username = form.username.text().strip()
            self.runner.submit(
                auth.create_officer,
                username,
                form.full_name.text().strip(),
                form.role.currentData(),
                form.password.text(),
                self.officer,
                on_done=lambda new: self._done(
                    f"Petugas {new.username} ({auth.ROLES[new.role]}) ditambahkan.", new.username
                ),
                on_error=form.failed,
            )

        self._open(form, submit)

    def reset_password(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        username = chosen[0].username
        form = _PasswordForm(
            "Atur ulang kata sandi",
            f"Kata sandi baru untuk {chosen[0].full_name} ({username}).\n"
            "Kata sandi lama tidak berlaku lagi.",
            "&Simpan",
            self,
        )
        form.add_passwords()

        def submit() -> None:
            self.runner.submit(
                auth.reset_password,
                username,
                form.password.text(),
                self.officer,
                on_done=lambda _r: self._done(f"Kata sandi {username} sudah diganti.", username),
                on_error=form.failed,
            )

        self._open(form, submit)

    def reactivate(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        username = chosen[0].username
        form = _PasswordForm(
            "Aktifkan kembali",
            f"Akun {username} dibuka lagi dengan kata sandi baru.",
            "&Aktifkan",
            self,
        )
        form.add_passwords()

        def submit() -> None:
            self.runner.submit(
                auth.reactivate_officer,
                username,
                form.password.text(),
                self.officer,
                on_done=lambda _r: self._done(f"Akun {username} aktif kembali.", username),
                on_error=form.failed,
            )

        self._open(form, submit)

    def _open(self, form: _PasswordForm, submit: Callable[[], None]) -> None:
        form.on_submit = submit
        self.form = form
        form.open()  # window-modal, without a nested event loop

    def deactivate(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        username = chosen[0].username
        self._ask(
            f"Nonaktifkan akun — {APP_NAME}",
            f"Nonaktifkan akun {chosen[0].full_name} ({username})? Petugas ini tidak dapat "
            "masuk lagi sampai akunnya diaktifkan kembali dengan kata sandi baru.\n\n"
            "Kunci basis data ikut diganti, dan Anda mendapat kunci pemulihan baru untuk "
            "dicatat. Cadangan lama tetap memakai kunci lama.",
            "&Nonaktifkan",
            lambda: self.runner.submit(
                auth.deactivate_officer,
                username,
                self.officer,
                on_done=lambda rekeyed: self._rekeyed(
                    rekeyed, f"Akun {username} dinonaktifkan; kunci basis data diganti.", username
                ),
                on_error=self._failed,
            ),
        )

    def change_key(self) -> None:
        """*Ganti kunci basis data* (admin): a new database key and recovery key."""
        self._ask(
            f"Ganti kunci basis data — {APP_NAME}",
            "Ganti kunci basis data sekarang? Semua petugas aktif tetap masuk dengan kata "
            "sandinya; salinan lama berkas kunci tidak membuka basis data lagi. Anda mendapat "
            "kunci pemulihan baru untuk dicatat. Cadangan lama tetap memakai kunci lama (dan kunci "
            "pemulihan lama).",
            "&Ganti kunci",
            lambda: self.runner.submit(
                auth.change_database_key,
                self.officer,
                on_done=lambda rekeyed: self._rekeyed(rekeyed, "Kunci basis data diganti.", None),
                on_error=self._failed,
            ),
        )

    def _ask(self, title: str, text: str, yes: str, then: Callable[[], None]) -> None:
        box = question(self, title, text, yes)  # Batal is the default (app/ui/widgets/ask.py)

        def answered(button) -> None:
            self.question = None
            if button is box.button(QMessageBox.StandardButton.Yes):
                then()

        box.buttonClicked.connect(answered)
        self.question = box
        box.open()

    def _rekeyed(self, rekeyed: auth.Rekeyed, text: str, select: str | None) -> None:
        """After a re-key: the list, the message, and the new recovery key to write down."""
        if rekeyed.dropped:
            text += (
                " Perlu atur ulang kata sandi (belum masuk sejak pembaruan): "
                + ", ".join(rekeyed.dropped)
                + "."
            )
        self.reload(select)
        self.message.setText(text)
        self.recovery = RecoveryKeyDialog(rekeyed.recovery, self, intro=REKEYED_INTRO)
        self.recovery.setModal(True)
        self.recovery.open()

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc, label=self.message)
