"""Child process for the kill -9 test of a bundle import read by a decoder process (issue 20):
logs in to HOME and imports BUNDLE with the decoder for every size and tiny batches, printing
the decoder's pid after the first batch is written inside the import's transaction, then waits
there until it is killed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.paths import resolve_paths
from app.services import auth, versions
from app.services.sync import decoder
from app.services.sync import imports as bundles
from tests.conftest import ADMIN, ADMIN_PASSWORD


def main(home: str, bundle: str) -> None:
    paths = resolve_paths(home=home)
    officer = auth.log_in(paths, ADMIN, ADMIN_PASSWORD)
    decoder.CHILD_FROM, versions.BATCH = 0, 2  # applied two by two: the first pair early
    started = decoder.Decoder._start
    flush = versions.HouseholdApplier.flush
    pids: list[int] = []

    def remember(self: decoder.Decoder) -> None:
        started(self)
        assert self.child is not None
        pids.append(self.child.pid or 0)

    def written_then_wait(self: versions.HouseholdApplier) -> None:
        flush(self)
        if self.counts["new"]:
            print(pids[0], flush=True)
            time.sleep(600)

    decoder.Decoder._start = remember  # type: ignore[method-assign]
    versions.HouseholdApplier.flush = written_then_wait  # type: ignore[method-assign]
    bundles.import_bundles(paths, [Path(bundle)], officer)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
