"""Login, and the first start's admin account (issue 4)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, auth


class _AccountDialog(QDialog):
    """A small form with an error line and OK/Batal; subclasses say what OK does."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.officer: auth.Officer | None = None
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _line(self, label: str, password: bool = False) -> QLineEdit:
        line = QLineEdit()
        if password:
            line.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(label, line)
        return line

    def _submit(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # argon2 takes a moment
        try:
            self.officer = self.attempt()
        except auth.AuthError as exc:
            self.error.setText(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()

    def attempt(self) -> auth.Officer:
        raise NotImplementedError


class LoginDialog(_AccountDialog):
    def __init__(self, village_name: str = "", parent: QWidget | None = None):
        place = f" — Kelurahan {village_name}" if village_name else ""
        super().__init__("Masuk", f"Masuk sebagai petugas{place}.", "Masuk", parent)
        self.username = self._line("Nama pengguna")
        self.password = self._line("Kata sandi", password=True)

    def attempt(self) -> auth.Officer:
        try:
            return auth.authenticate(self.username.text().strip(), self.password.text())
        finally:
            self.password.clear()


class FirstAdminDialog(_AccountDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Akun pertama",
            "Buat akun admin (supervisor kelurahan). Admin menambahkan petugas lain\n"
            "dan mengatur ulang kata sandi yang terlupa. Simpan kata sandi dengan aman.",
            "Buat akun",
            parent,
        )
        self.username = self._line("Nama pengguna")
        self.full_name = self._line("Nama lengkap")
        self.password = self._line("Kata sandi (min. 8 karakter)", password=True)
        self.confirm = self._line("Ulangi kata sandi", password=True)

    def attempt(self) -> auth.Officer:
        if self.password.text() != self.confirm.text():
            raise auth.AuthError("Kedua kata sandi tidak sama.")
        name = self.full_name.text().strip() or self.username.text().strip()
        return auth.create_officer(
            self.username.text().strip(), name, "admin", self.password.text()
        )


class UnlockDialog(_AccountDialog):
    """The idle lock: the same officer types the password again; the form under it waits."""

    def __init__(self, officer: auth.Officer, parent: QWidget | None = None):
        super().__init__(
            "Terkunci",
            f"Layar dikunci karena tidak ada aktivitas.\nMasukkan kata sandi {officer.full_name}.",
            "Buka",
            parent,
        )
        self._officer = officer
        self.password = self._line("Kata sandi", password=True)
        # Only the password opens it: Esc, Batal or closing the window must not.
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)

    def reject(self) -> None:  # Esc
        self.error.setText("Masukkan kata sandi untuk membuka.")

    def attempt(self) -> auth.Officer:
        try:
            return auth.authenticate(self._officer.username, self.password.text())
        finally:
            self.password.clear()
