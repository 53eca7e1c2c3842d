"""Reading a large households bundle in a child process (issue 20).

Per household, parsing, validating, hashing the revision and building rows cost about as much
as SQLite's inserts of them, and one Python process does them one after the other. For a bundle
of CHILD_FROM households or more, a child process (spawned: a fresh interpreter, on Windows and
in the frozen build too) decrypts and splits the payload and checks each household line with
the functions the import uses in-process (app/bundle/household_records.py: `checked`,
`new_refusal`) and builds its rows (app/db/households.py), while this process applies the
previous batch in its transaction. The child never opens the database; what it found counts
only for a household new here. Every other household (held here, or with kept conflict
versions) is parsed and checked again here as before (app/services/versions.py).

- **Lines only for households held here.** A household line is sent only when this process
  said it holds that household (`Job.held`: the households stored under the bundle's
  kelurahan, at most half the bundle and at most `reading.HELD_MAX`); for the others only
  the rows. Taking in a line's bytes cost this process a third of what it spent on the pipe
  (0.25 s of 0.65 s for 50,000 households, the lines 141 of 220 MB), and this process sets
  the pace. A household held here that came without its line (stored under another
  kelurahan, a version kept without a winner, or an id twice in the bundle) raises
  `versions.LineWithheld`: the import rolls back and takes that bundle again in-process
  (app/services/sync/imports.py).

- **New households only.** A child is used for a bundle that is mostly new here (the first
  bundle of a kelurahan, at the kelurahan office or at Dinsos: app/services/sync/reading.py).
  A re-import is read in-process: there most households are the stored revision and are
  skipped unparsed, and a child would check them all for nothing (measured: the same CPU
  here, more wall time).
- **Errors.** A payload that cannot be read, or a record that is no JSON, is a BundleError the
  child sends where it happens; this process raises it inside its transaction, which rolls back.
  A child that ends early or fails otherwise (only its exception's type is sent: a message may
  hold personal data) refuses the bundle as `reader`: nothing changed, import it again. One
  that ends before it sent anything (security software that stops it) leaves the bundle, and
  the run's next ones, to this process (app/services/sync/reading.py).
  A line that is not a valid household document is sent as `Failed` and refuses the bundle
  only if it is applied (as in-process, where a stored revision is never validated).
- **Bounded.** The child sends batches of BATCH households through a pipe and waits while the
  pipe is full, so at most a few batches are in flight. When this process stops reading (an
  error, or it was killed), the pipe closes, the child's next send fails, and it exits.
- **One per run.** The child of an import run reads each of its large bundles in turn
  (`Decoder.read`): starting it (a fresh interpreter and its imports) costs about 0.2 s
  before its first batch (more when the main module imports much: bench/launch.py).
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Generator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from app.bundle import file as bundle_file
from app.bundle import payload
from app.bundle.file import BundleError
from app.bundle.household_records import (
    Decoded,
    Failed,
    NewRows,
    checked,
    head_of,
    new_refusal,
    parsed,
    split_line,
)
from app.db.households import household_row, member_rows
from app.services.sync.carried import is_carried

CHILD_FROM = 5_000  # households in a bundle from which a child process reads it
BATCH = 500  # household lines per message from the child
# What the child sends, in the payload's order: a household line's id, revision, the line's
# bytes only if this process holds that household (`Job.held`; else None) and what the child
# found; or the bytes of another record's line (carried: meetings, decisions, the officer table).
Item = tuple[str, Any, bytes | None, Decoded] | bytes


@dataclass(frozen=True)
class Job:
    """What the child needs: the bundle, this installation's age identity, the payload's
    limits (app/bundle/file.py, as the parent has them), the sender's kind and this device's
    code (for `new_refusal`)."""

    path: str
    identity: str
    records: int
    max_bytes: int
    max_record: int
    kind: str
    device_code: str
    # households stored here under the bundle's kelurahan: only their lines are sent (a
    # household new here is written from its rows; its line cost this process more to take
    # in than its rows did)
    held: frozenset[str] = frozenset()


class Decoder:
    """The child process of one import run (`imports.import_bundles`): started for the run's
    first large bundle, it reads each bundle given to `read`, so a run of many bundles (Dinsos
    taking in every kelurahan) starts one process, not one per bundle. `close()` ends it. A
    bundle left in the middle (an error here) ends it there; the next starts another."""

    def __init__(self) -> None:
        self.pipe: Connection | None = None
        self.child: BaseProcess | None = None
        self.unusable = False  # no child could run on this PC: the run reads in-process

    def read(self, job: Job) -> Generator[Item]:
        """The items of one bundle, in the payload's order; the caller closes the iterator
        (`contextlib.closing`) however it leaves it. OSError: no process could be started."""
        if self.child is not None and not self.child.is_alive():
            self.close()  # ended since the last bundle: start another
        if self.pipe is None:
            self._start()
        assert self.pipe is not None
        try:
            self.pipe.send_bytes(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))
        except OSError:
            self.close()
            raise BundleError("reader", "the reading process ended early") from None
        return self._items(self.pipe)

    def _items(self, pipe: Connection) -> Generator[Item]:
        ended = False  # the child told the end of this bundle: it waits for the next
        try:
            while True:
                try:
                    tag, body = pickle.loads(pipe.recv_bytes())
                except (EOFError, OSError):
                    raise BundleError("reader", "the reading process ended early") from None
                if tag == "items":
                    yield from body
                    continue
                ended = True
                if tag == "refused":
                    raise BundleError(*body)
                if tag == "failed":
                    raise BundleError("reader", f"the reading process failed: {body}")
                return
        finally:
            if not ended:
                self.close()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipe, theirs = context.Pipe()
        self.child = context.Process(
            target=_child, args=(theirs,), name="loket-bundle-decoder", daemon=True
        )
        self.child.start()
        theirs.close()

    def close(self) -> None:
        """End the child: its next receive or send fails, and it exits."""
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None
        if self.child is not None:
            self.child.join(timeout=5)
            if self.child.is_alive():
                self.child.kill()
                self.child.join()
            self.child = None


def _child(pipe: Connection) -> None:
    """The child process: read each bundle the parent sends, until the pipe closes."""
    try:
        while True:
            try:
                job: Job = pickle.loads(pipe.recv_bytes())
            except EOFError:  # the run is over
                return
            _read(pipe, job)
    except (BrokenPipeError, ConnectionResetError):  # the parent stopped reading
        return
    finally:
        pipe.close()


def _read(pipe: Connection, job: Job) -> None:
    """One bundle, batch by batch, and how it ended."""
    try:
        bundle_file.MAX_RECORD = job.max_record  # as the parent has them (tests set them)
        reader = _Reader(pipe, job)
        payload.read_records(
            Path(job.path), job.identity, reader.take, job.records, job.max_bytes, raw=True
        )
        reader.send()
        ending: tuple[str, Any] = ("end", None)
    except (BrokenPipeError, ConnectionResetError):
        raise
    except BundleError as exc:
        ending = ("refused", (exc.reason, str(exc)))
    except Exception as exc:  # its type only: a message may hold personal data
        ending = ("failed", type(exc).__name__)
    pipe.send_bytes(pickle.dumps(ending))


class _Reader:
    """Each line of the payload, as the import's `take` (app/services/sync/reading.py) sees
    it: a household line peeked and checked; anything else parsed to tell a household from a
    carried record."""

    def __init__(self, pipe: Connection, job: Job):
        self.pipe, self.job = pipe, job
        self.lines = 0  # records of the payload
        self.households = 0  # household records: the number the applier gives them
        self.batch: list[Item] = []

    def take(self, line: bytes) -> None:
        self.lines += 1
        head, record = split_line(line, self.lines)
        if head is None and is_carried(record):
            self.batch.append(line)
            return
        self.households += 1
        hid, rev = head if head is not None else head_of(record, self.households)
        sent = line if hid in self.job.held else None
        self.batch.append((hid, rev, sent, self._decode(hid, line, record)))
        if len(self.batch) >= BATCH:
            self.send()

    def _decode(self, hid: str, line: bytes, record: Any) -> Decoded:
        number = self.households
        try:
            doc = checked(parsed(line if record is None else record, number, hid), number)
        except BundleError as exc:
            return Failed(exc.reason, str(exc))
        reason = new_refusal(self.job.kind, self.job.device_code, doc)
        members = member_rows(doc)
        return NewRows(doc["village_code"], reason, household_row(doc, members), members)

    def send(self) -> None:
        if self.batch:
            self.pipe.send_bytes(pickle.dumps(("items", self.batch), pickle.HIGHEST_PROTOCOL))
            self.batch = []
