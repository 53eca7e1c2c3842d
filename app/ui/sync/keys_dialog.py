"""This installation's key and its trusted peers (issue 6). Anyone sees the fingerprint and can
save the public key file for a peer; a supervisor trusts a peer's key file after comparing the
fingerprint with the one the peer reads out (by phone, or on paper)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.bundle.keys import KeyFileError, PublicKey, fingerprint, to_file
from app.core import ownership
from app.core.errors import UserError
from app.core.text import printable
from app.services import auth, outputs
from app.services.sync import keys as service
from app.ui.errors import error_label, show_error
from app.ui.runner import Runner
from app.ui.widgets.files import default_folder
from app.ui.widgets.focus import start_in_first_field
from app.ui.widgets.tables import choice_table


class KeysDialog(QDialog):
    def __init__(self, runner: Runner, officer: auth.Officer | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner, self.officer = runner, officer
        self.candidate: PublicKey | None = None
        self.setWindowTitle(f"Kunci dan mitra — {APP_NAME}")
        self.resize(820, 520)
        self.own = QLabel()
        self.own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        save_key = QPushButton("Si&mpan kunci publik loket ini…")
        save_key.clicked.connect(self.save_public_key)
        self.peers = choice_table(["Mitra", "Jenis", "Sidik jari", "Kelurahan"])

        may_trust = officer is not None and officer.may("peer.trust")
        open_key = QPushButton("&Buka kunci publik mitra…")
        open_key.clicked.connect(self.open_key_file)
        open_key.setEnabled(may_trust)
        self.shown = QLabel("Hanya supervisor yang dapat menambah mitra." if not may_trust else "")
        self.shown.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("mis. Dinsos DKI, Laptop pendamping Ani")
        # what the peer's bundles may change (DESIGN §11): chosen, never assumed
        self.kind = QComboBox()
        self.kind.addItem("— pilih jenis mitra —", None)
        for code, label in ownership.PEER_KINDS.items():
            self.kind.addItem(label, code)
        self.compared = QCheckBox("Sidik jari di atas &sama dengan yang dibacakan mitra")
        self.trust_button = QPushButton("&Percayai mitra ini")
        self.trust_button.clicked.connect(self.trust)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.error = error_label()
        for widget in (self.name, self.kind, self.compared, self.trust_button):
            widget.setEnabled(False)
        self.compared.toggled.connect(self._update)
        self.kind.currentIndexChanged.connect(self._update)
        self.name.textChanged.connect(self._update)
        close = QPushButton("&Tutup")
        close.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        mine = QHBoxLayout()
        mine.addWidget(self.own, 1)
        mine.addWidget(save_key)
        layout.addLayout(mine)
        layout.addWidget(QLabel("Mitra yang dipercaya:"))
        layout.addWidget(self.peers, 1)
        layout.addWidget(open_key)
        layout.addWidget(self.shown)
        form = QFormLayout()
        form.addRow("&Nama mitra:", self.name)
        form.addRow("&Jenis mitra:", self.kind)
        layout.addLayout(form)
        layout.addWidget(self.compared)
        layout.addWidget(self.trust_button)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        start_in_first_field(self)
        self.reload()

    def reload(self) -> None:
        self.runner.submit(
            lambda: (service.own_fingerprint(), service.trusted_peers(), service.peer_kinds()),
            on_done=self._show,
        )

    def _show(self, found) -> None:
        own, peers, kinds = found
        self.own.setText(f"Sidik jari kunci loket ini: <b>{own}</b>")
        self.peers.setRowCount(len(peers))
        for row, (key, print_) in enumerate(peers):
            kind = ownership.PEER_KINDS.get(kinds.get(print_, ""), "—")
            for column, text in enumerate((key.name, kind, print_, key.kelurahan or "—")):
                self.peers.setItem(row, column, QTableWidgetItem(text))

    def save_public_key(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Simpan kunci publik",
            str(default_folder() / "kunci-loket.json"),
            "Kunci publik (*.json)",
        )
        if target:
            self.write_public_key(Path(target))

    def write_public_key(self, target: Path) -> None:
        def write() -> None:  # the save dialog asked before replacing a file
            outputs.write_output(target, to_file(service.own_public_key()), force=True)

        self.runner.submit(
            write,
            on_done=lambda _r: self.message.setText(
                f"Kunci publik tersimpan di {target}. Berikan berkas ini kepada mitra."
            ),
            on_error=self._failed,
        )

    def open_key_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Buka kunci publik mitra", str(default_folder()), "Kunci publik (*.json)"
        )
        if chosen:
            self.read_key_file(Path(chosen))

    def read_key_file(self, path: Path) -> None:
        self.error.clear()
        try:
            key = service.read_key_file_at(path)
        except KeyFileError as exc:  # unreadable, too large or not a key: the user picks another
            refusal = UserError(
                f"Berkas {printable(path.name, 60)} bukan kunci publik Loket DTKS (berkas .json "
                "dari mitra, sekitar 1 kB). Pilih berkas lain.",
                f"not a public key: {exc}",
            )
            show_error(self, refusal, label=self.error)
            return
        self.candidate = key
        self.shown.setText(
            f"Kunci dari <b>{key.name}</b> (kelurahan {key.kelurahan or '—'}).<br>"
            f"Sidik jari: <b>{fingerprint(key)}</b><br>Minta mitra membacakan sidik jari "
            "kuncinya dan cocokkan setiap huruf sebelum mempercayainya."
        )
        self.name.setText(key.name)
        self.compared.setChecked(False)
        self.kind.setCurrentIndex(0)
        for widget in (self.name, self.kind, self.compared):
            widget.setEnabled(True)
        self.kind.setFocus()  # the name is filled in: the kind is what is left to choose
        self._update()

    def _update(self) -> None:
        self.trust_button.setEnabled(
            self.candidate is not None
            and self.compared.isChecked()
            and bool(self.name.text().strip())
            and self.kind.currentData() is not None
        )

    def trust(self) -> None:
        if self.candidate is None:
            return
        key, name = self.candidate, self.name.text()
        self.trust_button.setEnabled(False)
        self.runner.submit(
            service.trust_peer,
            key,
            name,
            self.officer,
            self.kind.currentData(),
            on_done=self._trusted,
            on_error=self._failed,
        )

    def _trusted(self, print_: str) -> None:
        self.message.setText(f"Mitra dipercaya (sidik jari {print_}).")
        self.candidate = None
        self.compared.setChecked(False)
        for widget in (self.name, self.kind, self.compared):
            widget.setEnabled(False)
        self.reload()

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc, label=self.error)
        self._update()
