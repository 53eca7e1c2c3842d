"""What the About dialog says: the version and the licences of what a build bundles (issue 7).
One curated table (package metadata is incomplete for several of them); versions are read from
the installed packages, so they stay true when the pins change."""

from __future__ import annotations

from importlib import metadata

from app import APP_NAME, __version__

# (component, PyPI distribution or None, licence)
COMPONENTS = [
    ("Qt for Python (PySide6-Essentials, PySide6-Pdf)", "PySide6-Essentials", "LGPL-3.0"),
    ("SQLCipher / sqlcipher3", "sqlcipher3", "BSD-3-Clause (SQLCipher), zlib (sqlcipher3)"),
    ("peewee", "peewee", "MIT"),
    ("sqlite-utils", "sqlite-utils", "Apache-2.0"),
    ("cryptography", "cryptography", "Apache-2.0 OR BSD-3-Clause"),
    ("argon2-cffi", "argon2-cffi", "MIT"),
    ("pyrage (age)", "pyrage", "Apache-2.0"),
    ("zstandard", "zstandard", "BSD-3-Clause"),
    ("ReportLab", "reportlab", "BSD-3-Clause"),
    ("segno (QR codes)", "segno", "BSD-3-Clause"),
    ("orjson", "orjson", "Apache-2.0 OR MIT"),
    ("jsonschema-rs", "jsonschema-rs", "MIT"),
    ("uuid-utils", "uuid-utils", "BSD-3-Clause"),
    ("platformdirs", "platformdirs", "MIT"),
    ("Faker (demo data)", "Faker", "MIT"),
    ("zxcvbn (password strength)", "zxcvbn", "MIT"),
    ("Pillow (photos)", "pillow", "MIT-CMU"),
    ("DejaVu fonts", None, "Bitstream Vera / Arev licence (resources/fonts/LICENSE)"),
    ("Region codes (cahyadsn/wilayah)", None, "MIT (resources/regions/README.md)"),
]


def version_of(distribution: str | None) -> str:
    if distribution is None:
        return ""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # a frozen build without dist-info
        return ""


def components() -> list[tuple[str, str, str]]:
    """[(component, version, licence)] for the About dialog."""
    return [(name, version_of(dist), licence) for name, dist, licence in COMPONENTS]


def title() -> str:
    return f"{APP_NAME} {__version__}"
