"""Where the screens offer and save files: one start folder (the officer's Documents) and one
save dialog, which asks before replacing a file and adds the extension when it was left out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def default_folder() -> Path:
    """The officer's Documents folder, or the home folder where there is none."""
    location = QStandardPaths.StandardLocation.DocumentsLocation
    documents = Path(QStandardPaths.writableLocation(location) or Path.home())
    return documents if documents.is_dir() else Path.home()


def save_path(parent: QWidget, title: str, start: Path, pattern: str, suffix: str) -> Path | None:
    """The file chosen in the save dialog (which has asked before replacing one), ending in
    `suffix` (".xlsx"); None when the officer cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start), pattern)
    if not chosen:
        return None
    return Path(chosen if chosen.endswith(suffix) else chosen + suffix)
