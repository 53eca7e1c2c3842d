"""`python -m app` (and the `loket-dtks` script): the GUI, or a command (app/cli/main.py)."""

from __future__ import annotations

import io
import multiprocessing
import sys


def main() -> None:
    multiprocessing.freeze_support()  # the frozen build: a bundle decoder process starts here
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # a non-UTF-8 pipe must not crash on names
            stream.reconfigure(errors="replace")
    from app.cli.main import main as cli_main

    sys.exit(cli_main(sys.argv[1:]))


if __name__ == "__main__":
    main()
