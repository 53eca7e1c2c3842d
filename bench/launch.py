"""Run a bench script as `python SCRIPT ARGS...` would, with this small file as the process's
main module: `python bench/launch.py bench/bench_bundles.py --households 50000`. run_all.py runs
every script so.

Why: a process started with spawn imports its parent's main module again before it runs (so
that what the parent defined there can be found). The bundle import's decoder
(app/services/sync/decoder.py) is such a process. In the app, the main module is
app/__main__.py, which imports nothing heavy. A bench script run directly is the main module,
and its imports (Faker, every service, the bench's helpers) become the decoder's too: its first
batch came 0.37 s after it was started instead of 0.20 s (session 11), so every import was
measured slower than the app's by that much.
"""

from __future__ import annotations

import runpy
import sys


def main() -> None:
    script = sys.argv.pop(1)
    sys.argv[0] = script  # as `python SCRIPT` sets it: the script's argparse names itself
    runpy.run_path(script, run_name="bench_script")["main"]()


if __name__ == "__main__":
    main()
