"""`officer deactivate` and `officer rekey` through the CLI (issue 15): they call the services
that check the role, re-key the database and print the new recovery key; a refusal changes
nothing."""

from __future__ import annotations

import pytest
from conftest import ADMIN, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD, log_in_again

from app.cli.main import main
from app.db import audit, keystore
from app.db.connection import current_key
from app.services import auth


@pytest.fixture
def team(store, admin, monkeypatch):
    """The admin, supervisor sri and petugas budi; logged out, ready for the CLI."""
    auth.create_officer("sri", "Sri Lestari", "supervisor", OFFICER_PASSWORD, admin, FAST_KDF)
    auth.create_officer("budi", "Budi Santoso", "petugas", OFFICER_PASSWORD, admin, FAST_KDF)
    auth.log_out()
    return store


def run(store, monkeypatch, user: str, password: str, *args: str) -> int:
    monkeypatch.setenv("LOKET_PASSWORD", password)
    try:
        return main(["--home", str(store.home), "--user", user, "officer", *args])
    finally:
        auth.log_out()


def state(store) -> tuple[bytes, bytes, list[tuple[str, bool]]]:
    """The database key, the key file's bytes and who is active."""
    log_in_again(store)
    try:
        accounts = [(o.username, active) for o, active in auth.officer_accounts()]
        return current_key(), keystore.key_file_path(store.db).read_bytes(), accounts
    finally:
        auth.log_out()


def recovery_printed(out: str) -> str:
    return out.split("recovery key: ")[1].split()[0]


def test_a_supervisor_deactivates_a_petugas_and_the_database_is_rekeyed(team, monkeypatch, capsys):
    key_before, _file, _accounts = state(team)
    assert run(team, monkeypatch, "sri", OFFICER_PASSWORD, "deactivate", "budi") == 0
    out = capsys.readouterr().out
    assert "budi can no longer log in" in out and "old recovery key" in out
    key_after, _file, accounts = state(team)
    assert key_after != key_before and ("budi", False) in accounts
    assert keystore.key_from_recovery(recovery_printed(out)) == key_after
    with pytest.raises(auth.AuthError, match=auth.WRONG_LOGIN):
        auth.log_in(team, "budi", OFFICER_PASSWORD)
    log_in_again(team)
    closing = [e for e in audit.entries() if e.action in ("officer.deactivate", "database.rekey")]
    assert [(e.action, e.officer) for e in closing] == [
        ("officer.deactivate", "sri"),
        ("database.rekey", "sri"),
    ]
    auth.log_out()


@pytest.mark.parametrize(
    ("user", "args", "says"),
    [
        ("budi", ("deactivate", "sri"), "tidak berwenang"),  # a petugas manages nobody
        ("sri", ("deactivate", "sri"), "sendiri"),  # nobody closes their own account
        ("sri", ("deactivate", "nobody"), "tidak ada"),
        ("sri", ("rekey",), "tidak berwenang"),  # re-keying is the admin's
        ("budi", ("rekey",), "tidak berwenang"),
    ],
)
def test_refusals_change_nothing(team, monkeypatch, capsys, user, args, says):
    before = state(team)
    assert run(team, monkeypatch, user, OFFICER_PASSWORD, *args) != 0
    captured = capsys.readouterr()
    assert says in captured.err and len(captured.err.strip().splitlines()) == 1
    assert "recovery key" not in captured.out
    assert state(team) == before


def test_the_admin_rekeys_and_every_officer_logs_in_as_before(team, monkeypatch, capsys):
    key_before, _file, accounts_before = state(team)
    assert run(team, monkeypatch, ADMIN, ADMIN_PASSWORD, "rekey") == 0
    out = capsys.readouterr().out
    key_after, _file, accounts_after = state(team)
    assert key_after != key_before and accounts_after == accounts_before
    assert keystore.key_from_recovery(recovery_printed(out)) == key_after
    for user in ("sri", "budi"):
        assert auth.log_in(team, user, OFFICER_PASSWORD).username == user
        auth.log_out()
