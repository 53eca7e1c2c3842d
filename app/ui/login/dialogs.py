"""Login, the first start's admin account, encrypting an old database, the recovery key and
the idle lock (issue 4). The dialogs call app/services/auth.py; none touches the database."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.errors import UserError
from app.paths import AppPaths
from app.services import auth
from app.ui.errors import error_label, show_error
from app.ui.widgets.ask import confirm
from app.ui.widgets.focus import start_in_first_field

# A login that takes longer than this is most likely bringing the database up to date, once
# after an update of the app (migrations: migration 24 took 7.5 s at Dinsos' size); say so.
SLOW_AFTER_MS = 3000
SLOW_TEXT = (
    "Masih memeriksa… Pembukaan pertama sesudah pembaruan aplikasi bisa lebih lama "
    "(basis data Dinsos: hingga beberapa menit). Jangan tutup aplikasi."
)


class _AccountDialog(QDialog):
    """A small form with an error line and OK/Batal; subclasses say what OK does."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.officer: auth.Officer | None = None
        self.recovery_key = ""  # set when the work created a new database key
        self.form = QFormLayout()
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Batal")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        start_in_first_field(self)  # typing starts in the first field, not on a button

    def _line(self, label: str, password: bool = False) -> QLineEdit:
        line = QLineEdit()
        if password:
            line.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, line)
        return line

    def _submit(self) -> None:
        """Read the fields here; derive keys and open the database on a worker thread
        (argon2 takes ~0.2 s, and the delay after repeated failures up to 30 s) while the
        dialog keeps painting, disabled."""
        try:
            job = self.prepare()
        except UserError as exc:
            show_error(self, exc, label=self.error)
            return
        self.error.setText("Memeriksa…")
        slow = QTimer(self, singleShot=True, interval=SLOW_AFTER_MS)
        slow.timeout.connect(lambda: self.error.setText(SLOW_TEXT))
        slow.start()
        self.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            outcome = in_background(job)
        except Exception as exc:  # a refusal, or a bug: logged in the home (self.paths)
            show_error(self, exc, label=self.error)
            return
        finally:
            slow.stop()
            QApplication.restoreOverrideCursor()
            self.setEnabled(True)
        self.officer, self.recovery_key = outcome if isinstance(outcome, tuple) else (outcome, "")
        self.accept()

    def prepare(self) -> Callable[[], auth.Officer | tuple[auth.Officer, str]]:
        """Read and check the fields; return the work (the officer, or with a recovery key)."""
        raise NotImplementedError


class _Finished(QObject):
    finished = Signal()


def in_background[T](job: Callable[[], T]) -> T:
    """Run `job` on a worker thread; Qt events keep being handled until it is done. Returns
    its result or raises its exception."""
    signal = _Finished()
    loop = QEventLoop()
    signal.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = job()
        except BaseException as exc:  # handed to the caller on the UI thread
            outcome["error"] = exc
        finally:
            signal.finished.emit()

    worker = threading.Thread(target=work, name="login", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class LoginDialog(_AccountDialog):
    def __init__(self, paths: AppPaths, parent: QWidget | None = None):
        super().__init__("Masuk", "Masuk sebagai petugas.", "&Masuk", parent)
        self.paths = paths  # the home: also where an unexpected error is logged
        self.username = self._line("&Nama pengguna")
        self.password = self._line("&Kata sandi", password=True)

    def prepare(self):
        paths, username, password = self.paths, self.username.text().strip(), self.password.text()
        self.password.clear()  # a typed password is not left in the field
        return lambda: auth.log_in(paths, username, password)


class NextOfficerLoginDialog(LoginDialog):
    """The login after *Ganti petugas* or *Keluar akun* (app/ui/application.py `Counter`):
    Batal, Esc or the close button ask before quitting the app, and *Tidak* stays here."""

    quit_requested = Signal()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if event.spontaneous():  # the window's close button: asked like Batal
            super().closeEvent(event)
        else:  # closed by the program (its end, a test): nothing to ask
            self.done(QDialog.DialogCode.Rejected)

    def reject(self) -> None:
        if confirm(
            self,
            f"Keluar dari aplikasi? — {APP_NAME}",
            "Keluar dari aplikasi? Petugas berikutnya dapat masuk di sini tanpa menutup aplikasi.",
            "&Ya, keluar",
            "&Tidak",
        ):
            super().reject()
            self.quit_requested.emit()


class EncryptLegacyDialog(_AccountDialog):
    """A database from a version before encryption: an admin's login encrypts it."""

    def __init__(self, paths: AppPaths, parent: QWidget | None = None):
        super().__init__(
            "Enkripsi basis data",
            "Basis data ini dari versi lama dan belum dienkripsi.\n"
            "Admin atau supervisor masuk sekali untuk mengenkripsinya; salinan cadangan dibuat\n"
            "lebih dulu. Petugas lain mendapat kata sandi baru dari admin sesudahnya.",
            "&Masuk dan enkripsi",
            parent,
        )
        self.paths = paths  # the home: also where an unexpected error is logged
        self.username = self._line("&Nama pengguna")
        self.password = self._line("&Kata sandi", password=True)

    def prepare(self):
        paths, username, password = self.paths, self.username.text().strip(), self.password.text()
        self.password.clear()
        return lambda: auth.encrypt_legacy(paths, username, password)


class FirstAdminDialog(_AccountDialog):
    def __init__(self, paths: AppPaths, parent: QWidget | None = None):
        super().__init__(
            "Akun pertama",
            "Buat akun admin (supervisor kelurahan). Admin menambahkan petugas lain\n"
            "dan mengatur ulang kata sandi yang terlupa. Simpan kata sandi dengan aman.",
            "Buat a&kun",
            parent,
        )
        self.paths = paths  # the home: also where an unexpected error is logged
        self.username = self._line("&Nama pengguna")
        self.full_name = self._line("Nama &lengkap")
        self.password = self._line(
            f"Kata &sandi (min. {auth.MIN_PASSWORD} karakter)", password=True
        )
        self.confirm = self._line("&Ulangi kata sandi", password=True)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if event.spontaneous():  # the window's close button: asked like Batal
            super().closeEvent(event)
        else:  # closed by the program (its end, a test): nothing to ask
            self.done(QDialog.DialogCode.Rejected)

    def reject(self) -> None:  # Batal, Esc or the close button: quitting is asked first
        if confirm(
            self,
            f"Keluar dari aplikasi? — {APP_NAME}",
            "Keluar dari aplikasi? Akun admin belum dibuat; aplikasi dapat dipakai setelah "
            "akun pertama dibuat.",
            "&Ya, keluar",
            "&Tidak",
        ):
            super().reject()

    def prepare(self):
        if self.password.text() != self.confirm.text():
            raise auth.AuthError("Kedua kata sandi tidak sama.")
        paths, username, password = self.paths, self.username.text().strip(), self.password.text()
        name = self.full_name.text().strip() or username
        return lambda: auth.set_up(paths, username, name, password)


class UnlockDialog(_AccountDialog):
    """The idle lock: the same officer types the password again; the form under it waits.
    *Ganti petugas* lets another officer log in instead (app/ui/login/session.py)."""

    switch_requested = Signal()

    def __init__(self, officer: auth.Officer, parent: QWidget | None = None):
        super().__init__(
            "Terkunci",
            f"Layar dikunci karena tidak ada aktivitas.\nMasukkan kata sandi {officer.full_name}.",
            "&Buka",
            parent,
        )
        self._officer = officer
        self.password = self._line("&Kata sandi", password=True)
        # Only the password opens it: Esc, Batal or closing the window must not.
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setVisible(False)
        self.switch_button = self.buttons.addButton(
            "&Ganti petugas…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.switch_button.setAutoDefault(False)
        self.switch_button.clicked.connect(self.switch_requested)

    def reject(self) -> None:  # Esc
        self.error.setText("Masukkan kata sandi untuk membuka.")

    def prepare(self):
        officer, password = self._officer, self.password.text()
        if not password:  # Enter on an empty field is no failed attempt
            raise auth.AuthError("Ketik kata sandi Anda, lalu tekan Enter.")
        self.password.clear()

        def confirm() -> auth.Officer:
            auth.confirm_password(officer, password)
            return officer

        return confirm


SET_UP_INTRO = (
    "Data warga di komputer ini dienkripsi. Inilah kunci pemulihan: dengan kunci ini\n"
    "basis data dapat dibuka bila semua kata sandi terlupa. Tanpa kunci ini dan tanpa\n"
    "kata sandi, data tidak dapat dibuka oleh siapa pun.\n\n"
    "Catat atau cetak, lalu simpan di lemari terkunci. Jangan simpan di komputer ini."
)
REKEYED_INTRO = (
    "Kunci basis data sudah diganti. Inilah kunci pemulihan yang BARU: kunci pemulihan lama\n"
    "tidak membuka basis data ini lagi. Cadangan yang dibuat sebelum penggantian tetap memakai\n"
    "kunci lama: simpan kunci pemulihan lama bersama cadangan itu, atau musnahkan keduanya.\n\n"
    "Catat atau cetak kunci baru, lalu simpan di lemari terkunci. Jangan simpan di komputer ini."
)


class RecoveryKeyDialog(QDialog):
    """Shown once after set-up (or after the database was re-keyed, with `intro` saying so):
    the recovery key, to be written down or printed and locked away. The app continues only
    after the supervisor confirms it is kept."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None, intro: str = ""):
        super().__init__(parent)
        self.setWindowTitle(f"Kunci pemulihan — {APP_NAME}")
        self.key_label = QLabel(recovery_key)
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setStyleSheet("font-family: monospace; font-size: 18pt; padding: 8px;")
        self.kept = QCheckBox("Kunci pemulihan &sudah saya catat/cetak dan simpan di tempat aman.")
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("&Cetak…", QDialogButtonBox.ButtonRole.ActionRole)
        self.ok_button = buttons.addButton("&Lanjut", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(False)
        self.kept.toggled.connect(self.ok_button.setEnabled)
        self.print_button.clicked.connect(lambda: print_text(self, recovery_key))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro or SET_UP_INTRO))
        layout.addWidget(self.key_label, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.kept)
        layout.addWidget(buttons)
        start_in_first_field(self)  # the "kept" box first: Lanjut is enabled only by it

    def reject(self) -> None:  # Esc: the key must be seen and confirmed
        if self.kept.isChecked():
            self.accept()


def print_text(parent: QWidget, recovery_key: str, printer=None) -> None:
    """Print the recovery-key sheet (app/receipts/recovery.py: kelurahan, installation, date,
    the key on one line) through the system's print dialog (or onto a given QPrinter)."""
    from app.services.receipts import recovery_sheet
    from app.ui.widgets.pdf_preview import print_pdf_bytes

    print_pdf_bytes(parent, recovery_sheet(recovery_key), "kunci-pemulihan", printer)
