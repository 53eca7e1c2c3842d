"""The support log: unexpected errors, written to `<home>/logs/loket.log` (issue 13).

A refusal the user can act on is a `UserError` and is only shown; anything else is a bug, and
support needs to know where it happened. The log keeps the time, the app version, the error's
type and its stack (file, line, function) — never the error's message or any value, since
those may hold a NIK or a name (UU PDP). It rotates at 1 MB, keeping 5 old files.
"""

from __future__ import annotations

import logging
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app import __version__

LOG_NAME = "loket.log"
MAX_BYTES = 1_000_000
KEEP = 5
_logger = logging.getLogger("loket")
_logger.propagate = False


def log_file(home: Path) -> Path:
    return home / "logs" / LOG_NAME


def _handler_for(path: Path) -> logging.Handler:
    for handler in _logger.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return handler
    for handler in list(_logger.handlers):  # another home was used before: write to this one
        _logger.removeHandler(handler)
        handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    _logger.addHandler(handler)
    _logger.setLevel(logging.INFO)
    return handler


def describe(exc: BaseException) -> str:
    """The error's type and stack, and those of its causes: no message, no values."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        parts.append(f"{kind.__module__}.{kind.__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            parts.append(f"  at {frame.filename}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
        if current is not None:
            parts.append("caused by")
    return "\n".join(parts)


def log_unexpected(home: Path, exc: BaseException) -> Path:
    """Write `exc` (type and stack only) to the home's log; returns the log file's path.
    Never raises: a log that cannot be written must not hide the original error."""
    path = log_file(home)
    try:
        _handler_for(path)
        _logger.disabled = False  # a library's logging.config call must not silence support
        _logger.error("Loket DTKS %s: unexpected error\n%s", __version__, describe(exc))
    except OSError:
        pass
    return path
