#!/usr/bin/env python3
"""One-step set-up and launcher for Loket DTKS (stdlib only, Linux and Windows).

    python3 dev.py run  [app args...]   set up if needed, then open the app
    python3 dev.py test [pytest args...] set up if needed, then run the whole test suite
    python3 dev.py bench                 set up if needed, then run every bench/bench_*.py

Set-up creates `.venv` beside this file and installs the project with its pinned
dependencies (re-installing only when pyproject.toml changes). On Debian/Ubuntu it also
installs the system libraries Qt needs, when it can (root or sudo); otherwise it prints
the exact command to run.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".setup-stamp"
IS_WINDOWS = os.name == "nt"

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


def apt_install(packages: list[str]) -> None:
    if not packages:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    prefix = privileged_prefix()
    if prefix is None or not shutil.which("apt-get"):
        print("Qt needs system libraries that are missing. Please run:", file=sys.stderr)
        print("  sudo " + " ".join(command), file=sys.stderr)
        return
    print("Installing system packages:", " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run([*prefix, *command], check=True, env=env)


def ensure_system_packages() -> None:
    if IS_WINDOWS or sys.platform == "darwin" or not shutil.which("dpkg"):
        return
    missing = [pkg for pkg, lib in QT_SYSTEM_LIBS.items() if ctypes.util.find_library(lib) is None]
    if not FONT_PACKAGE[1].exists():
        missing.append(FONT_PACKAGE[0])
    try:
        import ensurepip  # noqa: F401  (Debian splits venv/ensurepip into python3-venv)
    except ImportError:
        major, minor = sys.version_info[:2]
        missing.append(f"python{major}.{minor}-venv")
    apt_install(missing)


def ensure_venv() -> Path:
    ensure_system_packages()
    python = venv_python()
    if not python.exists():
        print("Creating .venv ...")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
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
    if not argv or argv[0] not in {"run", "test", "bench", "setup"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    python = ensure_venv()
    if command == "setup":
        return 0
    if command == "run":
        return subprocess.call([str(python), "-m", "app", *rest], cwd=ROOT)
    if command == "bench":
        failures = 0
        for script in sorted((ROOT / "bench").glob("bench_*.py")):
            print(f"== {script.name}", flush=True)
            failures += subprocess.call([str(python), str(script), *rest], cwd=ROOT) != 0
        return 1 if failures else 0
    return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
