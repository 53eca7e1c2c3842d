"""`bundle export|import|inspect|ack|status` (issue 6): what a supervisor or a Dinsos script
runs, with clear errors and exit codes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from conftest import ADMIN, ADMIN_PASSWORD
from sync_support import Installation, exchange, register

from app.cli.main import main


@pytest.fixture(autouse=True)
def password(monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)


def cli(inst: Installation, *args: str) -> int:
    return main(["--home", str(inst.paths.home), "--user", ADMIN, "bundle", *args])


def test_a_script_exports_imports_many_bundles_and_acknowledges(tmp_path, capsys):
    laptops = [Installation(tmp_path, f"laptop{i}") for i in range(3)]
    kelurahan = Installation(tmp_path, "kelurahan")
    exchange(*((laptop, kelurahan) for laptop in laptops))
    files = []
    for i, laptop in enumerate(laptops):
        with laptop:
            register(f"Warga {i}")
        out = tmp_path / f"laptop{i}.bundle"
        assert cli(laptop, "export", "--to", "kelurahan", "--out", str(out)) == 0
        assert "bundle 1 to kelurahan (incremental), 1 records" in capsys.readouterr().out
        files.append(str(out))

    assert cli(kelurahan, "import", "--dry-run", *files) == 0
    assert capsys.readouterr().out.count("would import households bundle 1") == 3
    assert cli(kelurahan, "import", *files) == 0
    out = capsys.readouterr().out
    assert out.count("1 new") == 3 and "3 of 3 bundle files taken in, 0 refused" in out
    assert cli(kelurahan, "import", files[0]) == 0
    assert "already imported" in capsys.readouterr().out

    broken = tmp_path / "broken.bundle"
    broken.write_bytes(Path(files[1]).read_bytes()[:-100])
    assert cli(kelurahan, "import", files[2], str(broken)) == 1
    captured = capsys.readouterr()
    assert "refused, nothing changed" in captured.err and "broken.bundle" in captured.err
    assert "1 of 2 bundle files taken in, 1 refused" in captured.out

    ack = tmp_path / "ack.bundle"
    assert cli(kelurahan, "ack", "--to", "laptop0", "--out", str(ack)) == 0
    capsys.readouterr()
    assert cli(laptops[0], "import", str(ack)) == 0
    assert "imported ack bundle" in capsys.readouterr().out
    assert cli(laptops[0], "status") == 0
    assert "unacknowledged: 0" in capsys.readouterr().out


def test_inspect_shows_the_manifest_and_errors_are_one_line(tmp_path, capsys):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    out = tmp_path / "a.bundle"
    assert cli(laptop, "export", "--to", "kelurahan", "--out", str(out), "--full") == 0
    capsys.readouterr()
    assert cli(kelurahan, "inspect", str(out)) == 0
    shown = orjson.loads(capsys.readouterr().out)
    assert shown["signature"] == "valid, signed by laptop"
    assert shown["manifest"]["full"] is True and shown["manifest"]["sequence"] == 1

    assert cli(laptop, "export", "--to", "Dinsos", "--out", str(out)) == 1
    assert "no trusted peer named 'Dinsos'" in capsys.readouterr().err
    assert cli(kelurahan, "inspect", str(tmp_path / "none.bundle")) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    with pytest.raises(SystemExit) as exited:
        cli(kelurahan, "import")  # a file is required
    assert exited.value.code == 2
