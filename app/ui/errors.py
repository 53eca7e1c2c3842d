"""The one way the UI shows an error (issue 13).

A `UserError` (or a subclass: AuthError, SyncError, DocumentError, ...) is a refusal the user
can act on: its Indonesian `str()` is shown as it is. Anything else is a bug: its type and stack
go to the support log in the home (app/logs.py) and the user reads a generic message that says
where the log is — never the exception's own text, which may hold a NIK or a name.

`show_error` shows it, in a message box or in a screen's error label; `error_text` is the pure
wording, for tests. `excepthook` routes an exception escaping a Qt slot the same way, for the
GUI's lifetime (app/ui/application.py).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from app import APP_NAME
from app.core.errors import UserError
from app.logs import log_unexpected
from app.paths import AppPaths, resolve_paths

UNEXPECTED = (
    "Terjadi kesalahan yang tidak terduga. Rinciannya dicatat di {log} untuk petugas dukungan."
)


def error_text(exc: BaseException, log_path: Path | None = None) -> str:
    """What the user reads about `exc`: a UserError's own message, otherwise the generic text
    naming the log file (`log_path`, where the error was written)."""
    if isinstance(exc, UserError):
        return str(exc)
    return UNEXPECTED.format(log=log_path if log_path is not None else "berkas log")


def home_of(widget: QWidget | None) -> Path:
    """The home whose log an error is written to: the first `paths` (AppPaths) found on the
    widget or the widgets holding it (the main window, a restore or import dialog, a login
    dialog); the default home when none knows it."""
    while widget is not None:
        paths = getattr(widget, "paths", None)
        if isinstance(paths, AppPaths):
            return paths.home
        widget = widget.parentWidget()
    return resolve_paths().home


def error_label() -> QLabel:
    """A screen's error line (`show_error(label=...)` writes it): red, bold, wrapped."""
    label = QLabel()
    label.setObjectName("error")
    label.setStyleSheet("color: #b3261e; font-weight: bold;")
    label.setWordWrap(True)
    return label


def show_error(
    parent: QWidget | None,
    exc: BaseException,
    *,
    label: QLabel | None = None,
    title: str = APP_NAME,
    home: Path | None = None,
) -> str:
    """Show `exc` to the user: in `label` when given (a screen's error line), otherwise in a
    warning box over `parent`. An unexpected error (not a UserError) is logged first, in
    `home` or the home `parent` belongs to. Returns the text shown."""
    log_path = None
    if not isinstance(exc, UserError):
        log_path = log_unexpected(home if home is not None else home_of(parent), exc)
    text = error_text(exc, log_path)
    if label is not None:
        label.setText(text)
    else:
        QMessageBox.warning(parent, title, text)
    return text


@contextmanager
def excepthook(home: Path) -> Iterator[None]:
    """While inside: an exception escaping a Qt slot is logged in `home` and shown through
    `show_error` instead of being lost on the console."""
    previous = sys.excepthook
    showing = False

    def hook(kind: type[BaseException], exc: BaseException, trace: TracebackType | None) -> None:
        nonlocal showing
        if exc.__traceback__ is None and trace is not None:
            exc = exc.with_traceback(trace)
        if showing or not isinstance(exc, Exception):  # Ctrl+C, or showing the box failed
            if isinstance(exc, Exception):
                log_unexpected(home, exc)
            previous(kind, exc, trace)
            return
        showing = True
        try:
            show_error(QApplication.activeWindow(), exc, home=home)
        finally:
            showing = False

    sys.excepthook = hook
    try:
        yield
    finally:
        sys.excepthook = previous
