"""Writing in a transaction on a full disk (issue 15): one place that tells "Disk penuh ...,
tidak ada data yang hilang" from an unexpected error, for every writer (a household's save, a
bundle's import).

SQLite rolls a transaction back by itself on SQLITE_FULL ("database or disk is full"); peewee's
own rollback then fails with "cannot rollback - no transaction is active", and that error is
what reaches the caller, with the full disk only in its context. So the chain of causes is
followed, and a full disk anywhere in it becomes `DiskFullError`: nothing stored changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.core.errors import UserError
from app.core.faults import disk_full, is_disk_full
from app.db.connection import database

_DEPTH = 8  # a chain of causes is short; never follow a cycle for ever


def full_disk_in(exc: BaseException) -> bool:
    """A full disk is the error or one of its causes (stopping at a UserError, already told)."""
    cause: BaseException | None = exc
    for _depth in range(_DEPTH):
        if cause is None or isinstance(cause, UserError):
            return False
        if is_disk_full(cause):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


@contextmanager
def disk_full_as(what: str) -> Iterator[None]:
    """Around a transaction (outside `database.atomic()`): a full disk inside it is
    DiskFullError naming `what` (Indonesian, e.g. "data keluarga")."""
    try:
        yield
    except Exception as exc:
        if full_disk_in(exc):
            raise disk_full(what) from None
        raise


@contextmanager
def writing(what: str) -> Iterator[None]:
    """One transaction (or savepoint) whose full disk is reported as DiskFullError."""
    with disk_full_as(what), database.atomic():
        yield
