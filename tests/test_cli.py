"""The command line end to end (DESIGN §10): `python -m app --home TMP ...` in a subprocess.

Subprocesses cost ~0.3 s each, so the happy path is one scenario and the error paths share one
populated home; `--help` of every command runs in-process (it must not touch the database).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, set_up_home
from helpers.households import complete

from app.cli import main as cli
from app.core import document
from app.paths import resolve_paths
from app.services import auth, households

VILLAGE = "31.74.01.1001"
ROOT = Path(__file__).resolve().parent.parent


def run(home: Path, *args: str, stdin: bytes | None = None, python_flags=(), login=True):
    """`python -m app --home HOME [--user admin] ARGS`, the admin's password in LOKET_PASSWORD
    (unless the test set another)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LOKET_HOME", "LOKET_DB")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    user = ("--user", ADMIN) if login else ()
    env.setdefault("LOKET_PASSWORD", ADMIN_PASSWORD)
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "app", "--home", str(home), *user, *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def out(result) -> str:
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    return result.stdout.decode()


def make_document(**values) -> dict:
    doc = document.new_household(
        VILLAGE, no_kk="3174010101260001", rw=3, rt=7, address="Jl. Tebet Barat Dalam II No. 7"
    )
    doc["members"] = [
        document.new_member(nik="3174015708850003", name="Dewi Ma'ruf", sex=2, relationship=1),
        document.new_member(nik="3174011203100001", name="Budi Santoso", sex=1, relationship=3),
    ]
    doc.update(values)
    return document.validate(complete(doc))


def write(path: Path, doc) -> Path:
    path.write_bytes(orjson.dumps(doc))
    return path


# --- the happy path ----------------------------------------------------------------------


def test_set_up_a_home_add_update_show_and_list(tmp_path):
    home = tmp_path / "home"
    fresh = run(home, "kelurahan", "show")
    assert fresh.returncode == 1
    assert fresh.stderr.decode().startswith(f"error: {home} is not set up: run `python -m app init")

    set_up = run(home, "init", "--kelurahan", VILLAGE, "--admin", ADMIN, login=False)
    recovery = out(set_up).split("recovery key: ")[1].split()[0]
    assert len(recovery) == 39 and recovery.count("-") == 7  # 8 groups of 4 for the paper
    assert "Tebet Timur" in out(run(home, "kelurahan", "set", VILLAGE))
    assert out(run(home, "kelurahan", "show")).startswith(f"{VILLAGE}  Tebet Timur, Kec. Tebet")

    doc = make_document()
    hid = doc["household_id"]
    assert out(run(home, "household", "add", str(write(tmp_path / "a.json", doc)))) == (
        f"added {hid}\n"
    )

    # update by household_id: the first member removed, a member added, names changed
    budi = {**doc["members"][1], "name": 'Budi "Ucok" Santoso'}
    rina = document.new_member(nik="3174014505150002", name="Rina Ma'ruf", sex=2)
    changed = {**doc, "members": [rina, budi], "rw": 4}
    assert out(run(home, "household", "add", "-", stdin=orjson.dumps(changed))) == (
        f"updated {hid}\n"
    )

    shown = orjson.loads(out(run(home, "household", "show", hid)))
    assert shown["rev"].startswith("2-") and len(shown["revs"]) == 2
    ignore = {"rev", "revs", "updated_at"}
    assert {k: v for k, v in shown.items() if k not in ignore} == {
        k: v for k, v in changed.items() if k not in ignore
    }

    table = out(run(home, "household", "list")).splitlines()
    assert table[0].split()[:3] == ["ID", "REG.", "NUMBER"]
    assert len(table) == 2
    assert hid in table[1]
    assert "3174********0002" in table[1]  # head (first member: no relationship 1 left)
    assert "Rina Ma'ruf" in table[1]
    assert "4/7" in table[1]
    assert "3174014505150002" not in table[1]

    [row] = orjson.loads(out(run(home, "household", "list", "--json", "--search", "Ucok")))
    assert row["household_id"] == hid
    assert row["member_count"] == 2
    assert row["head_name"] == "Rina Ma'ruf"
    assert set(row) >= {"registration_number", "no_kk", "rw", "rt", "status", "head_nik"}


def test_kelurahan_list_search(tmp_path):
    lines = out(run(tmp_path, "kelurahan", "list", "--search", "manggarai")).splitlines()
    assert lines == [
        "31.74.01.1006  Manggarai Selatan, Kec. Tebet, Kota Administrasi Jakarta Selatan",
        "31.74.01.1007  Manggarai, Kec. Tebet, Kota Administrasi Jakarta Selatan",
    ]


def test_help_runs_without_qt_or_database(tmp_path, populated):
    result = run(tmp_path, "--help")
    text = out(result)
    for command in ("gui", "household", "kelurahan", "demo"):
        assert command in text
    assert not (tmp_path / "loket.db").exists()

    # a command imports neither Qt nor anything of the UI
    home, _ = populated
    listed = run(home, "household", "list", python_flags=("-X", "importtime"))
    assert listed.returncode == 0, listed.stderr.decode()
    imported = listed.stderr.decode()
    assert "app.cli.household" in imported
    assert "PySide6" not in imported and "app.ui" not in imported


def test_demo_then_list(tmp_path, monkeypatch):
    result = run(tmp_path, "demo", "--households", "30", "--seed", "1")
    assert result.returncode == 0, result.stderr.decode()
    summary = result.stdout.decode()
    # a new home gets a demo admin, whose password is printed once
    [credentials] = [line for line in summary.splitlines() if line.startswith("demo admin:")]
    password = credentials.split("password: ")[1].split()[0]
    refused = run(tmp_path, "household", "list", login=False)
    assert refused.returncode == 1 and b"needs a login" in refused.stderr
    monkeypatch.setenv("LOKET_PASSWORD", password)
    demo_admin = ("--user", "demo-admin")
    listed = run(tmp_path, *demo_admin, "household", "list", "--json", login=False)
    rows = orjson.loads(out(listed))
    assert len(rows) == 30
    assert all(row["member_count"] >= 1 for row in rows)
    assert any(row["registration_number"] for row in rows)
    chosen = run(tmp_path, *demo_admin, "kelurahan", "show", login=False)  # it chose one
    assert out(chosen).startswith("31.74.01.1001")


# --- errors: one line on stderr, non-zero exit, nothing written ---------------------------


@pytest.fixture(scope="module")
def populated(tmp_path_factory):
    """A home with its kelurahan and one registered household, made in-process."""
    root = tmp_path_factory.mktemp("populated")
    paths = resolve_paths(home=root / "home")
    set_up_home(paths, VILLAGE)
    stored = households.save_household(make_document(), final=True, officer=ADMIN_OFFICER)
    auth.log_out()
    return paths.home, stored


def snapshot(home: Path) -> tuple:
    """What the home holds, apart from the audit log (each login is audited): households with
    their revisions, and the files beside the database."""
    auth.log_in(resolve_paths(home=home), ADMIN, ADMIN_PASSWORD)
    try:
        stored = [
            (row.id, households.load_household(row.id)["rev"])
            for row in households.household_page()
        ]
    finally:
        auth.log_out()
    return stored, sorted(p.name for p in home.iterdir())


def newer_version(doc):
    return {**doc, "schema_version": document.SCHEMA_VERSION + 1, "new_thing": 1}


def bad_code(doc):
    doc = document.clone(doc)
    doc["members"][0]["sex"] = 3
    return doc


def taken_number(stored):
    """A new household, of another family, that reuses the stored household's registration
    number (the same family would be refused as a duplicate first, issue 14)."""
    other = document.new_member(nik="3174014101900002", name="Siti Aminah", sex=2, relationship=1)
    return make_document(registration_number=stored["registration_number"],
                         no_kk="3174010101260002", members=[other])  # fmt: skip


ERROR_CASES = {
    "missing file": (["household", "add", "{tmp}/missing.json"], 2, "cannot read"),
    "directory": (["household", "add", "{tmp}"], 2, "cannot read"),
    "not JSON": (["household", "add", "{tmp}/text.json"], 2, "not valid JSON"),
    "wrong shape": (["household", "add", "{tmp}/array.json"], 2, "expected a JSON object"),
    "missing keys": (["household", "add", "{tmp}/partial.json"], 2, "is a required property"),
    "newer schema": (["household", "add", "{tmp}/newer.json"], 2, "schema_version 3"),
    "unknown code": (["household", "add", "{tmp}/code.json"], 2, "sex: 3 is not one of"),
    "conflict": (["household", "add", "{tmp}/taken.json"], 1, "conflicts with a stored"),
    "unknown id": (["household", "show", "0190-nope"], 1, "0190-nope"),
    "unknown kelurahan": (["kelurahan", "set", "31.74.01.9999"], 1, "31.74.01.9999"),
    "bad option": (["household", "list", "--limit", "0"], 2, "--limit: must be at least 1"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_errors(populated, tmp_path, case):
    home, stored = populated
    (tmp_path / "text.json").write_text("schema_version: 1\n")
    write(tmp_path / "array.json", [make_document()])
    write(tmp_path / "partial.json", {"schema_version": 1, "household_id": stored["household_id"]})
    write(tmp_path / "newer.json", newer_version(make_document()))
    write(tmp_path / "code.json", bad_code(stored))
    write(tmp_path / "taken.json", taken_number(stored))
    args, exit_code, message = ERROR_CASES[case]
    before = snapshot(home)

    result = run(home, *(a.format(tmp=tmp_path) for a in args))

    stderr = result.stderr.decode()
    assert result.returncode == exit_code, stderr
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
    assert message in stderr
    assert "Traceback" not in stderr
    assert result.stdout == b""
    assert snapshot(home) == before
    assert len(before[0]) == 1


# --- in-process: every command's --help, the global options ------------------------------


def commands(parser: argparse.ArgumentParser, prefix=()):
    """(command words, parser) for every command and sub-command, found by walking argparse."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name), sub
                yield from commands(sub, (*prefix, name))


ALL_COMMANDS = [words for words, _ in commands(cli.build_parser())]


def test_every_command_is_known():
    assert {" ".join(words) for words in ALL_COMMANDS} >= {
        "gui", "household", "household add", "household show", "household list",
        "kelurahan", "kelurahan list", "kelurahan set", "kelurahan show", "demo",
    }  # fmt: skip


@pytest.mark.parametrize("words", [(), *ALL_COMMANDS], ids=lambda w: " ".join(w) or "app")
def test_help(tmp_path, capsys, words):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--home", str(tmp_path), *words, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: python -m app {' '.join(words)}".rstrip())
    description = text.split("\n\n")[1].strip()  # the one-line summary after the usage
    assert description and not description.startswith(("options:", "positional"))
    assert list(tmp_path.iterdir()) == []  # --help creates nothing


def test_db_option_wins_over_home(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_DB", str(tmp_path / "env.db"))
    db = tmp_path / "elsewhere" / "data.db"
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    home = tmp_path / "home"
    set_up = ["--home", str(home), "--db", str(db), "init", "--kelurahan", VILLAGE]
    assert cli.main([*set_up, "--admin", ADMIN]) == 0
    assert db.exists() and Path(f"{db}.keys").exists()  # the key file lives beside it
    assert not (home / "loket.db").exists()
    assert not (tmp_path / "env.db").exists()
    assert cli.main(["--db", str(db), "--user", ADMIN, "kelurahan", "show"]) == 0
    assert capsys.readouterr().out.count("Tebet Timur") == 2


def test_household_list_shows_a_name_without_its_control_characters(store, capsys, monkeypatch):
    """A name a peer's bundle brought may hold an escape sequence: the table shows the name,
    never the sequence that would rewrite the officer's terminal."""
    doc = make_document()
    doc["members"][0]["name"] = "Siti\x1b[2J\x1b[31m Aminah\x07"
    households.save_household(doc, final=False, officer=ADMIN_OFFICER)
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    assert cli.main(["--home", str(store.home), "--user", ADMIN, "household", "list"]) == 0
    table = capsys.readouterr().out
    assert "\x1b" not in table and "\x07" not in table
    assert "Siti[2J[31m Aminah" in table


def test_a_timeline_line_shows_a_senders_words_without_control_characters(capsys):
    """`status`: a reason or a peer's name a bundle brought is shown without the escape
    sequence it may hold."""
    from app.cli.status import print_entries
    from app.core.timeline import Entry
    from app.services.timeline import Timeline

    step = Entry("2026-11-12", "Ditetapkan", "alasan\x1b[2K rusak", "Dinsos\x1b]0;x\x07", "set",
                 received="2026-11-13")  # fmt: skip
    print_entries(Timeline("h", None, "Ditetapkan", [step], None))
    line = capsys.readouterr().out
    assert "\x1b" not in line and "\x07" not in line
    assert (
        line == "2026-11-12  Ditetapkan  dari Dinsos]0;x, diterima 2026-11-13  (alasan[2K rusak)\n"
    )
