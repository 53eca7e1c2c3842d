"""Reading a households bundle's records into the import (issue 6): household lines to the
applier (app/services/versions.py), carried records (meetings, signed decisions, the officer
table) to the receiver (app/services/sync/received.py). A large bundle mostly new here is read
and checked in a child process (app/services/sync/decoder.py) while this process applies; a
smaller one, or a re-import, here: starting a process would cost more than it saves.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import orjson

from app.bundle import file as bundle_file
from app.bundle import payload
from app.bundle.file import BundleError, Manifest
from app.bundle.household_records import split_line
from app.db import households
from app.services.sync import decoder
from app.services.sync.carried import is_carried
from app.services.sync.received import Receiver
from app.services.versions import HouseholdApplier

# Households stored under the bundle's kelurahan above which it is read in-process: the child
# is told their ids (a kelurahan holds up to ~50,000), whatever count a manifest claims.
HELD_MAX = 50_000


def read_households(
    path: Path,
    identity: str,
    manifest: Manifest,
    records: int,
    applier: HouseholdApplier,
    others: Receiver,
    run: decoder.Decoder | None,
) -> None:
    """Every record of the payload (at most `records`) to where it belongs; a large bundle
    mostly new here (`_job`) by the import run's child process `run` (None: in-process)."""
    if run is not None and not run.unusable:
        job = _job(path, identity, manifest, records, applier)
        if job is not None and _by_child(run, job, applier, others):
            return
    payload.read_records(path, identity, _to(applier, others), records, raw=True)


def _by_child(
    run: decoder.Decoder, job: decoder.Job, applier: HouseholdApplier, others: Receiver
) -> bool:
    """Read the bundle with the run's child process; False when no child could start or one
    ended before it sent anything (a PC whose security software stops it): nothing was taken
    then, the bundle is read in-process, and so are the run's next ones."""
    received = 0
    try:
        items = run.read(job)
        with closing(items):
            for item in items:
                received += 1
                if isinstance(item, bytes):
                    others.add(orjson.loads(item))
                else:
                    hid, rev, line, found = item
                    applier.add(line, (hid, rev), found)
    except OSError:  # no process could be started here
        run.unusable = True
        return False
    except BundleError as exc:
        if exc.reason != "reader" or received:
            raise
        run.unusable = True
        return False
    return True


def _job(
    path: Path, identity: str, manifest: Manifest, records: int, applier: HouseholdApplier
) -> decoder.Job | None:
    """What a child process needs to read the bundle, for a bundle of CHILD_FROM households or
    more (the manifest's count) when fewer than half as many are stored under its kelurahan
    (the manifest's, else this installation's scope), and at most HELD_MAX: a bundle mostly
    new here; the ids of those stored, whose lines it sends. None: read it in-process."""
    kelurahan = manifest.fields.get("kelurahan")
    under = kelurahan if isinstance(kelurahan, str) and kelurahan else applier.scope or ""
    sent = manifest["counts"].get("households")
    sent = sent if isinstance(sent, int) else records
    if applier.sender_kind is None or sent < decoder.CHILD_FROM:
        return None
    held = min(sent // 2, HELD_MAX)  # the manifest's count is the sender's word
    if households.count_under(under, held + 1) > held:
        return None
    return decoder.Job(
        str(path),
        identity,
        records,
        bundle_file.MAX_UNCOMPRESSED,
        bundle_file.MAX_RECORD,
        applier.sender_kind,
        applier.device_code,
        frozenset(households.ids_under(under)),
    )


def _to(applier: HouseholdApplier, others: Receiver) -> Callable[[bytes], None]:
    """Each line to where it belongs: households to the applier (a household line as bundles
    write it unparsed, with its id and revision: `peek`), the rest to `others`."""
    count = 0

    def take(line: bytes) -> None:
        nonlocal count
        count += 1
        head, record = split_line(line, count)
        if head is not None:
            applier.add(line, head)
        else:
            (others.add if is_carried(record) else applier.add)(record)

    return take
