"""*Lampiran* of a household (issue 18): KTP/KK scans and house photos as thumbnails, added
from a file, shown larger, saved to a file, removed (supervisor). Opened from the household
form (*Lampiran… (Ctrl+L)*).

The bytes come decrypted from the service and stay in memory: thumbnails and the larger view
are QPixmaps made from them, a PDF scan is shown by the PDF preview from a buffer; nothing is
written to disk except what the user saves (*Simpan ke berkas…*, recorded in the audit log).

Removing one leaves a tombstone that travels in the next bundle (app/services/attachments.py).

No webcam capture (docs/ARCHITECTURE.md, Attachments): PySide6-Essentials (our pinned
dependency) has no QtMultimedia; it is in PySide6-Addons, a much larger wheel (with FFmpeg)
that the installer would carry for one button, so a photo is taken with a phone or camera and
added as a file. The service takes bytes, so a camera button can be added later without
changing it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.services import attachments, households
from app.services.actions import Officer
from app.services.attachments import Attachment, file_extension, kind_label
from app.ui.errors import error_label, show_error
from app.ui.runner import Runner
from app.ui.widgets.ask import confirm
from app.ui.widgets.files import default_folder
from app.ui.widgets.pdf_preview import PdfPreview, fitting_size

THUMBNAIL = QSize(160, 120)
FILE_FILTER = "Gambar atau PDF (*.jpg *.jpeg *.png *.webp *.tif *.tiff *.bmp *.pdf)"
VIEW_WIDTH, VIEW_HEIGHT = 1200, 640  # the larger view stays under 1366×700


def pixmap(data: bytes) -> QPixmap:
    """A picture from bytes in memory (null when they are not an image, e.g. a PDF)."""
    picture = QPixmap()
    picture.loadFromData(data)
    return picture


def caption(item: Attachment) -> str:
    kb = max(1, round(item.size / 1024))
    return f"{kind_label(item.kind)}\n{kb} kB · {item.added_at[:10]}"


def _loaded(household_id: str, officer: Officer | None) -> list[tuple[Attachment, bytes | None]]:
    """The household's attachments with their bytes (None when not stored here)."""
    found = []
    for item in attachments.list_attachments(household_id, officer):
        data = attachments.content(item.id, officer)[1] if item.has_data else None
        found.append((item, data))
    return found


class AttachmentsDialog(QDialog):
    def __init__(
        self,
        runner: Runner,
        officer: Officer | None,
        household_id: str,
        parent: QWidget | None = None,
        *,
        meeting: bool = False,
        own: bool = False,
    ):
        """`household_id` is the owner; with `meeting` a musyawarah received from another
        device (its signed BA scan), shown read-only: nothing is added or deleted here; with
        `own` too, this device's locked musyawarah, whose signed BA scan is added here."""
        super().__init__(parent)
        title = "Pindaian berita acara musyawarah" if meeting else "Lampiran keluarga"
        self.setWindowTitle(f"{title} — {APP_NAME}")
        self.runner, self.officer, self.household_id = runner, officer, household_id
        self.shown: list[tuple[Attachment, bytes | None]] = []
        self.items = QListWidget()
        self.items.setViewMode(QListView.ViewMode.IconMode)
        self.items.setIconSize(THUMBNAIL)
        self.items.setGridSize(QSize(THUMBNAIL.width() + 40, THUMBNAIL.height() + 56))
        self.items.setResizeMode(QListView.ResizeMode.Adjust)
        self.items.setMovement(QListView.Movement.Static)
        self.items.setWordWrap(True)
        self.items.setMinimumSize(4 * (THUMBNAIL.width() + 44), 2 * (THUMBNAIL.height() + 60))
        self.items.itemActivated.connect(lambda _item: self.view_current())
        self.items.currentRowChanged.connect(lambda _row: self._update_buttons())

        self.kind = QComboBox()
        for kind in attachments.MEETING_KINDS if meeting else attachments.HOUSEHOLD_KINDS:
            self.kind.addItem(attachments.KINDS[kind], kind)
        kind_label = QLabel("&Jenis")
        kind_label.setBuddy(self.kind)
        self.add_button = QPushButton("Tam&bah dari berkas…")
        self.view_button = QPushButton("&Lihat besar")
        self.save_button = QPushButton("&Simpan ke berkas…")
        self.remove_button = QPushButton("&Hapus")
        self.close_button = QPushButton("&Tutup")
        self.add_button.clicked.connect(self.choose_file)
        self.view_button.clicked.connect(self.view_current)
        self.save_button.clicked.connect(self.choose_target)
        self.remove_button.clicked.connect(lambda: self.remove_current())
        self.close_button.clicked.connect(self.accept)
        may_delete = officer is not None and officer.may("attachment.delete")
        self.remove_button.setVisible(may_delete and (own or not meeting))
        self.note = QLabel(
            "Foto diperkecil (maks. 1600 piksel) dan data lokasi/EXIF dibuang. Lampiran "
            "disimpan terenkripsi di basis data loket."
        )
        self.note.setWordWrap(True)
        self.error = error_label()

        adding = QHBoxLayout()
        adding.addWidget(kind_label)
        adding.addWidget(self.kind, 1)
        adding.addWidget(self.add_button)
        buttons = QHBoxLayout()
        for button in (self.view_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(adding)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        if meeting and own:
            self.note.setText(
                "Pindaian berita acara bertanda tangan (PDF atau gambar), disimpan terenkripsi."
            )
        elif meeting:
            for widget in (self.kind, kind_label, self.add_button):
                widget.hide()
            self.note.setText("Pindaian berita acara dari kelurahan pengirim (hanya dibaca).")
        elif not households.is_stored(household_id):
            self.add_button.setEnabled(False)
            self.error.setText("Simpan keluarga ini dulu (Simpan draf) sebelum menambah lampiran.")
        self.refresh()
        (self.items if meeting and not own else self.kind).setFocus()

    # --- showing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.runner.submit(
            _loaded, self.household_id, self.officer, on_done=self._show, on_error=self._failed
        )

    def _show(self, found: list[tuple[Attachment, bytes | None]]) -> None:
        self.shown = found
        self.items.clear()
        file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for item, data in found:
            picture = pixmap(data) if data is not None and item.mime == "image/jpeg" else None
            icon = (
                QIcon(picture.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio))
                if picture is not None and not picture.isNull()
                else file_icon
            )
            text = caption(item) + ("" if data is not None else "\n(isi belum diterima)")
            entry = QListWidgetItem(icon, text)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self.items.addItem(entry)
        if found:
            self.items.setCurrentRow(len(found) - 1)
        self._update_buttons()

    def _update_buttons(self) -> None:
        current = self.current()
        has_data = current is not None and current[1] is not None
        self.view_button.setEnabled(has_data)
        self.save_button.setEnabled(has_data)
        self.remove_button.setEnabled(current is not None)

    def current(self) -> tuple[Attachment, bytes | None] | None:
        row = self.items.currentRow()
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc, label=self.error)

    # --- actions -------------------------------------------------------------------------------

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Pilih foto atau pindaian", str(default_folder()), FILE_FILTER
        )
        if chosen:
            self.add_file(Path(chosen))

    def add_file(self, path: Path) -> None:
        self.error.clear()
        self.runner.submit(
            attachments.add_file,
            self.household_id,
            path,
            self.kind.currentData(),
            self.officer,
            on_done=lambda _added: self.refresh(),
            on_error=self._failed,
        )

    def view_current(self) -> None:
        current = self.current()
        if current is None or current[1] is None:
            return
        item, data = current
        if item.mime == "application/pdf":
            preview = PdfPreview(
                data, f"{kind_label(item.kind)} — {APP_NAME}", f"{item.kind}.pdf", "", self
            )
            preview.print_button.hide()  # saving goes through *Simpan ke berkas…* (audited)
            preview.save_button.hide()
            preview.exec()
        else:
            AttachmentViewer(item, data, self).exec()

    def choose_target(self) -> None:
        current = self.current()
        if current is None:
            return
        item = current[0]
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Simpan lampiran",
            str(default_folder() / f"lampiran-{item.kind}{file_extension(item.mime)}"),
            f"Lampiran (*{file_extension(item.mime)})",
        )
        if target:
            self.save_to(Path(target))

    def save_to(self, target: Path) -> None:
        current = self.current()
        if current is None:
            return
        self.error.clear()
        self.runner.submit(  # the save dialog asked before replacing a file
            lambda: attachments.export_attachment(current[0].id, target, self.officer, force=True),
            on_done=lambda path: self.note.setText(f"Lampiran tersimpan di {path}."),
            on_error=self._failed,
        )

    def remove_current(self, ask: bool = True) -> None:
        current = self.current()
        if current is None:
            return
        item = current[0]
        question = (
            f"Hapus lampiran {kind_label(item.kind).lower()}? Tindakan ini dicatat di log audit"
            " dan penghapusannya ikut terkirim dalam paket berikutnya."
        )
        if ask and not confirm(self, "Hapus lampiran", question, "&Hapus", "&Batal"):
            return
        self.error.clear()
        self.runner.submit(
            attachments.delete_attachment,
            item.id,
            self.officer,
            on_done=lambda _removed: self.refresh(),
            on_error=self._failed,
        )


class AttachmentViewer(QDialog):
    """One photo, as large as the screen allows (within 1200 × 640)."""

    def __init__(self, item: Attachment, data: bytes, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{kind_label(item.kind)} — {APP_NAME}")
        size = fitting_size(VIEW_WIDTH, VIEW_HEIGHT, parent)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        full = pixmap(data)
        room = QSize(size.width() - 40, size.height() - 80)
        if full.width() > room.width() or full.height() > room.height():
            full = full.scaled(
                room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        self.picture.setPixmap(full)
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        self.close_button = QPushButton("&Tutup")
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(QLabel(caption(item).replace("\n", " — ")))
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(size)


def open_attachments(form: QWidget, household_id: str | None) -> AttachmentsDialog | None:
    """Open the *Lampiran* dialog for the form's household, with the window's runner and
    officer (the main window has both: app/ui/host.py)."""
    window = form.window()
    runner = getattr(window, "runner", None)
    if household_id is None or not isinstance(runner, Runner):
        return None
    dialog = AttachmentsDialog(runner, getattr(window, "officer", None), household_id, window)
    dialog.open()
    return dialog
