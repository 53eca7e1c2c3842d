"""Every path the app uses is worked out here, and nowhere else.

Home folder (settings, keys, backups, the default database): the user's data directory from
platformdirs, overridden by `LOKET_HOME` or `--home`. Database: `<home>/loket.db`, overridden by
`LOKET_DB` or `--db`. Resources resolve from the source tree or, in a frozen build, from
`sys._MEIPASS`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

APP_DIR_NAME = "LoketDTKS"
DB_FILE_NAME = "loket.db"


def resource_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """Path of a file shipped in `resources/` (works from source and when frozen)."""
    return resource_root().joinpath(*parts)


@dataclass(frozen=True)
class AppPaths:
    home: Path
    db: Path

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    def ensure(self) -> AppPaths:
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)  # the user's only
        self.db.parent.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(
    home: str | os.PathLike[str] | None = None, db: str | os.PathLike[str] | None = None
) -> AppPaths:
    """Command-line values win over environment variables, which win over the defaults."""
    home_value = (
        home or os.environ.get("LOKET_HOME") or user_data_dir(APP_DIR_NAME, appauthor=False)
    )
    home_path = Path(home_value).expanduser().resolve()
    db_value = db or os.environ.get("LOKET_DB")
    db_path = Path(db_value).expanduser().resolve() if db_value else home_path / DB_FILE_NAME
    return AppPaths(home=home_path, db=db_path)
