"""Untrusted strings reach a terminal or a label only as plain text (issue 15): escape codes in
a key file's name cannot print a fake fingerprint over the real one."""

from __future__ import annotations

import orjson
from conftest import ADMIN, ADMIN_PASSWORD

from app.bundle.keys import fingerprint, from_file, new_identity, public_of, to_file
from app.cli.main import main
from app.core.text import printable

FAKE = "\x1b[2K\rfingerprint: AAAA-BBBB-CCCC \u202etxt.exe"


def test_printable_drops_controls_and_bidi_overrides_and_bounds_length():
    assert printable("Dinsos\x1b[31m DKI\u202e\n") == "Dinsos[31m DKI"
    assert printable("x" * 500, limit=10) == "x" * 9 + "…"
    assert printable("Kelurahan Tebet Timur") == "Kelurahan Tebet Timur"


def test_a_key_files_name_cannot_rewrite_the_terminal(store, tmp_path, monkeypatch, capsys):
    key = public_of(new_identity(), "device-x", "31.74.01.1001", FAKE)
    raw = orjson.loads(to_file(key))
    assert FAKE in raw["name"]  # the hostile file as it arrives
    parsed = from_file(to_file(key))
    assert "\x1b" not in parsed.name and "\u202e" not in parsed.name
    assert fingerprint(parsed) == fingerprint(key)  # the keys are what the print is about

    path = tmp_path / "impostor.json"
    path.write_bytes(to_file(key))
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    code = main(["--home", str(store.home), "--user", ADMIN, "keys", "trust", str(path),
                 "--name", "mitra\x1b[1A", "--as", "laptop", "--yes"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert fingerprint(key) in out
