"""The README documents every CLI command (STYLE §14, like sqlite-utils' test_docs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.main import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                has_children = any(isinstance(a, argparse._SubParsersAction) for a in sub._actions)
                if has_children:
                    yield from command_paths(sub, (*prefix, name))
                else:
                    yield (*prefix, name)


def test_every_cli_command_is_in_the_readme():
    commands = [" ".join(path) for path in command_paths(build_parser())]
    assert "household add" in commands and "kelurahan set" in commands
    missing = [c for c in commands if f"`{c}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "python3 dev.py run" in first_block
    assert "python3 dev.py test" in first_block
