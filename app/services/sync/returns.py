"""Return bundles (issue 19): a Dinsos installation writes, in one go, one bundle per
kelurahan that has something to receive; and many bundle files are taken in with one summary.

Where a kelurahan's news goes is the trusted kelurahan peer that sends its households
(`peers.note_villages`, noted at each import). What it has to receive: the households of its
kelurahan whose current revision it neither sent nor was sent (changed here: pemadanan,
SIKS-NG outcomes, target lists; or taken in from another peer). A kelurahan with nothing new
gets no file; one with news made here but no trusted key is listed as skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.bundle import file as bundle_file
from app.bundle.file import BundleError
from app.bundle.keys import fingerprint
from app.db import peers
from app.paths import AppPaths
from app.services import auth, installation
from app.services.sync import imports as bundles
from app.services.sync.errors import SyncError
from app.services.sync.export import ExportReport, export_bundle

Progress = Callable[[int, int], None]  # (done, total)
STEPS = 1000  # progress units per file when many files are taken in
KINDS = ("new", "updated", "unchanged", "conflict", "rejected")


@dataclass(frozen=True)
class Returned:
    village: str  # code
    label: str  # the kelurahan's name and code, never a person's data
    peer: str
    households: int
    report: ExportReport


@dataclass(frozen=True)
class Skipped:
    village: str
    label: str
    households: int  # made here and waiting


@dataclass
class ReturnsReport:
    written: list[Returned] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    nothing_new: list[str] = field(default_factory=list)  # labels of kelurahan with no file


def label(code: str) -> str:
    village = installation.village(code)
    return f"{village.name} ({code})" if village else code


def export_returns(
    folder: Path,
    officer: auth.Officer | None,
    *,
    paths: AppPaths | None = None,
    progress: Progress | None = None,
) -> ReturnsReport:
    """One bundle per kelurahan peer with something to receive, written into `folder` as
    `<village code>-<name>-<date>.bundle`; each logged and audited as any bundle export."""
    officer = auth.require(officer, "bundle.export")
    if not installation.is_dinsos():
        raise SyncError(
            "Paket balik ke semua kelurahan hanya dibuat di instalasi Dinas Sosial.",
            "--all-kelurahan is for a Dinsos installation",
        )
    if not folder.is_dir():
        raise SyncError(
            f"Folder {folder} tidak ada.", f"{folder} is not a folder", "missing_folder"
        )
    addresses = peers.return_addresses()
    by_peer: dict[tuple[str, str], list[str]] = {}
    for village, peer in addresses.items():
        by_peer.setdefault(peer, []).append(village)
    found = ReturnsReport()
    today = dt.date.today().isoformat()
    for done, ((name, print_), villages) in enumerate(sorted(by_peer.items())):
        if progress:
            progress(done, len(by_peer))
        waiting = peers.waiting_for(print_, villages)
        if not waiting:
            found.nothing_new.append(label(villages[0]))
            continue
        out = _free_name(folder, villages[0], today)
        report = export_bundle(name, out, officer, only=waiting, paths=paths)
        found.written.append(Returned(villages[0], label(villages[0]), name, len(waiting), report))
    for village, count in peers.unaddressed(list(addresses)).items():
        found.skipped.append(Skipped(village, label(village), count))
    if progress:
        progress(len(by_peer), len(by_peer))
    return found


def _free_name(folder: Path, village: str, day: str) -> Path:
    """`<code>-<name>-<date>.bundle`, with -2, -3 … when that file is there already."""
    found = installation.village(village)
    slug = re.sub(r"[^a-z0-9]+", "-", found.name.lower()).strip("-") if found else "kelurahan"
    stem = f"{re.sub(r'[^0-9.]', '', village)}-{slug}-{day}"
    path, n = folder / f"{stem}.bundle", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.bundle"
    return path


# --- many files in, one summary ----------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """One file of a batch: who sent it, what became of its households, or why it was refused."""

    file: str  # the file's name
    sender: str  # the peer's name and the kelurahan it serves; "" when refused before
    counts: dict[str, int]
    refused: SyncError | None = None
    already_imported_at: str | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None


def import_all(
    paths: AppPaths,
    files: list[Path],
    officer: auth.Officer | None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> list[bundles.ImportReport | SyncError]:
    """`imports.import_bundles` with one progress over all the files (STEPS per file)."""
    officer = auth.require(officer, "bundle.import")
    current = 0

    def on_file(index: int, count: int) -> None:
        nonlocal current
        current = index
        if progress:
            progress(index * STEPS, count * STEPS)

    def within(done: int, total: int) -> None:
        if progress:
            part = min(STEPS, done * STEPS // total) if total else 0
            progress(current * STEPS + part, len(files) * STEPS)

    results = bundles.import_bundles(
        paths, files, officer, dry_run=dry_run, progress=within, on_file=on_file
    )
    if progress:
        progress(len(files) * STEPS, len(files) * STEPS)
    return results


def summary(files: list[Path], results: list[bundles.ImportReport | SyncError]) -> list[ImportRow]:
    """One row per file, in the order given."""
    rows = []
    for path, result in zip(files, results, strict=True):
        if isinstance(result, SyncError):
            rows.append(ImportRow(path.name, "", {}, refused=result))
            continue
        counts = {k: int(result.counts.get(k, 0)) for k in KINDS}
        sender = _sender(result.sender, path)
        rows.append(ImportRow(path.name, sender, counts, None, result.already_imported_at))
    return rows


def _sender(name: str, path: Path) -> str:
    """The peer's name, with the kelurahan it serves when it is a kelurahan peer (as noted;
    before its first bundle is kept, as this one's signed manifest says: a preview)."""
    key = peers.get(name)
    print_ = fingerprint(key) if key else ""
    codes = peers.villages_of(print_) if key else []
    if not codes and key and peers.kind_of(print_) == "kelurahan":
        try:
            kelurahan = bundle_file.read_manifest(path)[0].fields.get("kelurahan")
        except BundleError:
            kelurahan = None
        codes = [kelurahan] if isinstance(kelurahan, str) and kelurahan else []
    return f"{name} ({', '.join(codes)})" if codes else name
