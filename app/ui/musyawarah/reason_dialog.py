"""The reason for a *tidak miskin* decision (required): pick one of the common reasons or type
one. The deciding button is enabled only once the reason is long enough; Esc goes back."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.musyawarah import MAX_REASON, MIN_NOT_POOR_REASON
from app.ui.widgets.focus import start_in_first_field

# what meetings commonly say (the officer may type anything else)
COMMON_REASONS = (
    "Memiliki usaha dengan penghasilan tetap yang cukup",
    "Anggota keluarga bekerja tetap dengan penghasilan cukup",
    "Dibiayai penuh oleh anak atau keluarga yang mampu",
    "Memiliki rumah atau tanah lain yang disewakan",
    "Memiliki kendaraan atau aset bernilai tinggi",
    "Tidak tinggal di alamat yang didaftarkan",
)


class NotPoorDialog(QDialog):
    def __init__(self, head: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Tidak miskin — {APP_NAME}")
        self.setMinimumWidth(560)
        intro = QLabel(
            f"Keluarga {head} dinilai tidak miskin oleh masyarakat setempat. Pilih alasan "
            "atau ketik sendiri."
        )
        intro.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason.addItems(COMMON_REASONS)
        self.reason.setCurrentIndex(-1)
        self.reason.lineEdit().setMaxLength(MAX_REASON)
        self.reason.lineEdit().setPlaceholderText("Ketik alasan, atau Alt+Bawah untuk memilih")
        label = QLabel(f"&Alasan (wajib, minimal {MIN_NOT_POOR_REASON} karakter):")
        label.setBuddy(self.reason)
        buttons = QDialogButtonBox()
        self.action_button = buttons.addButton(
            "&Putuskan tidak miskin", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.back_button = buttons.addButton("&Kembali", QDialogButtonBox.ButtonRole.RejectRole)
        self.action_button.setEnabled(False)
        self.reason.currentTextChanged.connect(
            lambda _t: self.action_button.setEnabled(len(self.reason_text()) >= MIN_NOT_POOR_REASON)
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        start_in_first_field(self)

    def reason_text(self) -> str:
        return " ".join(self.reason.currentText().split())

    def accept(self) -> None:
        if len(self.reason_text()) >= MIN_NOT_POOR_REASON:  # Enter with too short a reason
            super().accept()
