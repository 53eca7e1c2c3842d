"""Autosave while the officer keeps typing (issue 14): a draft reaches the database at most
about 2 s after the first unsaved keystroke, not only after a pause.

The kill -9 test runs this module as its child process (`python -m tests.test_gui_autosave
HOME`): the child types without pausing and is killed while still typing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.services import auth, households
from app.ui.household.form import AUTOSAVE_DELAY_MS

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "Jl. Tebet Barat Dalam II No. 7, RT 005 RW 012, Tebet Timur, Jakarta Selatan 12820"
KEY_INTERVAL_MS = 80  # ~12 keys a second: never the 400 ms pause the short autosave waits for
MAX_WAIT_S = 2.0  # issue 14: saved at most ~2 s after the first unsaved keystroke
SLACK_S = 0.6  # timers on a busy test machine
KILL_AFTER_S = 3.0  # the child is killed after this much continuous typing


class Typist:
    """Types `text` into `widget`, one key every `interval_ms`, from a QTimer: the event loop
    runs between keys as it does for an officer, so the form's own timers run too."""

    def __init__(
        self,
        widget: QWidget,
        text: str,
        interval_ms: int = KEY_INTERVAL_MS,
        on_key: Callable[[Typist], None] | None = None,
    ):
        self.widget, self.text, self.on_key = widget, text, on_key
        self.typed = 0
        self.first_key: float | None = None
        self.last_key: float | None = None
        self.max_gap = 0.0  # the longest pause between two keys, in seconds
        self.timer = QTimer(widget, interval=interval_ms)  # dies with the window
        self.timer.timeout.connect(self._key)

    def start(self) -> None:
        self.widget.setFocus()
        self.timer.start()

    @property
    def typing(self) -> bool:
        return self.timer.isActive()

    def elapsed(self) -> float:
        """Seconds since the first key."""
        return 0.0 if self.first_key is None else time.monotonic() - self.first_key

    def _key(self) -> None:
        now = time.monotonic()
        if self.last_key is not None:
            self.max_gap = max(self.max_gap, now - self.last_key)
        self.first_key = self.first_key or now
        self.last_key = now
        QTest.keyClicks(self.widget, self.text[self.typed])
        self.typed += 1
        if self.typed == len(self.text):
            self.timer.stop()
        if self.on_key is not None:
            self.on_key(self)


def test_continuous_typing_is_autosaved_before_typing_stops(qtbot, window):
    window.new_household()
    form = window.form
    household_id = form.household_id()
    saves: list[tuple[float, str | None]] = []  # (seconds after the first key, address)
    typist = Typist(form.fields["address"], ADDRESS)
    form.autosave_requested.connect(lambda doc: saves.append((typist.elapsed(), doc["address"])))
    typist.start()

    # the first autosave comes from the maximum wait, while the officer is still typing
    qtbot.waitUntil(lambda: households.draft_of(household_id) is not None, timeout=4000)
    assert typist.typing, "the draft was saved only after typing stopped"
    first_saved = households.draft_of(household_id)["address"]
    assert first_saved and ADDRESS.startswith(first_saved)
    assert len(first_saved) <= typist.typed < len(ADDRESS)
    assert saves[0][0] <= MAX_WAIT_S + SLACK_S

    # and again about every 2 s while typing goes on (the wait is not restarted by each key)
    qtbot.waitUntil(lambda: not typist.typing, timeout=15000)
    typed_for = typist.elapsed()
    assert typist.max_gap < AUTOSAVE_DELAY_MS / 1000, "the typist paused: nothing was shown"
    during = [at for at, _address in saves if at < typed_for]
    assert len(during) >= int(typed_for / (MAX_WAIT_S + SLACK_S))
    for before, after in zip([0.0, *during], during, strict=False):
        assert after - before <= MAX_WAIT_S + SLACK_S

    # the short pause-autosave still saves the end of the text
    qtbot.waitUntil(lambda: households.draft_of(household_id)["address"] == ADDRESS, timeout=2000)
    assert not form.has_pending_edit


def test_a_pause_saves_after_the_short_delay(qtbot, window):
    window.new_household()
    form = window.form
    household_id = form.household_id()
    saves = []
    form.autosave_requested.connect(saves.append)
    form.fields["address"].setFocus()
    qtbot.keyClicks(form.fields["address"], "Jl. Tebet")
    started = time.monotonic()
    qtbot.waitUntil(lambda: households.draft_of(household_id) is not None, timeout=2000)
    assert time.monotonic() - started < MAX_WAIT_S - 0.5
    assert households.draft_of(household_id)["address"] == "Jl. Tebet"
    assert not form.has_pending_edit
    qtbot.wait(int((MAX_WAIT_S + 0.3) * 1000))  # no second save: the maximum wait was stopped
    assert len(saves) == 1


def test_flush_autosave_saves_at_once_and_leaves_no_timer(qtbot, window):
    window.new_household()
    form = window.form
    household_id = form.household_id()
    saves = []
    form.autosave_requested.connect(saves.append)
    form.fields["address"].setFocus()
    qtbot.keyClicks(form.fields["address"], "Jl")
    assert form.has_pending_edit
    assert households.draft_of(household_id) is None
    form.flush_autosave()
    assert households.draft_of(household_id)["address"] == "Jl"
    assert not form.has_pending_edit
    qtbot.wait(int((MAX_WAIT_S + 0.3) * 1000))
    assert len(saves) == 1
    form.flush_autosave()  # nothing waiting: nothing saved
    assert len(saves) == 1


def test_continuous_typing_survives_a_hard_kill(qtbot, paths):
    from conftest import log_in_again, set_up_home

    set_up_home(paths)
    auth.log_out()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.test_gui_autosave", str(paths.home)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        word, household_id = child.stdout.readline().split()
        assert word == "HOUSEHOLD"
        word, typed, max_gap_ms = child.stdout.readline().split()  # still typing
        assert word == "TYPING"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert int(max_gap_ms) < AUTOSAVE_DELAY_MS, "the child paused: nothing was shown"

    log_in_again(paths)
    try:
        draft = households.draft_of(household_id)
        assert draft is not None, "nothing of 3 s of continuous typing reached the database"
        assert draft["address"] and ADDRESS.startswith(draft["address"])
        assert len(draft["address"]) <= int(typed) < len(ADDRESS)
    finally:
        auth.log_out()


def _child(home: str) -> None:
    """Open the real window on HOME, type an address without pausing, say TYPING after
    KILL_AFTER_S and go on typing until killed."""
    from app.paths import resolve_paths
    from app.ui.application import create_main_window
    from tests.conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD

    app = QApplication(sys.argv)
    auth.log_in(resolve_paths(home=home), ADMIN, ADMIN_PASSWORD)  # made by set_up_home
    window = create_main_window(ADMIN_OFFICER)  # the real background runner
    window.show()
    window.new_household()
    print("HOUSEHOLD", window.form.household_id(), flush=True)

    reported = []

    def on_key(typist: Typist) -> None:
        if typist.elapsed() >= KILL_AFTER_S and not reported:
            reported.append(typist.typed)
            print("TYPING", typist.typed, round(typist.max_gap * 1000), flush=True)
        if not typist.typing:  # the text ran out before the kill: the parent fails
            app.quit()

    typist = Typist(window.form.fields["address"], ADDRESS, on_key=on_key)
    typist.start()
    app.exec()


if __name__ == "__main__":
    _child(sys.argv[1])
