"""Preview of a PDF (a receipt, the privacy notice) with *Cetak*, *Simpan PDF* and *Tutup*.

The PDF is shown with QtPdf's QPdfView; *Cetak* opens the system's print dialog and renders
each page at the printer's resolution. When the document has been printed or saved, `printed`
or `saved` is emitted (and `issued` for either): a receipt's preview
(app/ui/widgets/receipt_preview.py) records it once. The window fits a 1366×768 screen: at most
`MAX_HEIGHT` tall, so *Cetak*, *Simpan PDF* and *Tutup* stay visible (issue 16).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.services.outputs import write_output
from app.ui.errors import show_error

MAX_WIDTH, MAX_HEIGHT = 720, 640  # the frame stays under ~700 px on a 1366×768 screen


def fitting_size(width: int, height: int, parent: QWidget | None = None) -> QSize:
    """`width` × `height`, made smaller where the screen's free area (less room for the frame
    and the taskbar) is smaller."""
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(width, height)
    free = screen.availableGeometry()
    return QSize(min(width, free.width() - 40), min(height, free.height() - 60))


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Render every page of `document` onto `printer`, each fitted to the printable page.
    Returns the number of pages printed; a UserError when the printer cannot be opened."""
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("Gagal mencetak: printer tidak dapat dibuka.", "cannot open the printer")
    try:
        dpi = printer.resolution()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, size)
            target = painter.viewport()
            scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
        return document.pageCount()
    finally:
        painter.end()


def print_pdf_bytes(
    parent: QWidget | None, pdf: bytes, name: str, printer: QPrinter | None = None
) -> int:
    """Print `pdf` without a preview (the recovery-key sheet, which must not be saved on the
    computer): the system's print dialog on the document's own paper, unless a `printer` is
    given. Returns the pages printed (0 when the dialog was cancelled)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(name)
        if document.pageCount():
            printer.setPageSize(
                QPageSize(
                    document.pagePointSize(0),
                    QPageSize.Unit.Point,
                    "",
                    QPageSize.SizeMatchPolicy.FuzzyMatch,
                )
            )
        if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
            return 0
    try:
        return print_pdf(document, printer)
    finally:
        document.close()


class PdfPreview(QDialog):
    issued = Signal()  # the shown PDF was printed or saved
    printed = Signal()
    saved = Signal()

    def __init__(
        self,
        pdf: bytes,
        title: str,
        file_name: str,
        note: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(fitting_size(MAX_WIDTH, MAX_HEIGHT, parent))
        self.file_name = file_name
        self.pdf = b""
        self._buffer = QBuffer(self)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.note = QLabel(note)
        self.note.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.print_button = QPushButton("&Cetak…")
        self.save_button = QPushButton("&Simpan PDF…")
        self.close_button = buttons.addButton("&Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_clicked)
        self.save_button.clicked.connect(self.save_with_dialog)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.show_pdf(pdf, note)

    def show_pdf(self, pdf: bytes, note: str | None = None) -> None:
        """Show another PDF (e.g. the SALINAN after the original was printed)."""
        self.pdf = pdf
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if note is not None:
            self.note.setText(note)
            self.note.setVisible(bool(note))

    def page_count(self) -> int:
        return self.document.pageCount()

    # --- printing and saving ------------------------------------------------------------------

    def print_clicked(self) -> None:
        """*Cetak*: a subclass may first show another PDF (a receipt's SALINAN)."""
        self.print_with_dialog()

    def print_with_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.prepare_printer(printer)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def prepare_printer(self, printer: QPrinter) -> None:
        """Offer the document's own paper (A5, A4, the 80 mm roll) in the print dialog."""
        printer.setDocName(self.file_name)
        if self.document.pageCount():
            points = self.document.pagePointSize(0)
            printer.setPageSize(
                QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
            )

    def print_to(self, printer: QPrinter) -> None:
        try:
            print_pdf(self.document, printer)
        except UserError as exc:
            show_error(self, exc, title=self.windowTitle())
            return
        self.printed.emit()
        self.issued.emit()

    def save_with_dialog(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "Simpan PDF", str(Path.home() / self.file_name), "PDF (*.pdf)"
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        # The save dialog asked before replacing a file; the service still refuses the
        # database's files and backups, and writes atomically (app/services/outputs.py).
        try:
            write_output(path, self.pdf, force=True)
        except UserError as exc:  # a folder the user may not write to, a full disk: they can act
            show_error(self, exc, title=self.windowTitle())
            return
        self.saved.emit()
        self.issued.emit()
