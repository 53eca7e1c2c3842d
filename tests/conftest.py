"""Shared fixtures: each test gets its own real SQLite database in a temporary home."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app import services  # noqa: E402
from app.db.connection import close_db  # noqa: E402
from app.paths import resolve_paths  # noqa: E402

TEST_VILLAGE = "31.74.01.1001"


@pytest.fixture
def paths(tmp_path):
    return resolve_paths(home=tmp_path / "home")


@pytest.fixture
def store(paths):
    """An opened store with its kelurahan chosen (Tebet Timur, Jakarta Selatan: 31.74.01.1001)."""
    services.open_store(paths)
    services.set_village(TEST_VILLAGE)
    yield paths
    close_db()


@pytest.fixture
def empty_store(paths):
    """An opened store on a fresh installation: no kelurahan chosen yet."""
    services.open_store(paths)
    yield paths
    close_db()


@pytest.fixture
def window(qtbot, store):
    """The real main window on the `store`, with background jobs run inline, shown and active."""
    from app.ui.application import create_main_window
    from app.ui.runner import Runner

    win = create_main_window(Runner(synchronous=True))
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
    return win
