"""Column profiles that Dinsos wrote for its own result files, remembered by the installation
(issue 19): *Muat profil…* in the result-import dialog, for pemadanan (Dukcapil, Bapenda) and
SIKS-NG outcomes alike.

A profile file is read bounded (`pemadanan_files.profile_text`: a regular file, at most
MAX_PROFILE_BYTES, UTF-8) and checked by the kind's own parser (app/core/pemadanan_profiles.py,
outcome_profiles.py) before anything is kept; a bad one is refused in one line and nothing is
stored. A good one is kept, as the checked text, in this installation's settings (the encrypted
database: it goes with every backup, needs no folder of its own, and a file changed or deleted
afterwards changes nothing), under the `name` written inside it; loading a profile with the same
name again replaces it (a new version), a built-in profile's name is refused. The profile lists
of the dialog and the services' `load_profile` then offer it beside the built-in ones. Remembering
is the import's own role (a profile decides how its files are read), Dinsos installation only,
audited (`result_profile.saved`: kind, name, version, the text's SHA-256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from app.core import outcome_profiles, pemadanan_profiles
from app.core.errors import UserError
from app.db import audit, settings
from app.db.connection import database
from app.db.transaction import writing
from app.paths import resource
from app.services import installation
from app.services.actions import AuthError, Officer, require
from app.services.pemadanan_files import FileRefused, profile_names, profile_text, profiles_folder

MAX_SAVED = 50  # remembered profiles per kind


@dataclass(frozen=True)
class Kind:
    key: str  # the settings key holding {name: TOML text}
    folder: Callable[[], Path]  # the built-in profiles
    parse: Callable[[str, str], Any]  # (name, text) -> a checked profile, or ProfileError
    what: str  # the kind in refusals
    action: str  # the role action of its import


PEMADANAN = Kind(
    "result_profiles.pemadanan",
    profiles_folder,
    pemadanan_profiles.parse,
    "profil pemadanan",
    "pemadanan.import",
)
OUTCOMES = Kind(
    "result_profiles.outcomes",
    lambda: resource("outcomes"),
    outcome_profiles.parse,
    "profil hasil SIKS-NG",
    "dinsos.status",
)


def saved(kind: Kind) -> dict[str, str]:
    """The remembered profiles of `kind`: name -> checked TOML text (none while no database is
    open: the CLI checks `--profile` before it logs in, and takes a remembered profile's file
    path there)."""
    if database.obj is None:
        return {}
    stored = settings.get(kind.key)
    found = orjson.loads(stored) if stored else {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def names(kind: Kind) -> list[str]:
    """The built-in profiles, then the remembered ones, each sorted (a built-in name wins)."""
    built_in = profile_names(kind.folder())
    return built_in + sorted(set(saved(kind)) - set(built_in))


def load(kind: Kind, name: str) -> Any:
    """A built-in profile by name, a remembered one by name, or a profile file (a path ending
    in .toml); checked."""
    if not name.endswith(".toml") and name not in profile_names(kind.folder()):
        text = saved(kind).get(name)
        if text is not None:
            return kind.parse(name, text)
    return kind.parse(*profile_text(kind.folder(), name, kind.what))


def remember(kind: Kind, path: Path, officer: Officer | None) -> str:
    """Check the profile file at `path` and keep it for this installation; its name. Refused
    in one line (nothing kept) when it is not a readable .toml profile of this kind."""
    officer = require(officer, kind.action)
    if not installation.is_dinsos():
        raise AuthError("Profil hasil hanya dipakai di instalasi Dinas Sosial, bukan kelurahan.")
    if path.suffix != ".toml":  # the bounded reader takes a path by its ending
        raise FileRefused(f"{kind.what}: pilih berkas .toml")
    text = profile_text(kind.folder(), str(path), kind.what)[1]
    profile = kind.parse(path.stem, text)
    if profile.name in profile_names(kind.folder()):
        raise UserError(
            f"{kind.what} {profile.name}: nama itu dipakai profil bawaan; "
            "ganti `name` di berkas profil."
        )
    with writing("profil hasil"):
        kept = saved(kind)
        if profile.name not in kept and len(kept) >= MAX_SAVED:
            raise UserError(f"Sudah ada {MAX_SAVED} profil tersimpan; tidak ditambah.")
        kept[profile.name] = text
        settings.put(kind.key, orjson.dumps(kept).decode())
        audit.append(
            "result_profile.saved",
            officer=officer.username,
            detail={
                "kind": kind.key.rsplit(".", 1)[1],
                "name": profile.name,
                "version": profile.version,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )
    return str(profile.name)
