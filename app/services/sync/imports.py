"""Taking sync bundles in (issue 6, DESIGN §7): import (with a dry run for the preview) of
households and of acknowledgements, inspect, and the scope of households kept. Exporting is in
app/services/sync/export.py, the sync status per peer in app/services/sync/peer_status.py.

Import checks, in this order, before anything is written: the ZIP's shape, the manifest, the
sender (a trusted peer), the signature, that this installation is a recipient, the payload's
hash and the file's bytes, and whether the bundle was taken in before (then nothing happens).
Only then is the payload decrypted, and every record is validated and applied inside one
transaction: any failure rolls it all back and the database is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bundle import file as bundle_file
from app.bundle.file import ACK, HOUSEHOLDS, BundleError, Manifest
from app.bundle.keys import fingerprint
from app.bundle.manifest_audit import audit_head
from app.core import merge, ownership
from app.core.document import SCHEMA_VERSION
from app.core.faults import DiskFullError
from app.db import audit, bundle_log, peers, settings
from app.db.connection import bulk_cache, checkpoint_after, database
from app.db.households import ClashError
from app.db.transaction import disk_full_as
from app.paths import AppPaths
from app.services import auth, backups, installation
from app.services.duplicates import PossibleDuplicate, flag_possible_duplicates
from app.services.sync import acks, audit_heads
from app.services.sync import keys as service
from app.services.sync.audit_heads import ROSTER_KEY, HeadWarning
from app.services.sync.decoder import Decoder
from app.services.sync.errors import SyncError, refused
from app.services.sync.reading import read_households
from app.services.sync.received import Received, Receiver
from app.services.sync.sequence import MAX_SEQUENCE_JUMP as MAX_SEQUENCE_JUMP
from app.services.sync.sequence import Gap, sequence_check
from app.services.sync.sequence import gap_text as gap_text
from app.services.versions import OUTCOMES, HouseholdApplier, LineWithheld

WRITTEN = frozenset({merge.NEW, merge.UPDATED, merge.CONFLICT})  # outcomes that store something
SCOPE_KEY = "sync_scope"  # village code prefix of households this installation takes in
Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class ImportReport:
    file: str
    bundle_id: str
    kind: str
    sender: str
    sequence: int
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (household id, reason)
    missing: list[Gap] = field(default_factory=list)  # bundles not received yet, as ranges
    warnings: list[str] = field(default_factory=list)
    # the sender's audit log does not extend what its earlier bundles showed (issue 15)
    audit_warnings: list[audit_heads.HeadWarning] = field(default_factory=list)
    # households taken in whose No. KK / NIK a different household holds: stored, and listed
    # for a supervisor to merge or keep both (issue 14): how many, and the first ones
    # (duplicates.SHOWN_DUPLICATES) for display
    duplicates: list[PossibleDuplicate] = field(default_factory=list)
    duplicate_count: int = 0
    carried: Received | None = None  # meetings, signed decisions, officer table (issue 17/15)
    already_imported_at: str | None = None
    dry_run: bool = False


# --- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A bundle whose file, sender, signature and recipients passed every check."""

    path: Path
    manifest: Manifest
    sender_name: str
    sender_print: str


def check(path: Path) -> Checked | ImportReport:
    """Every check that needs no decryption. Returns the report of an earlier import when the
    bundle was already taken in. Raises SyncError; writes nothing."""
    try:
        manifest, signature = bundle_file.read_manifest(path)
    except BundleError as exc:
        raise refused(exc) from None
    try:
        sender_print = str(manifest["sender"]["fingerprint"])
        kind, bundle_id = manifest["kind"], manifest["bundle_id"]
        recipients = list(manifest["recipients"])
        int(manifest["sequence"]), dict(manifest["counts"])
    except (KeyError, TypeError, ValueError):
        raise refused(BundleError("manifest", "the manifest lacks required fields")) from None
    if kind not in (HOUSEHOLDS, ACK):
        raise refused(BundleError("manifest", f"unknown bundle kind {kind!r}"))
    if manifest.fields.get("schema_version", 0) > SCHEMA_VERSION:
        raise refused(BundleError("version", "the bundle's household schema is newer"))
    own = service.own_public_key() if service.has_identity() else None
    if own is not None and sender_print == fingerprint(own):
        raise refused(BundleError("own", "this installation made this bundle"))
    sender = peers.with_fingerprint(sender_print)
    if sender is None:
        raise refused(
            BundleError("unknown_sender", f"unknown sender with fingerprint {sender_print}"),
            fingerprint=sender_print,
        )
    try:
        bundle_file.verify_signature(manifest, signature, sender.signing_key)
        if own is None or fingerprint(own) not in recipients:
            name = manifest.fields.get("recipient_name") or ", ".join(recipients)
            raise BundleError("recipient", f"the bundle is for {name}, not this installation")
        bundle_file.check_file(path, manifest, signature)
        earlier = bundle_log.get(str(bundle_id))
        if earlier is not None:
            return _earlier_report(path, earlier, sender.name)
    except BundleError as exc:
        raise refused(exc) from None
    return Checked(path, manifest, sender.name, sender_print)


def _earlier_report(path: Path, earlier: bundle_log.Entry, sender: str) -> ImportReport:
    counts = {k: v for k, v in earlier.counts.items() if k in OUTCOMES}
    return ImportReport(
        str(path),
        earlier.bundle_id,
        earlier.kind,
        sender,
        earlier.sequence,
        counts,
        already_imported_at=earlier.logged_at,
    )


def import_bundles(
    paths: AppPaths,
    files: list[Path],
    officer: auth.Officer,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_file: Progress | None = None,
) -> list[ImportReport | SyncError]:
    """Import each file on its own (atomically), after one backup before the first change.
    A dry run applies and rolls back: the report is the preview, nothing is kept.
    `on_file(index, files)` is told as each file starts (one progress bar over all)."""
    auth.require(officer, "bundle.import")
    results: list[ImportReport | SyncError] = []
    backed_up = dry_run
    safety: backups.SafetyCopy | None = None  # written beside the run's first bundle
    with closing(Decoder()) as run:  # one child process reads the run's large bundles
        try:
            for index, path in enumerate(files):
                if on_file:
                    on_file(index, len(files))
                try:
                    checked = check(path)
                    if isinstance(checked, ImportReport):
                        results.append(checked)
                        continue
                    if not backed_up:  # one per run (issue 20)
                        safety = backups.begin_before_import(paths, officer.role)
                        backed_up = True
                    results.append(_apply(checked, officer, dry_run, progress, run, safety))
                except SyncError as exc:
                    results.append(exc)
                except DiskFullError as exc:  # "Disk penuh ..., tidak ada data yang hilang"
                    results.append(SyncError(exc.message, exc.detail, "disk_full"))
        finally:
            _finish(safety)
    return results


def _finish(safety: backups.SafetyCopy | None) -> None:
    """The run's safety copy written before the run ends, even when no bundle committed (its
    failure then changed nothing: each bundle's commit waited for it and was told)."""
    if safety is not None:
        with suppress(Exception):
            safety.wait()


def _apply(
    checked: Checked,
    officer: auth.Officer,
    dry_run: bool,
    progress: Progress | None,
    run: Decoder,
    safety: backups.SafetyCopy | None = None,
) -> ImportReport:
    """One bundle in one transaction. Read by the run's child process, it is taken again
    in-process when a household held here came without its line (app/services/sync/decoder.py:
    rare; the first try rolled back whole)."""
    try:
        return _apply_once(checked, officer, dry_run, progress, run, safety)
    except LineWithheld:
        return _apply_once(checked, officer, dry_run, progress, None, safety)


def _apply_once(
    checked: Checked,
    officer: auth.Officer,
    dry_run: bool,
    progress: Progress | None,
    run: Decoder | None,
    safety: backups.SafetyCopy | None,
) -> ImportReport:
    manifest = checked.manifest
    total = sum(v for v in manifest["counts"].values() if isinstance(v, int))
    done = 0

    def on_batch(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    report = ImportReport(
        str(checked.path),
        manifest["bundle_id"],
        manifest["kind"],
        checked.sender_name,
        manifest["sequence"],
        dry_run=dry_run,
    )
    identity = service.identity().age_identity
    try:
        with (
            nullcontext() if dry_run else checkpoint_after(),  # the WAL into the file, after
            disk_full_as("data dari paket"),
            bulk_cache(),
            database.atomic() as txn,
        ):
            report.missing, report.warnings = sequence_check(
                checked.manifest, checked.sender_print
            )  # refused before work
            if manifest["kind"] == HOUSEHOLDS:
                kind = peers.kind_of(checked.sender_print)  # what it may change (issue 15)
                applier = HouseholdApplier(manifest["bundle_id"], scope(), on_batch, kind)
                others = Receiver(checked.sender_print, kind, manifest["bundle_id"], scope())
                read_households(checked.path, identity, manifest, total, applier, others, run)
                applier.flush()
                report.carried = others.finish()  # officer table, meetings, signed decisions
                report.counts = {k: applier.counts[k] for k in OUTCOMES}
                report.rejected = [(o[0], o[3]) for o in applier.outcomes if o[3]]
                outcomes = applier.outcomes
                written = dict.fromkeys(o[0] for o in outcomes if o[2] in WRITTEN)
                flagged = flag_possible_duplicates(
                    list(written), manifest["bundle_id"], applier.screen
                )
                report.duplicates, report.duplicate_count = list(flagged.shown), flagged.count
            else:  # believed only about what was sent to this peer (issue 15)
                ack = acks.take_ack(checked.path, manifest, checked.sender_print, identity, total)
                report.counts, outcomes = ack.counts, []
                report.warnings += ack.warnings
            report.audit_warnings = _audit_check(checked)
            if report.carried and report.carried.roster == "other_key":
                report.audit_warnings.append(HeadWarning(ROSTER_KEY, checked.sender_name))
            _log_import(checked, report, outcomes, officer)
            if manifest["kind"] == HOUSEHOLDS:  # the kelurahan a kelurahan peer serves (issue 19)
                kelurahan = manifest.fields.get("kelurahan")
                peers.note_villages(checked.sender_print, manifest["bundle_id"], kelurahan)
                if kind in ownership.KIND_OWNERS[ownership.DINSOS_STATUS]:  # who sent which event
                    bundle_log.note_events(manifest["bundle_id"])
            if safety is not None:  # nothing is kept before the safety copy is whole
                safety.wait()
            if dry_run:
                txn.rollback()
    except BundleError as exc:
        raise refused(exc) from None
    except ClashError as exc:
        clash = BundleError("clash", f"the bundle clashes with stored data: {exc.detail}")
        raise refused(clash) from None
    return report


def _audit_check(checked: Checked) -> list[audit_heads.HeadWarning]:
    """The sender's audit head against the ones it sent before; noted until acknowledged."""
    m = checked.manifest
    head = audit_head(m)
    found = audit_heads.check(checked.sender_print, checked.sender_name, m["sequence"], head)
    audit_heads.note(checked.sender_print, m["bundle_id"], found)
    return found


def _log_import(
    checked: Checked,
    report: ImportReport,
    outcomes: list[tuple[str, str, str, str | None]],
    officer: auth.Officer,
) -> None:
    m = checked.manifest
    bundle_log.record(
        m["bundle_id"],
        m["kind"],
        "in",
        checked.sender_print,
        m["sequence"],
        m.digest,
        m.fields.get("previous"),
        m["created_at"],
        officer.username,
        {**report.counts, "full": bool(m.fields.get("full"))},
        _head(m),
    )
    bundle_log.add_outcomes(m["bundle_id"], outcomes)
    audit.append(
        f"bundle.import.{m['kind']}",
        officer=officer.username,
        detail={
            "bundle_id": m["bundle_id"],
            "from": checked.sender_name,
            "sequence": m["sequence"],
            "counts": report.counts,
            "missing": report.missing,
            **({"possible_duplicates": report.duplicate_count} if report.duplicate_count else {}),
            **(
                {"audit_warnings": [w.kind for w in report.audit_warnings]}
                if report.audit_warnings
                else {}
            ),
        },
    )


def _head(manifest: Manifest) -> tuple[int, str] | None:
    head = audit_head(manifest)
    return None if head is None else (head.count, head.hash)


# --- settings, inspection, status ------------------------------------------------------------


def scope() -> str | None:
    """The village code prefix of households this installation takes in: its own kelurahan
    unless widened (`bundle scope`); a Dinsos installation's area (issue 19: `31`, all of DKI
    Jakarta, or a kota's code) when set up as one."""
    return settings.get(SCOPE_KEY) or installation.dinsos_area() or installation.village_code()


def set_scope(prefix: str, officer: auth.Officer) -> None:
    auth.require(officer, "peer.trust")
    settings.put(SCOPE_KEY, prefix)


def inspect(path: Path) -> dict[str, Any]:
    """The manifest and whether its signature is valid, without decrypting anything."""
    try:
        manifest, signature = bundle_file.read_manifest(path)
    except BundleError as exc:
        raise refused(exc) from None
    sender_print = (manifest.fields.get("sender") or {}).get("fingerprint", "")
    sender = peers.with_fingerprint(sender_print)
    own = service.own_public_key() if service.has_identity() else None
    if own is not None and sender_print == fingerprint(own):
        sender = own
    if sender is None:
        signature_state = "unknown sender: cannot check the signature"
    else:
        try:
            bundle_file.verify_signature(manifest, signature, sender.signing_key)
            bundle_file.check_file(path, manifest, signature)
            signature_state = f"valid, signed by {sender.name}"
        except BundleError as exc:
            signature_state = f"NOT VALID: {exc}"
    logged = bundle_log.get(str(manifest.fields.get("bundle_id")))
    return {
        "manifest": manifest.fields,
        "signature": signature_state,
        "logged_at": logged.logged_at if logged else None,
    }
