#!/usr/bin/env python3
"""One-step set-up and launcher for Loket DTKS (stdlib only, Linux and Windows).

    python3 dev.py run  [app args...]   set up if needed, then open the app
    python3 dev.py test [pytest args...] set up if needed, then run the whole test suite,
                                         one worker per core (pytest-xdist; -n 0: one)
    python3 dev.py bench [--households N]
                                         set up if needed, run every bench/bench_*.py, then
                                         print one table: figure, median, budget, pass/MISS
    python3 dev.py package               set up if needed, build dist/loket-dtks (PyInstaller,
                                         one folder), then run its --self-test
    python3 dev.py check                 set up if needed, then the static checks CI runs:
                                         ruff (lint and format), import-linter's layer
                                         contracts, mypy (strict where pyproject.toml says)

Set-up creates `.venv` beside this file and installs the project with its pinned
dependencies (re-installing only when pyproject.toml changes). On Debian/Ubuntu it also
installs the system libraries Qt needs, when it can (root or sudo); otherwise it prints
the exact command to run.

The app needs Python 3.12 or newer: PySide6 6.12.0 miscounts references to True/False, which
crashes Python 3.11 after a few thousand signals (3.12 made those objects immortal). This
script may itself run on an older Python: it then looks for a newer one (python3.13/3.12 on
PATH, pyenv's versions, the Windows `py` launcher, or Debian/Ubuntu's python3.12 package).
"""

from __future__ import annotations

import ctypes.util
import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".setup-stamp"
IS_WINDOWS = os.name == "nt"
MIN_PYTHON = (3, 12)

# Debian package -> a shared library it provides (checked with ctypes.util.find_library).
QT_SYSTEM_LIBS = {
    "libglib2.0-0": "glib-2.0",
    "libgl1": "GL",
    "libegl1": "EGL",
    "libxkbcommon0": "xkbcommon",
    "libfontconfig1": "fontconfig",
    "libdbus-1-3": "dbus-1",
    "libxkbcommon-x11-0": "xkbcommon-x11",
    "libxcb-cursor0": "xcb-cursor",
    "libxcb-icccm4": "xcb-icccm",
    "libxcb-keysyms1": "xcb-keysyms",
    "libxcb-shape0": "xcb-shape",
}
FONT_PACKAGE = ("fonts-dejavu-core", Path("/usr/share/fonts/truetype/dejavu"))
# Debian package -> a command the test suite calls (PDF text, fonts and pages; QR codes).
TEST_TOOLS = {"poppler-utils": "pdfinfo", "zbar-tools": "zbarimg"}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if IS_WINDOWS else "bin/python")


def privileged_prefix() -> list[str] | None:
    """[] when root, ['sudo', '-n'] when passwordless sudo works, else None."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        ok = subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0
        if ok:
            return ["sudo", "-n"]
    return None


def apt_install(packages: list[str]) -> bool:
    """Install Debian packages when root or passwordless sudo allows; False (with the command
    to run printed) when it cannot."""
    if not packages:
        return True
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    prefix = privileged_prefix()
    if prefix is None or not shutil.which("apt-get"):
        print("System packages are missing. Please run:", file=sys.stderr)
        print("  sudo " + " ".join(command), file=sys.stderr)
        return False
    print("Installing system packages:", " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=False, env=env)
    return subprocess.run([*prefix, *command], env=env).returncode == 0


def ensure_system_packages(for_tests: bool = False) -> None:
    """Qt's libraries and a font (and, for the tests, the tools they call); stops with the
    command to run when they are missing and cannot be installed here."""
    if IS_WINDOWS or sys.platform == "darwin" or not shutil.which("dpkg"):
        return
    missing = [pkg for pkg, lib in QT_SYSTEM_LIBS.items() if ctypes.util.find_library(lib) is None]
    if not FONT_PACKAGE[1].exists():
        missing.append(FONT_PACKAGE[0])
    if for_tests:
        missing += [pkg for pkg, tool in TEST_TOOLS.items() if shutil.which(tool) is None]
    if not apt_install(missing):
        sys.exit("Install the packages above, then run this command again.")


def python_version(command: list[str]) -> tuple[int, int] | None:
    """(major, minor) of a Python interpreter that can make a venv, or None."""
    probe = "import sys, venv, ensurepip; print(*sys.version_info[:2])"
    try:
        done = subprocess.run([*command, "-c", probe], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    major, minor = done.stdout.split()
    return int(major), int(minor)


def candidate_pythons() -> list[list[str]]:
    found = [[sys.executable]]
    if IS_WINDOWS:
        found += [["py", f"-3.{minor}"] for minor in range(14, MIN_PYTHON[1] - 1, -1)]
    found += [[name] for name in ("python3.14", "python3.13", "python3.12") if shutil.which(name)]
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    for path in sorted(glob.glob(f"{pyenv_root}/versions/3.1[2-9]*/bin/python3"), reverse=True):
        found.append([path])
    return found


def os_release() -> dict[str, str]:
    try:
        lines = Path("/etc/os-release").read_text().splitlines()
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in lines if "=" in line)
    return {key: value.strip('"') for key, value in pairs}


def find_python() -> list[str]:
    """A Python >= MIN_PYTHON that can create a venv. On Debian/Ubuntu a missing venv module
    (python3-venv) or Python 3.12 is installed when possible; otherwise says what works."""
    for command in candidate_pythons():
        version = python_version(command)
        if version and version >= MIN_PYTHON:
            return command
    apt = shutil.which("apt-get") and not IS_WINDOWS
    bare = "import sys; print(*sys.version_info[:2])"
    for command in candidate_pythons():  # new enough, but without venv/ensurepip?
        done = subprocess.run([*command, "-c", bare], capture_output=True, text=True)
        if done.returncode == 0 and tuple(map(int, done.stdout.split())) >= MIN_PYTHON:
            minor = done.stdout.split()[1]
            if apt and apt_install([f"python3.{minor}-venv"]) and python_version(command):
                return command
            sys.exit(
                f"{' '.join(command)} is Python 3.{minor} but its venv module is missing: "
                f"install python3.{minor}-venv (sudo apt-get install python3.{minor}-venv) "
                "and run this command again."
            )
    release = os_release()
    if apt and release.get("ID") == "debian" and release.get("VERSION_ID", "99") < "13":
        sys.exit(
            f"Debian {release.get('VERSION_ID')} ships Python "
            f"{sys.version_info[0]}.{sys.version_info[1]}, and Loket DTKS needs 3.12 or newer "
            "(Debian has no python3.12 package for this release). Either upgrade to Debian 13, "
            "or install Python 3.12+ with pyenv (https://github.com/pyenv/pyenv: `pyenv install "
            "3.13`), then run this command again; dev.py finds pyenv's Pythons by itself."
        )
    if apt and apt_install(["python3.12", "python3.12-venv"]) and python_version(["python3.12"]):
        return ["python3.12"]
    sys.exit(
        "Loket DTKS needs Python 3.12 or newer, with its venv module. Install it (python.org, "
        "pyenv, or your distribution's python3.12 and python3.12-venv packages) and run this "
        "command again."
    )


def ensure_venv(for_tests: bool = False) -> Path:
    ensure_system_packages(for_tests)
    python = venv_python()
    if python.exists() and (python_version([str(python)]) or (0, 0)) < MIN_PYTHON:
        print("Re-creating .venv with a newer Python ...")
        shutil.rmtree(VENV)
    if not python.exists():
        interpreter = find_python()
        print(f"Creating .venv with {' '.join(interpreter)} ...")
        subprocess.run([*interpreter, "-m", "venv", "--clear", str(VENV)], check=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        print("Installing Loket DTKS and its dependencies into .venv ...")
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]"], check=True
        )
        STAMP.write_text(digest)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench", "setup", "package", "check"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = ensure_venv(for_tests=command in {"test", "setup"})
    if command == "setup":
        return 0
    if command == "run":
        return subprocess.call([str(python), "-m", "app", *rest], cwd=ROOT)
    if command == "package":  # one-folder build in dist/loket-dtks, then its self-test
        spec = ROOT / "packaging" / "loket-dtks.spec"
        if not IS_WINDOWS and shutil.which("dpkg") and not shutil.which("objdump"):
            apt_install(["binutils"])  # PyInstaller reads shared libraries with objdump
        build = [str(python), "-m", "PyInstaller", "--noconfirm", str(spec)]
        built = subprocess.call(build, cwd=ROOT)
        if built != 0:
            return built
        name = "loket-dtks.exe" if os.name == "nt" else "loket-dtks"
        frozen = ROOT / "dist" / "loket-dtks" / name
        return subprocess.call([str(frozen), "--self-test"], cwd=ROOT)
    if command == "check":  # the static checks, each in turn; the first failure stops
        tools = VENV / ("Scripts" if IS_WINDOWS else "bin")
        for check in (
            [str(tools / "ruff"), "check", "app", "tests", "bench", "tools"],
            [str(tools / "ruff"), "format", "--check", "app", "tests", "bench", "tools"],
            [str(tools / "lint-imports"), "--no-cache"],
            [str(python), "-m", "mypy"],
        ):
            print("$", " ".join(Path(check[0]).name if i == 0 else a for i, a in enumerate(check)))
            if subprocess.call(check, cwd=ROOT) != 0:
                return 1
        return 0
    if command == "bench":  # every bench/bench_*.py, then one table of figures and budgets
        return subprocess.call([str(python), str(ROOT / "bench" / "run_all.py"), *rest], cwd=ROOT)
    return subprocess.call([str(python), "-m", "pytest", *parallel(rest), *rest], cwd=ROOT)


def parallel(args: list[str]) -> list[str]:
    """pytest-xdist's options for a test run: one worker per core, taking tests from each
    other as they finish (the suite took 7.5 min on one core of a slow 2-core machine, 4.4 min
    on both; 4.9 min with each file on one worker); none when the arguments choose (-n, -p
    no:xdist)."""
    if any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist" for a in args):
        return []
    return ["-n", "auto", "--dist", "worksteal"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
