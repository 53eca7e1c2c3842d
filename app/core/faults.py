"""Faults of the machine the user can act on (issue 15): a full disk.

A full disk surfaces as `OSError(ENOSPC)` (or EDQUOT, a quota) from Python's file functions and
as SQLite's "database or disk is full" from the driver. Either is reported as `DiskFullError`
("Disk penuh: ..."), never as a wrong key or an unexpected error: every writer here writes a
temporary file and renames it, or runs in a transaction, so nothing already stored is lost.
"""

from __future__ import annotations

import errno
import os

from app.core.errors import UserError

_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


class DiskFullError(UserError, OSError):
    """The disk (or the user's quota) is full; what was being written was not written. Also an
    OSError (errno ENOSPC), so code that handles a failed write keeps handling it."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message, detail)
        self.errno = errno.ENOSPC
        self.strerror = os.strerror(errno.ENOSPC)

    def __str__(self) -> str:  # the Indonesian message, as for every UserError
        return self.message


def is_disk_full(exc: BaseException) -> bool:
    """True for OSError ENOSPC/EDQUOT and for SQLite's SQLITE_FULL ("database or disk is
    full"), whichever driver raised it."""
    if isinstance(exc, OSError) and exc.errno in _FULL:
        return True
    return "database or disk is full" in str(exc)


def disk_full(what: str) -> DiskFullError:
    """The refusal for `what` (e.g. "cadangan loket-...db") not written on a full disk."""
    reason = os.strerror(errno.ENOSPC)
    return DiskFullError(
        f"Disk penuh: {what} tidak dapat ditulis ({reason}), tidak ada data yang hilang. "
        "Kosongkan ruang disk lalu coba lagi.",
        f"disk full: cannot write {what} ({reason}); nothing was lost",
    )
