"""The one background runner (STYLE §5): database writes and long work run here, one at a
time, on a single worker thread; results come back to the main thread by signal.

Tests that need no real asynchrony use `Runner(synchronous=True)`, which runs each job at
once on the calling thread (like Picard's FakeThreadPool) and still reports through signals.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

Callback = Callable[[Any], None]


class Runner(QObject):
    # (job id, result or exception): emitted from the worker, delivered on the main thread
    _finished = Signal(int, object, bool)
    busy_changed = Signal(bool)

    def __init__(self, synchronous: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self._synchronous = synchronous
        self._executor = (
            None if synchronous else ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        )
        self._callbacks: dict[int, tuple[Callback | None, Callback | None]] = {}
        self._next_id = 0
        self._finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> None:
        """Run fn(*args) in the background; call on_done(result) or on_error(exc) on the main
        thread. Jobs run in submission order."""
        self._next_id += 1
        job = self._next_id
        self._callbacks[job] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        if self._executor is None:
            self._run(job, fn, args)
        else:
            future: Future = self._executor.submit(self._run, job, fn, args)
            future.add_done_callback(lambda f: f.exception())

    def _run(self, job: int, fn: Callable[..., Any], args: tuple) -> None:
        try:
            result, failed = fn(*args), False
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # reported to the caller on the main thread, who shows it
            # through app/ui/errors.py (which logs a bug, not its text). A Rust library's panic
            # too (pyo3's PanicException is no Exception): else the job never ends and the
            # window stays busy.
            result, failed = exc, True
        self._finished.emit(job, result, failed)

    def _deliver(self, job: int, result: Any, failed: bool) -> None:
        on_done, on_error = self._callbacks.pop(job)
        if not self._callbacks:
            self.busy_changed.emit(False)
        callback = on_error if failed else on_done
        if callback is not None:
            callback(result)
        elif failed:  # no one to tell: the GUI's excepthook logs and shows it (app/ui/errors.py)
            raise result

    def shutdown(self) -> None:
        """Finish the queued jobs (so nothing typed is lost), then stop the worker."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
