"""`check FILE.json`: the JSON verdict and the contract's exit codes (DESIGN §10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.households import complete

from app.cli.main import main
from app.core import document

ROOT = Path(__file__).resolve().parent.parent


def household(**changes):
    doc = document.new_household("31.74.01.1001", no_kk="3174012304150007")
    doc["members"] = [document.new_member(nik="3174016705800004", name="Nur Hasanah", sex=2,
                                          birth_date="1980-05-27", relationship=1)]  # fmt: skip
    complete(doc)
    for path, value in changes.items():
        section, _, key = path.rpartition("__")
        (doc[section] if section else doc)[key] = value
    return doc


def check(tmp_path, capsys, content) -> tuple[int, dict | None, str]:
    path = tmp_path / "household.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    code = main(["--home", str(tmp_path / "home"), "check", str(path)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def test_proposable_household_exits_0(tmp_path, capsys):
    code, result, _ = check(tmp_path, capsys, household())
    assert code == 0
    assert result["rule_set"] == "fmotm-dki-2021" and result["proposable"] is True
    assert not (tmp_path / "home").exists()  # check reads and writes no stored data


def test_exclusion_exits_1_even_with_errors(tmp_path, capsys):
    code, result, _ = check(tmp_path, capsys, household(assets__car=True, no_kk="123"))
    assert code == 1 and result["proposable"] is False
    kinds = {(f["rule"], f["kind"]) for f in result["findings"]}
    assert {("car", "exclusion"), ("no_kk_format", "error")} <= kinds
    [car] = [f for f in result["findings"] if f["rule"] == "car"]
    assert set(car) == {"rule", "kind", "message", "fields", "source"}
    assert car["fields"] == ["assets.car"]


def test_errors_without_exclusion_exit_3(tmp_path, capsys):
    code, result, _ = check(tmp_path, capsys, household(no_kk="123"))
    assert code == 3 and result["proposable"] is False  # true only with exit 0


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not valid JSON"),
        ({"household_id": "x"}, "invalid household document"),
        ("[1, 2]", "expected a JSON object"),
        ({**household(), "schema_version": 3}, "schema_version 3"),
    ],
)
def test_unreadable_documents_exit_2_with_one_line(tmp_path, capsys, content, says):
    code, result, err = check(tmp_path, capsys, content)
    assert code == 2 and result is None
    assert says in err and err.count("\n") == 1 and "Traceback" not in err


def test_check_as_a_subprocess(tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(household(housing__drinking_water=1)))
    env = dict(os.environ, LOKET_HOME=str(tmp_path))
    command = [sys.executable, "-m", "app", "check", str(path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["bottled_water"]
