"""Shared fixtures: each test gets its own real, encrypted SQLite database in a temporary home."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.db.keystore import KdfParams  # noqa: E402
from app.paths import AppPaths, resolve_paths  # noqa: E402
from app.services import (
    auth,  # noqa: E402
    installation,
)

TEST_VILLAGE = "31.74.01.1001"
ADMIN = "admin"
ADMIN_PASSWORD = "rahasia-admin-1"
# A password that passes the strength check (app/services/passwords.py) for any officer of the
# tests: use it for officers a test creates, instead of inventing a weak one.
OFFICER_PASSWORD = "jeruk-nipis-kuning-7"
# A cheap argon2id for fixtures only (the app's default costs ~0.15 s per login); the key file
# stores the parameters with each wrapped key, so everything else works the same.
FAST_KDF = KdfParams(time_cost=1, memory_cost=8, parallelism=1)
ADMIN_OFFICER = auth.Officer(ADMIN, "Admin Kelurahan", "admin")


def officer_named(username: str, role: str = "petugas") -> auth.Officer:
    """The officer acting in a service call (`admin` is the home's admin)."""
    return ADMIN_OFFICER if username == ADMIN else auth.Officer(username, username.title(), role)


def set_up_home(paths: AppPaths, village: str | None = TEST_VILLAGE) -> auth.Officer:
    """Set up (and open) a new home as its admin, like the first start does. Opening another
    home closes the one open before; `auth.log_out()` closes it."""
    officer, _recovery = auth.set_up(paths, ADMIN, "Admin Kelurahan", ADMIN_PASSWORD, FAST_KDF)
    if village:
        installation.set_village(village, officer)
    return officer


@pytest.fixture
def paths(tmp_path):
    return resolve_paths(home=tmp_path / "home")


@pytest.fixture
def store(paths):
    """An opened store with its kelurahan chosen (Tebet Timur, Jakarta Selatan: 31.74.01.1001)
    and the admin logged in (`admin` fixture)."""
    set_up_home(paths)
    yield paths
    auth.log_out()


@pytest.fixture
def admin(store) -> auth.Officer:
    """The admin officer of `store`."""
    return ADMIN_OFFICER


@pytest.fixture
def laptop(tmp_path):
    """A field laptop installation for the sync tests (tests/sync_support.py), not opened."""
    from sync_support import Installation

    return Installation(tmp_path, "laptop")


@pytest.fixture
def kelurahan(tmp_path):
    """A kelurahan installation for the sync tests (tests/sync_support.py), not opened."""
    from sync_support import Installation

    return Installation(tmp_path, "kelurahan")


@pytest.fixture
def empty_store(paths):
    """An opened store on a fresh installation: no kelurahan chosen yet."""
    set_up_home(paths, village=None)
    yield paths
    auth.log_out()


@pytest.fixture
def window(qtbot, store):
    """The real main window on the `store`, with background jobs run inline, shown and active."""
    from app.ui.application import create_main_window
    from app.ui.runner import Runner

    win = create_main_window(ADMIN_OFFICER, Runner(synchronous=True))
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
    return win


def log_in_again(paths: AppPaths) -> auth.Officer:
    """Open a home that `set_up_home` made, as its admin (e.g. after a subprocess used it)."""
    return auth.log_in(paths, ADMIN, ADMIN_PASSWORD)


@pytest.fixture(autouse=True)
def no_unexpected_message_box(monkeypatch):
    """A message box nobody expected would wait for a click forever (and hang CI): fail the
    test at once, with the box's text. A test that expects one patches it again."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(*args, **_kwargs):
        texts = " | ".join(a for a in args if isinstance(a, str))
        raise AssertionError(f"unexpected message box: {texts}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
