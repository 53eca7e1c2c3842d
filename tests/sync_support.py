"""Installations for the sync tests: each a real encrypted home, opened one at a time (the app
holds one database per process), with keys exchanged the way supervisors do it."""

from __future__ import annotations

from pathlib import Path

from conftest import ADMIN_OFFICER, TEST_VILLAGE, log_in_again, set_up_home

from app.bundle.keys import from_file, to_file
from app.core.document import Document, new_member
from app.paths import resolve_paths
from app.services import auth, households
from app.services.sync import imports as bundles
from app.services.sync import keys as service
from app.services.sync.export import export_bundle


class Installation:
    """`with inst:` opens its home as its admin; leaving closes it."""

    def __init__(self, root: Path, name: str, village: str | None = TEST_VILLAGE, kind=None):
        self.name = name
        # the kind others trust it as (DESIGN §11): by its name, else a kelurahan
        self.kind = kind or next(
            (k for k in ("laptop", "kelurahan", "dinsos") if name.startswith(k)), "kelurahan"
        )
        self.paths = resolve_paths(home=root / name)
        set_up_home(self.paths, village)
        self.key_file = to_file(service.own_public_key())
        auth.log_out()
        self.officer: auth.Officer | None = None
        self.outbox = root / "usb"
        self.outbox.mkdir(exist_ok=True)
        self.made = 0

    def __enter__(self) -> Installation:
        self.officer = log_in_again(self.paths)
        return self

    def __exit__(self, *exc) -> None:
        auth.log_out()

    def trusts(self, *others: Installation) -> Installation:
        with self:
            for other in others:
                service.trust_peer(from_file(other.key_file), other.name, self.officer, other.kind)
        return self

    def export(self, to: Installation, full: bool = False) -> Path:
        self.made += 1
        out = self.outbox / f"{self.name}-to-{to.name}-{self.made}.bundle"
        export_bundle(to.name, out, self.officer, full=full)
        return out

    def take(self, *files: Path, dry_run: bool = False) -> list:
        results = bundles.import_bundles(self.paths, list(files), self.officer, dry_run=dry_run)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return results


def exchange(*pairs: tuple[Installation, Installation]) -> None:
    """Trust in both directions between each pair."""
    for a, b in pairs:
        a.trusts(b)
        b.trusts(a)


def register(name: str, **values) -> Document:
    """A household saved as draft on the open installation, with one member called `name`."""
    doc = households.new_household()
    doc.update(values)
    doc["members"] = [new_member(name=name, relationship=1)]
    return households.save_household(doc, final=False, officer=ADMIN_OFFICER)


def edit(household_id: str, **values) -> Document:
    doc = households.load_household(household_id)
    doc.update(values)
    return households.save_household(doc, final=False, officer=ADMIN_OFFICER)
