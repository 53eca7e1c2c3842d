"""Personal signatures against an insider (issue 15): each officer has an Ed25519 key that only
their password opens; the officer table is signed by an officer who may manage officers, so a
role or account flag edited with a plain SQLite tool is refused at login; decisions that need a
role carry the deciding officer's signature, which `audit decisions --verify` checks.

Every attack is made on the real encrypted database through a separate SQLCipher connection
with the database key (what any officer's password yields), then tried through the service
and the CLI.
"""

from __future__ import annotations

import json

import pytest
from conftest import ADMIN, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD, log_in_again
from test_overrides import REASON, REFERENCE, excluded_household

from app.cli.main import main
from app.core import signatures
from app.db import audit, keystore
from app.db.connection import close_db, connect_file, current_key, sqlcipher_key
from app.services import auth, households, overrides, roster, signing


def raw_sql(paths, *statements: tuple[str, tuple]) -> None:
    """Edit the database as an insider with the key would: another connection, plain SQL."""
    key = current_key()
    auth.log_out()
    close_db()
    conn = connect_file(paths.db, sqlcipher_key(key))
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def actions() -> list[str]:
    return [e.action for e in audit.entries()]


@pytest.fixture
def team(store, admin):
    make = auth.create_officer
    budi = make("budi", "Budi Santoso", "petugas", OFFICER_PASSWORD, admin, FAST_KDF)
    ani = make("ani", "Ani Wijaya", "supervisor", OFFICER_PASSWORD, admin, FAST_KDF)
    return {"budi": budi, "ani": ani}


def test_the_officer_table_is_signed_by_the_admin_and_logins_pass(store, team):
    state = roster.state()
    assert state.status == "signed" and state.signer == ADMIN and state.edited == []
    assert set(state.signed) == {ADMIN, "budi", "ani"}
    assert state.signed["budi"].role == "petugas"
    auth.log_out()
    assert auth.log_in(store, "budi", OFFICER_PASSWORD) == team["budi"]


def test_a_role_edited_with_sql_is_refused_at_login_and_put_back_by_the_admin(
    store, team, capsys, monkeypatch
):
    monkeypatch.setenv("LOKET_PASSWORD", OFFICER_PASSWORD)
    raw_sql(store, ("UPDATE officer SET role = 'admin' WHERE username = ?", ("budi",)))
    with pytest.raises(auth.AuthError, match="diubah di luar aplikasi") as refused:
        auth.log_in(store, "budi", OFFICER_PASSWORD)
    assert "\n" not in str(refused.value)
    assert main(["--home", str(store.home), "--user", "budi", "audit", "verify"]) != 0
    assert "differs from the signed table" in capsys.readouterr().err

    log_in_again(store)  # the admin's login puts the row back as signed, audited
    entries = audit.entries()
    invalid = [e for e in entries if e.action == "officer.roster_invalid"]
    assert [e.officer for e in invalid][:2] == ["budi", "budi"]
    assert invalid[0].detail["edited"] == ["budi"]
    assert "officer.roster_restore" in actions()
    assert roster.state().edited == []
    auth.log_out()
    assert auth.log_in(store, "budi", OFFICER_PASSWORD).role == "petugas"


def test_an_account_closed_with_sql_says_so_instead_of_a_wrong_password(store, team):
    raw_sql(store, ("UPDATE officer SET active = 0 WHERE username = ?", ("ani",)))
    with pytest.raises(auth.AuthError, match="diubah di luar aplikasi"):
        auth.log_in(store, "ani", OFFICER_PASSWORD)


def test_an_officer_inserted_with_sql_cannot_log_in(store, team):
    """With a key file entry of their own holding the real database key, even."""
    keystore.wrap_for(store.db, "mallory", OFFICER_PASSWORD, current_key(), FAST_KDF)
    raw_sql(
        store,
        ("INSERT INTO officer (username, full_name, role, created_at) VALUES (?, ?, ?, ?)",
         ("mallory", "Mallory", "admin", "2026-01-01")),
    )  # fmt: skip
    with pytest.raises(auth.AuthError, match="diubah di luar aplikasi"):
        auth.log_in(store, "mallory", OFFICER_PASSWORD)
    log_in_again(store)  # the admin's login closes the row the signed table does not have
    assert [(o.username, active) for o, active in auth.officer_accounts()
            if o.username == "mallory"] == [("mallory", False)]  # fmt: skip
    auth.log_out()
    with pytest.raises(auth.AuthError, match=auth.WRONG_LOGIN):
        auth.log_in(store, "mallory", OFFICER_PASSWORD)


def test_a_signed_table_edited_along_with_the_table_refuses_every_login(store, team):
    log_in_again(store)
    text = roster_text()
    forged = text.replace('"role":"petugas"', '"role":"admin"')
    assert forged != text
    raw_sql(
        store,
        ("UPDATE officer SET role = 'admin' WHERE username = ?", ("budi",)),
        ("UPDATE officer_roster SET payload = ?", (forged,)),
    )
    for name, password in (("budi", OFFICER_PASSWORD), (ADMIN, ADMIN_PASSWORD)):
        with pytest.raises(auth.AuthError, match="tanda tangannya tidak cocok"):
            auth.log_in(store, name, password)


def test_a_removed_signature_refuses_every_login(store, team):
    raw_sql(
        store,
        ("DELETE FROM officer_roster", ()),
        ("UPDATE officer SET role = 'admin' WHERE username = ?", ("budi",)),
    )
    with pytest.raises(auth.AuthError, match="tanda tangannya tidak cocok"):
        auth.log_in(store, "budi", OFFICER_PASSWORD)


def roster_text() -> str:
    from app.db import signatures as stored

    signed = stored.roster()
    assert signed is not None
    return signed.text


# --- decisions -------------------------------------------------------------------------------


def test_an_override_is_signed_by_the_supervisor_and_a_tampered_one_fails(
    store, team, capsys, monkeypatch
):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    saved = excluded_household()
    auth.log_out()
    ani = auth.log_in(store, "ani", OFFICER_PASSWORD)  # her key is now held
    overrides.override_exclusion(saved["household_id"], "car", REASON, REFERENCE, ani)
    state, checks = roster.verify_decisions(ani, saved["household_id"])
    [check] = checks
    assert state.status == "signed"
    assert (check.kind, check.signer, check.valid) == ("exclusion.override", "ani", True)
    public = keystore.signing_public(store.db, "ani")
    assert public is not None and check.fingerprint == signatures.fingerprint(public)
    assert main(["--home", str(store.home), "--user", ADMIN, "audit", "decisions", "--verify"]) == 0
    out = capsys.readouterr().out
    assert "exclusion.override" in out and "ani" in out and "valid" in out

    # someone with the database key rewrites the reason of the signed decision
    raw_sql(store, ("UPDATE signed_decision SET payload = replace(payload, 'Maret', 'Mei')", ()))
    log_in_again(store)
    [check] = roster.verify_decisions(ani, saved["household_id"])[1]
    assert not check.valid and check.problem == "tampered" and "TIDAK SAH" in check.status
    auth.log_out()
    assert main(["--home", str(store.home), "--user", ADMIN, "audit", "decisions", "--verify"]) == 1
    assert "INVALID" in capsys.readouterr().out


def test_a_decision_signed_with_another_key_is_not_the_signers(store, team):
    """A petugas signs a decision with their own key under the supervisor's name."""
    saved = excluded_household()
    auth.log_out()
    budi = auth.log_in(store, "budi", OFFICER_PASSWORD)
    holder = signing.holder()
    assert holder is not None and holder[0] == "budi"
    signing.hold("ani", holder[1])  # budi's key, as if it were ani's
    signing.sign_decision("exclusion.override", saved["household_id"], {"rule": "car"},
                          team["ani"])  # fmt: skip
    signing.hold("budi", holder[1])
    log_in_again(store)
    [check] = roster.verify_decisions(team["ani"], saved["household_id"])[1]
    assert check.signer == "ani" and check.problem == "not_signers_key"
    assert budi.role == "petugas"


def test_the_musyawarah_decision_is_signed_and_officer_changes_too(store, team):
    saved = excluded_household()
    auth.log_out()
    ani = auth.log_in(store, "ani", OFFICER_PASSWORD)
    doc = households.load_household(saved["household_id"])
    doc["musyawarah"] = {"decision": "eligible", "date": "2026-11-02", "minutes_number": "BA-7"}
    households.save_household(doc, final=True, officer=ani)
    auth.reset_password("budi", "layang-layang-biru-5", ani, FAST_KDF)
    _state, checks = roster.verify_decisions(ani)
    kinds = [(c.kind, c.subject, c.signer, c.valid) for c in checks]
    assert ("musyawarah.decide", saved["household_id"], "ani", True) in kinds
    assert ("officer.reset_password", "budi", "ani", True) in kinds
    assert ("officer.create", "ani", ADMIN, True) in kinds
    assert roster.state().signer == "ani"  # the supervisor signed the changed table


# --- the key file ------------------------------------------------------------------------------


def test_the_signing_key_opens_only_with_the_password(store, team):
    auth.log_out()
    auth.log_in(store, "ani", OFFICER_PASSWORD)
    holder = signing.holder()
    assert holder is not None
    private = holder[1]
    text = keystore.key_file_path(store.db).read_text()
    assert private.hex() not in text and private.hex().upper() not in text
    entry = json.loads(text)["officers"]["ani"]["signing"]
    assert entry["public"] == signatures.public_of(private)
    assert keystore.unlock(store.db, "ani", "salah-sandi-yang-panjang") is None
    unlocked = keystore.unlock(store.db, "ani", OFFICER_PASSWORD)
    assert unlocked is not None and unlocked.signing == private
    auth.log_out()
    assert signing.holder() is None  # forgotten at log-out


def test_a_key_file_from_before_signing_keys_gets_one_at_the_next_login(store, team):
    path = keystore.key_file_path(store.db)
    data = json.loads(path.read_text())
    for entry in data["officers"].values():
        del entry["signing"]
    path.write_text(json.dumps(data))
    auth.log_out()

    auth.log_in(store, "ani", OFFICER_PASSWORD)  # a supervisor: her new key is signed in
    public = keystore.signing_public(store.db, "ani")
    assert public is not None
    state = roster.state()
    assert state.status == "signed" and public in state.signed["ani"].signing_keys
    assert state.signer == "ani" and state.edited == []
    auth.log_out()
    assert auth.log_in(store, "budi", OFFICER_PASSWORD).role == "petugas"
    assert keystore.signing_public(store.db, "budi") is not None
    assert keystore.signing_public(store.db, ADMIN) is None  # not logged in since


def test_a_database_from_before_signatures_is_signed_by_the_first_managers_login(paths):
    """A database from before version 13 (here: plain, from before encryption) has no signed
    officer table: the admin's login signs it as it stands; a petugas' edit after that is
    refused."""
    from test_encryption import make_plain_v4_home

    make_plain_v4_home(paths)
    siti, _recovery = auth.encrypt_legacy(paths, "siti", ADMIN_PASSWORD, FAST_KDF)
    state = roster.state()
    assert state.status == "signed" and state.signer == "siti"
    assert state.signed["budi"].role == "petugas" and state.signed["budi"].signing_keys == ()
    assert keystore.signing_public(paths.db, "siti") in state.signed["siti"].signing_keys
    auth.reset_password("budi", OFFICER_PASSWORD, siti, FAST_KDF)
    assert roster.state().signed["budi"].signing_keys != ()
    raw_sql(paths, ("UPDATE officer SET role = 'supervisor' WHERE username = ?", ("budi",)))
    with pytest.raises(auth.AuthError, match="diubah di luar aplikasi"):
        auth.log_in(paths, "budi", OFFICER_PASSWORD)
    auth.log_out()
