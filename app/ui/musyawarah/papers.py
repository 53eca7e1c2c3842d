"""A musyawarah paper's preview (undangan, daftar hadir, berita acara, pengumuman): the paper is
prepared by the service (nothing written) and *issued* the first time it is printed or saved
(`musyawarah_docs.issue_document`: audited; for the berita acara of an open meeting, the
verification code locking needs)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.services import musyawarah_docs
from app.services.actions import Officer
from app.ui.runner import Runner
from app.ui.widgets.pdf_preview import PdfPreview

TITLES = {
    "berita-acara": "Berita acara musyawarah",
    "undangan": "Undangan musyawarah",
    "daftar-hadir": "Daftar hadir musyawarah",
    "pengumuman": "Pengumuman hasil musyawarah",
}
NOTES = {
    "berita-acara": (
        "Cetak atau simpan berita acara ini, lalu tanda tangani. Kode verifikasi: {code}. "
        "Hasil yang dikunci harus sama dengan berita acara yang dicetak terakhir."
    ),
    "pengumuman": "Daftar untuk ditempel di RW: nama dan RW/RT, tanpa NIK.",
}


class PaperPreview(PdfPreview):
    def __init__(
        self,
        document: musyawarah_docs.MeetingDocument,
        runner: Runner,
        officer: Officer | None,
        on_issued: Callable[[], None],
        on_error: Callable[[Exception], None],
        parent: QWidget | None = None,
    ):
        note = NOTES.get(document.kind, "").format(code=document.verification)
        super().__init__(
            document.pdf,
            TITLES.get(document.kind, document.kind),
            f"musyawarah-{document.kind}.pdf",
            note,
            parent,
        )
        self.paper = document
        self.runner, self.officer = runner, officer
        self._on_issued, self._on_error = on_issued, on_error
        self.recorded = False
        self.issued.connect(self._issue)

    def _issue(self) -> None:
        if self.recorded:
            return  # the same paper printed after it was saved, or saved again
        self.recorded = True
        self.runner.submit(
            musyawarah_docs.issue_document,
            self.paper,
            self.officer,
            on_done=lambda _r: self._on_issued(),
            on_error=self._failed,
        )

    def _failed(self, exc: Exception) -> None:
        self.recorded = False
        self._on_error(exc)
