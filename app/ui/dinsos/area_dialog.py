"""First start of a Dinas Sosial installation: the province, or one kota's Suku Dinas."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

PROVINCE = "31"


class DinsosAreaDialog(QDialog):
    def __init__(self, kota: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Loket Dinas Sosial")
        self.area = QComboBox()
        self.area.addItem("Dinas Sosial Provinsi DKI Jakarta (semua kota)", PROVINCE)
        for code, name in sorted(kota.items()):
            self.area.addItem(f"Suku Dinas Sosial {name} ({code})", code)
        label = QLabel("&Wilayah yang dilayani loket ini:")
        label.setBuddy(self.area)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Simpan")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Kembali")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.area)
        layout.addWidget(
            QLabel("Paket dari semua kelurahan di wilayah ini diterima. Pilihan ini disimpan.")
        )
        layout.addWidget(self.buttons)

    def kota_code(self) -> str | None:
        """None for the province, else the kota code (as `init --dinsos --kota`)."""
        code = self.area.currentData()
        return None if code == PROVINCE else str(code)
