"""A decision that needs a written reason (issue 14): *Batalkan pendaftaran* (withdraw a
registration made by mistake), *Pulihkan pendaftaran* (take a withdrawal back) and *Tetap
keduanya* (two households sharing a No. KK / NIK stay). The button that acts is enabled only
once the reason is long enough and is never the default: Enter in the dialog goes back."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.services.marks import MIN_WITHDRAWAL_REASON


class ReasonDialog(QDialog):
    def __init__(
        self,
        title: str,
        intro: str,
        action_text: str,
        parent: QWidget | None = None,
        *,
        placeholder: str = "",
        minimum: int = MIN_WITHDRAWAL_REASON,
    ):
        super().__init__(parent)
        self.minimum = minimum
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.setMinimumWidth(520)
        text = QLabel(intro)
        text.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(placeholder)
        self.reason.setFixedHeight(72)
        label = QLabel(f"&Alasan (wajib, minimal {minimum} karakter):")
        label.setBuddy(self.reason)
        self.action_button = QPushButton(action_text)
        self.action_button.setAutoDefault(False)
        self.action_button.setEnabled(False)
        self.back_button = QPushButton("&Kembali")
        self.back_button.setDefault(True)
        self.reason.textChanged.connect(
            lambda: self.action_button.setEnabled(len(self.reason_text()) >= self.minimum)
        )
        self.action_button.clicked.connect(self.accept)
        self.back_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.action_button)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addLayout(buttons)
        self.reason.setFocus()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()
