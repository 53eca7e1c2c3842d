"""Sync keys and trusted peers (issue 6, first slice): each installation makes its keys on first
use inside the encrypted database, exports a public key file, and trusts a peer's file only
after its fingerprint was compared, as a supervisor."""

from __future__ import annotations

import pytest
from conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    FAST_KDF,
    OFFICER_PASSWORD,
    log_in_again,
    set_up_home,
)

from app.bundle.keys import KeyFileError, fingerprint, from_file, to_file
from app.cli.main import main
from app.core.errors import UserError
from app.paths import resolve_paths
from app.services import auth
from app.services.sync import keys as service


@pytest.fixture(autouse=True)
def admin_password(monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)


def test_keys_are_made_once_and_the_private_part_stays_in_the_database(store):
    first = service.own_public_key()
    assert service.own_public_key() == first  # made on first use, then kept
    auth.log_out()
    for path in store.home.rglob("*"):
        if path.is_file():
            assert b"AGE-SECRET-KEY" not in path.read_bytes(), path.name
    log_in_again(store)
    assert service.own_public_key() == first


def test_two_installations_exchange_keys_through_the_cli(tmp_path, capsys):
    kelurahan = resolve_paths(home=tmp_path / "kelurahan")
    dinsos = resolve_paths(home=tmp_path / "dinsos")
    set_up_home(dinsos)
    auth.log_out()
    set_up_home(kelurahan)
    auth.log_out()
    key_file = tmp_path / "dinsos.pub.json"

    dinsos_cli = ["--home", str(dinsos.home), "--user", ADMIN]
    assert main([*dinsos_cli, "keys", "export", "--out", str(key_file)]) == 0
    shown = capsys.readouterr().out.split("fingerprint ")[1].strip()

    kelurahan_cli = ["--home", str(kelurahan.home), "--user", ADMIN]
    trust = [*kelurahan_cli, "keys", "trust", str(key_file), "--name", "Dinsos DKI"]
    trust += ["--as", "dinsos"]
    assert main(trust) == 1  # not compared yet (no terminal to ask)
    assert "run again with --yes" in capsys.readouterr().err
    assert main([*trust, "--yes"]) == 0
    assert shown in capsys.readouterr().out  # the same fingerprint on both sides
    assert main([*trust, "--yes"]) == 1
    assert "sudah dipercaya sebagai Dinsos DKI" in capsys.readouterr().err

    assert main([*kelurahan_cli, "keys", "show"]) == 0
    listed = capsys.readouterr().out
    assert "trusted: Dinsos DKI" in listed and shown in listed


def test_only_a_supervisor_trusts_and_bad_key_files_are_refused(store, admin, tmp_path):
    petugas = auth.create_officer("budi", "Budi", "petugas", OFFICER_PASSWORD, admin, FAST_KDF)
    peer = from_file(to_file(service.own_public_key()))
    other = peer.__class__(**{**peer.__dict__, "signing_key": "ab" * 32})
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        service.trust_peer(other, "Dinsos", petugas)
    with pytest.raises(UserError, match="loket ini sendiri"):
        service.trust_peer(peer, "Saya", admin)
    assert fingerprint(other) != fingerprint(peer)
    for data, says in [
        (b"not json", "not JSON"),
        (b'{"format": "other"}', "format"),
        (b'{"format": "loket-dtks-public-key/1"}', "lacks"),
        (to_file(peer).replace(peer.age_recipient.encode(), b"age1broken"), "malformed"),
    ]:
        with pytest.raises(KeyFileError, match=says):
            from_file(data)
