"""The pyinstaller spec ships every resource folder the app reads, and the self-test that CI
runs on the frozen build passes from source."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from app import __version__

ROOT = Path(__file__).resolve().parent.parent
SPEC = (ROOT / "packaging" / "loket-dtks.spec").read_text(encoding="utf-8")


def folders_the_app_reads() -> set[str]:
    """First argument of every resource("folder", ...) call in app/."""
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "resource"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_the_spec_lists_every_resource_folder_the_app_reads():
    listed = set(ast.literal_eval(re.search(r"RESOURCE_FOLDERS = (\[.*?\])", SPEC).group(1)))
    assert folders_the_app_reads() <= listed
    assert all((ROOT / "resources" / folder).is_dir() for folder in listed)
    assert 'collect_submodules("reportlab.graphics.barcode")' in SPEC


def test_the_windows_version_resource_matches_the_app_version():
    text = (ROOT / "packaging" / "version_info.txt").read_text(encoding="utf-8")
    numbers = tuple(int(n) for n in __version__.split("."))
    assert f"filevers={(*numbers, 0)}".replace(" ", "") in text.replace(" ", "")
    assert f"'ProductVersion', '{__version__}'" in text


def test_self_test_passes_from_source():
    result = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert result.stdout.count("ok   ") == 7
    assert "1 household taken in" in result.stdout  # the bundle step
