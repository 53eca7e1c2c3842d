""" "Dinsos can verify who decided" (issue 15): each households bundle carries the sender's signed
officer table and the signed decisions about what it carries; the receiver checks them against
the table, pins the key that signed the first table it received, and flags a table signed by a
key the tables before do not vouch for — the insider who made themselves admin and re-signed.
The musyawarah lock is signed (issue 17). Real encrypted homes, real bundle files, the CLI."""

from __future__ import annotations

import json

import pytest
from conftest import ADMIN, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD
from sync_support import Installation, exchange
from test_sync_meetings import dinsos_of, family, locked_meeting

from app.cli.main import main
from app.core import signatures
from app.core.document import now_iso
from app.db import peers
from app.db import received as received_rows
from app.db import signatures as stored
from app.db.connection import database
from app.services import auth, roster, signing
from app.services.sync import audit_heads, received


def cli(inst: Installation, *args: str, monkeypatch) -> int:
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    auth.log_out()
    return main(["--home", str(inst.paths.home), "--user", ADMIN, *args])


def test_the_lock_is_signed_and_audit_decisions_verify_lists_it_valid(tmp_path, capsys,
                                                                       monkeypatch):  # fmt: skip
    kelurahan = Installation(tmp_path, "kelurahan")
    with kelurahan:
        hid = family(kelurahan.officer, "Hana")["household_id"]
        mid = locked_meeting(kelurahan.officer, {hid: "eligible"})
    assert cli(kelurahan, "audit", "decisions", "--verify", monkeypatch=monkeypatch) == 0
    lines = capsys.readouterr().out.splitlines()
    [lock] = [line for line in lines if "\tmusyawarah.lock\t" in line]
    assert f"\t{mid}\t{ADMIN}" in lock and lock.endswith("\tvalid")


def test_dinsos_verifies_who_decided_and_sees_an_edited_decision(tmp_path, capsys, monkeypatch):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        hid = family(kelurahan.officer, "Indah")["household_id"]
        mid = locked_meeting(kelurahan.officer, {hid: "eligible"})
        # an insider with the database key edits the signed lock's counts afterwards
        row = database.execute_sql(
            "SELECT id, payload FROM signed_decision WHERE kind = 'musyawarah.lock'"
        ).fetchone()
        payload = json.loads(row[1])
        payload["counts"]["eligible"] = 40
        database.execute_sql(
            "UPDATE signed_decision SET payload = ? WHERE id = ?",
            (signatures.canonical(payload), row[0]),
        )
        bundle = kelurahan.export(dinsos)
    with dinsos:
        [report] = dinsos.take(bundle)
        assert report.carried.unverified == 1
    assert cli(dinsos, "bundle", "decisions", "kelurahan", "--verify", monkeypatch=monkeypatch) == 1
    out = capsys.readouterr().out
    assert "officer table of kelurahan: valid, signed by admin" in out
    [lock] = [line for line in out.splitlines() if "\tmusyawarah.lock\t" in line]
    assert mid in lock and "INVALID: content or signature changed" in lock
    [decide] = [line for line in out.splitlines() if "\tmusyawarah.decide\t" in line]
    assert hid in decide and decide.endswith("\tvalid")
    assert "1 not verified" in out
    # the passwords never travel: the table holds names, roles and public keys only
    with dinsos:
        kept = received_rows.roster(received_peer(dinsos))
        assert kept is not None and "argon" not in kept.text and "password" not in kept.text


def received_peer(inst: Installation) -> str:
    return next(fp for key, fp in peers.all_peers() if key.name == "kelurahan")


def test_an_insider_who_re_signs_the_officer_table_is_flagged_at_dinsos(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        auth.create_officer("budi", "Budi Santoso", "petugas", OFFICER_PASSWORD,
                            kelurahan.officer, FAST_KDF)  # fmt: skip
        family(kelurahan.officer, "Joko")
        first = kelurahan.export(dinsos)
    with dinsos:
        [report] = dinsos.take(first)
        assert report.carried.roster == "pinned" and report.audit_warnings == []
    # budi, a petugas with the database key, makes himself admin and signs the table himself
    auth.log_in(kelurahan.paths, "budi", OFFICER_PASSWORD)
    _name, private = signing.holder()
    signed = stored.roster()
    table = json.loads(signed.text)
    table["officers"]["budi"]["role"] = "admin"
    at = now_iso()
    statement = {"roster": table, "signer": "budi", "at": at}
    signature = signatures.sign(private, roster.KIND, statement)
    stored.store_roster(signatures.canonical(table), "budi", signatures.public_of(private),
                        signature, at)  # fmt: skip
    database.execute_sql("UPDATE officer SET role = 'admin' WHERE username = 'budi'")
    auth.log_out()
    with kelurahan:
        assert roster.state().status == "signed"  # nothing on the device itself can tell
        family(kelurahan.officer, "Kiki")
        second = kelurahan.export(dinsos)
    with dinsos:
        [report] = dinsos.take(second)
        assert report.carried.roster == "other_key"
        texts = [w.text for w in report.audit_warnings]
        assert texts == ["daftar petugas perangkat kelurahan ditandatangani kunci lain"]
        [open_warning] = audit_heads.open_warnings()
        assert open_warning.text == texts[0]
        audit_heads.acknowledge(open_warning.id, dinsos.officer)
        assert audit_heads.open_warnings() == []
        assert received.peer_decisions("kelurahan", dinsos.officer).signer == "budi"


def test_a_table_signed_by_a_manager_the_last_table_vouches_for_is_no_warning(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        auth.create_officer("ani", "Ani Wijaya", "supervisor", OFFICER_PASSWORD,
                            kelurahan.officer, FAST_KDF)  # fmt: skip
        family(kelurahan.officer, "Lina")
        first = kelurahan.export(dinsos)
    with dinsos:
        dinsos.take(first)
    ani = auth.log_in(kelurahan.paths, "ani", OFFICER_PASSWORD)
    auth.create_officer("citra", "Citra Dewi", "petugas", OFFICER_PASSWORD, ani, FAST_KDF)
    assert roster.state().signer == "ani"
    auth.log_out()
    with kelurahan:
        family(kelurahan.officer, "Maya")
        second = kelurahan.export(dinsos)
    with dinsos:
        [report] = dinsos.take(second)
        assert report.carried.roster == "kept" and report.audit_warnings == []
        assert received.peer_decisions("kelurahan", dinsos.officer).signer == "ani"


def test_a_forged_officer_table_is_not_kept(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), dinsos_of(tmp_path)
    exchange((kelurahan, dinsos))
    with kelurahan:
        family(kelurahan.officer, "Nina")
        signed = stored.roster()
        table = json.loads(signed.text)
        table["officers"][ADMIN]["full_name"] = "Orang Lain"  # edited, signature kept
        stored.store_roster(signatures.canonical(table), signed.signer, signed.signer_key,
                            signed.signature, signed.signed_at)  # fmt: skip
        bundle = kelurahan.export(dinsos)
    with dinsos:
        [report] = dinsos.take(bundle)
        assert report.carried.roster == "invalid"
        assert received.peer_decisions("kelurahan", dinsos.officer).roster == "none"


@pytest.mark.parametrize("bad", [{"record": "meeting", "id": 5}, {"record": "what"}])
def test_a_malformed_record_refuses_the_whole_bundle(bad):
    from app.bundle.file import BundleError
    from app.services.sync.received import Receiver

    with pytest.raises(BundleError):
        Receiver("fp", "kelurahan", "b", None).add(bad)
