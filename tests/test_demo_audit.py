"""`demo` loads are audited naming the officer who loaded them (issue 15)."""

from __future__ import annotations

from conftest import ADMIN, ADMIN_PASSWORD, log_in_again, officer_named

from app.cli import main as cli
from app.db import audit
from app.paths import resolve_paths
from app.services import auth
from app.services.demo import load_demo


def demo_entries() -> list[audit.Entry]:
    return [e for e in audit.entries() if e.action == "demo.load"]


def test_the_demo_load_entry_names_the_officer(store):
    load_demo(5, seed=3, officer=officer_named("sri", "supervisor"))
    [entry] = demo_entries()
    assert entry.officer == "sri" and entry.detail["households"] == 5
    assert audit.verify()[1] is None


def test_demo_through_the_cli_names_the_logged_in_officer(store, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    auth.log_out()
    args = ["--home", str(store.home), "--user", ADMIN, "demo", "--households", "5"]
    assert cli.main(args) == 0
    capsys.readouterr()
    log_in_again(store)
    assert [e.officer for e in demo_entries()] == [ADMIN]


def test_demo_on_a_new_home_names_its_demo_admin(tmp_path, capsys):
    home = tmp_path / "demo-home"
    assert cli.main(["--home", str(home), "demo", "--households", "5"]) == 0
    password = capsys.readouterr().out.split("password: ")[1].split()[0]
    auth.log_in(resolve_paths(home=home), "demo-admin", password)
    try:
        assert [e.officer for e in demo_entries()] == ["demo-admin"]
    finally:
        auth.log_out()
