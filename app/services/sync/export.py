"""Exporting sync bundles (issue 6, DESIGN §7): the households changed since the last export to
a peer (or all of them), and acknowledgements of the bundles taken in from it. Each is signed,
encrypted to the peer and to this installation, logged in the bundle log and audited."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from app.bundle import file as bundle_file
from app.bundle.file import ACK, HOUSEHOLDS
from app.bundle.keys import PublicKey, fingerprint
from app.bundle.manifest_audit import AUDIT
from app.core.document import SCHEMA_VERSION, Document, now_iso
from app.core.faults import disk_full, is_disk_full
from app.db import audit, bundle_log, canonical, conflicts, households, peers
from app.db.canonical import Documents
from app.db.connection import database
from app.paths import AppPaths
from app.services import auth, installation, outputs
from app.services.sync import attachments as attached
from app.services.sync import audit_heads
from app.services.sync import carried as besides
from app.services.sync import keys as service
from app.services.sync.errors import SyncError

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class ExportReport:
    path: Path
    bundle_id: str
    sequence: int
    records: int
    full: bool


def export_bundle(
    peer_name: str,
    out: Path,
    officer: auth.Officer,
    *,
    full: bool = False,
    progress: Progress | None = None,
    force: bool = False,
    paths: AppPaths | None = None,
    with_attachments: bool = False,
    only: list[str] | None = None,
) -> ExportReport:
    """Write the households changed since the last export to `peer_name` (all with `full`),
    with their kept conflict versions, as a bundle for that peer and this installation; with
    the references of their attachments and, `with_attachments`, their bytes (issue 18).
    `only` (a Dinsos return bundle, app/services/sync/returns.py): just these households,
    and the peer's incremental position is left where it is."""
    auth.require(officer, "bundle.export")
    peer = _peer(peer_name)
    out = outputs.check_output(out, force=force, paths=paths)  # app/services/outputs.py
    attached.update_house_photo_flags(officer)  # before `upto`: the new revisions travel
    since = 0 if full else peers.sent_change(peer.name)
    # attachments added since the last bundle (with their bytes, when they are asked for)
    sent = [e for e in bundle_log.entries(fingerprint(peer), "out") if e.kind == HOUSEHOLDS]
    sent = [e for e in sent if e.counts.get("with_attachments") or not with_attachments]
    added = "" if full or not sent else sent[-1].created_at
    upto = households.last_change()
    total = households.count_changed(since, upto) if only is None else len(only)
    kept = conflicts.documents_by_household()
    counts = {"households": 0, "conflict_versions": 0}
    ids: set[str] = set()
    meeting_ids: set[str] = set()  # the meetings carried (their BA scans travel, issue 18)

    def records() -> Iterator[Document | Documents]:
        # the households' documents as JSON made by SQLite, 500 at a time (issue 20,
        # app/db/canonical.py); each one's kept conflict versions right after it
        found = canonical.changed_since(since, upto) if only is None else canonical.of(only)
        for batch in found:
            counts["households"] += len(batch.ids)
            ids.update(batch.ids)
            if kept.keys().isdisjoint(batch.ids):
                yield batch
            else:
                for one in batch.each():
                    yield one
                    counts["conflict_versions"] += len(kept.get(one.ids[0], []))
                    yield from kept.get(one.ids[0], [])
            if progress:
                progress(counts["households"], total)
        # officer table, meetings, signed decisions; attachments (issue 18)
        attached_records = attached.records(ids, meeting_ids, added, with_attachments)
        for record in chain(besides.records(ids), attached_records):
            if only is not None and "household_id" in record and record["household_id"] not in ids:
                continue  # a return bundle: its own households' attachments only (issue 19)
            if record[besides.RECORD] == besides.MEETING:
                meeting_ids.add(record["id"])
            name = besides.COUNTS[record[besides.RECORD]]
            counts[name] = counts.get(name, 0) + 1
            yield record

    extra = {"full": full, **({"with_attachments": True} if with_attachments else {})}
    report = _write(peer, out, HOUSEHOLDS, records(), counts, officer, extra)
    if only is None:
        with database.atomic():
            peers.set_sent_change(peer.name, upto)
    if progress:
        progress(total, total)
    return report


def export_ack(
    peer_name: str,
    out: Path,
    officer: auth.Officer,
    *,
    force: bool = False,
    paths: AppPaths | None = None,
) -> ExportReport:
    """An acknowledgement to `peer_name` of every bundle taken in from it and not yet
    acknowledged: per household, accepted, in conflict or rejected with the reason."""
    auth.require(officer, "bundle.import")
    peer = _peer(peer_name)
    out = outputs.check_output(out, force=force, paths=paths)  # app/services/outputs.py
    pending = [
        e
        for e in bundle_log.entries(fingerprint(peer), "in")
        if e.kind == HOUSEHOLDS and e.acknowledged_at is None
    ]
    if not pending:
        raise SyncError(
            f"Tidak ada paket dari {peer.name} yang belum dikonfirmasi.",
            f"no bundle from {peer.name} waits for an acknowledgement",
        )
    counts = {"bundles": len(pending), "records": 0}

    def records() -> Iterator[dict[str, Any]]:
        for entry in pending:
            for hid, rev, outcome, reason in bundle_log.outcomes(entry.bundle_id):
                counts["records"] += 1
                yield {
                    "bundle_id": entry.bundle_id,
                    "household_id": hid,
                    "rev": rev,
                    "outcome": outcome,
                    "reason": reason,
                }

    acknowledges = [e.bundle_id for e in pending]
    report = _write(peer, out, ACK, records(), counts, officer, {"acknowledges": acknowledges})
    with database.atomic():
        for bundle_id in acknowledges:
            bundle_log.acknowledge(bundle_id, None)
    return report


def _peer(name: str) -> PublicKey:
    peer = peers.get(name)
    if peer is None:
        known = ", ".join(p.name for p, _ in peers.all_peers()) or "belum ada"
        raise SyncError(
            f"Mitra '{name}' tidak dikenal (mitra yang dipercaya: {known}).",
            f"no trusted peer named {name!r}",
        )
    return peer


def _noting(
    records: Iterable[dict[str, Any] | Documents], carried: list[tuple[str, str]]
) -> Iterator[dict[str, Any] | bytes]:
    """The records, each household id and revision noted in `carried` as it is written;
    documents made as JSON go on as their bytes."""
    for record in records:
        if isinstance(record, Documents):
            carried += zip(record.ids, record.revs, strict=True)
            yield record.json
            continue
        if not besides.is_carried(record):  # a meeting, decision or officer table
            carried.append((record["household_id"], record["rev"]))
        yield record


def _write(
    peer: PublicKey,
    out: Path,
    kind: str,
    records: Iterable[dict[str, Any] | Documents],
    counts: dict[str, int],
    officer: auth.Officer,
    extra: dict[str, Any],
) -> ExportReport:
    own = service.own_public_key()
    peer_print = fingerprint(peer)
    carried: list[tuple[str, str]] = []  # what an acknowledgement may speak of (issue 15)
    lines: Iterable[dict[str, Any] | Documents | bytes] = records
    if kind == HOUSEHOLDS:
        lines = _noting(records, carried)
    sequence, previous = bundle_log.next_sequence(peer_print)
    head = audit_heads.head_for(peer_print)  # what the peer can hold this device to (issue 15)
    fields: dict[str, Any] = {  # the manifest's, as JSON
        "format": bundle_file.FORMAT,
        "format_version": bundle_file.FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "kind": kind,
        "bundle_id": str(uuid.uuid4()),
        "created_at": now_iso(),
        "sender": {
            "device_id": own.device_id,
            "fingerprint": fingerprint(own),
            "name": own.name,
            "kelurahan": own.kelurahan,
        },
        "recipients": [peer_print, fingerprint(own)],
        "recipient_name": peer.name,
        "kelurahan": installation.village_code(),
        "sequence": sequence,
        "previous": previous,
        "counts": counts,
        AUDIT: head.fields(),
        **extra,
    }
    try:
        manifest = bundle_file.write(
            out,
            fields,
            lines,
            service.identity().signing_key,
            [peer.age_recipient, own.age_recipient],
        )
    except OSError as exc:
        if is_disk_full(exc):
            raise disk_full(str(out)) from None
        raise SyncError(
            f"Paket tidak dapat ditulis ke {out}: {exc.strerror or exc}",
            f"cannot write {out}: {exc}",
        ) from None
    with database.atomic():
        bundle_log.record(
            fields["bundle_id"],
            kind,
            "out",
            peer_print,
            sequence,
            manifest.digest,
            previous,
            fields["created_at"],
            officer.username,
            {**manifest["counts"], **extra},
            (head.count, head.hash),
        )
        bundle_log.add_content(fields["bundle_id"], carried)
        detail = {
            "bundle_id": fields["bundle_id"],
            "to": peer.name,
            "sequence": sequence,
            "counts": manifest["counts"],
            **extra,
        }
        audit.append(f"bundle.export.{kind}", officer=officer.username, detail=detail)
    return ExportReport(
        out,
        fields["bundle_id"],
        sequence,
        sum(n for k, n in manifest["counts"].items() if k not in besides.COUNTS.values()),
        bool(extra.get("full")),
    )
