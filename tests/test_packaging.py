"""The pyinstaller spec ships every resource folder the app reads, and the self-test that CI
runs on the frozen build passes from source."""

from __future__ import annotations

import ast
import os
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


def test_the_windows_installer_script_has_the_app_version():
    text = (ROOT / "packaging" / "loket-dtks.iss").read_text(encoding="utf-8")
    assert f'#define AppVersion "{__version__}"' in text


def test_starting_the_app_does_not_load_the_pdf_library():
    """Cold start (DESIGN §9, under 1 s): reportlab costs a quarter of a second to import, so it
    loads with the first receipt, not with the login window."""
    code = (
        "import sys, app.cli.main, app.ui.application\n"
        "print(sorted(m for m in sys.modules if m.startswith('reportlab')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
