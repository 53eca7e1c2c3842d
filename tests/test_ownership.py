"""Who may change what, locally (issue 15, DESIGN §11): an officer's role owns field groups; a
change to a field it does not own is refused with the field named, through a save and through
`household add` of an edited `household show`."""

from __future__ import annotations

import orjson
import pytest
from conftest import ADMIN_OFFICER, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD, log_in_again
from helpers.families import household
from sync_support import Installation, exchange

from app.cli.main import main
from app.core import ownership
from app.db import conflicts
from app.services import auth, households, installation

PETUGAS = "budi"
DINSOS_LATER = ("in_siks_ng", "verified", "determined", "rejected")
DECIDED = {"decision": "not_poor", "date": "2025-01-10", "minutes_number": "BA-7/2025"}
MATCHING = {
    "checked_at": "2025-02-01T10:00:00+00:00",
    "source": "Dinsos",
    "car_per_bapenda": False,
    "njop_per_bapenda_idr": None,
    "nik_not_found": [],
}
OVERRIDE = {
    "rule": "car",
    "reason": "Mobil sudah dijual tahun lalu menurut BPKB",
    "reference": "Akta jual beli 12/2024",
    "by": PETUGAS,
    "at": "2025-01-01T00:00:00+00:00",
}


@pytest.fixture
def excluded(store, monkeypatch):
    """A household saved final with a car (status excluded, exclusion `car`, a registration
    number), and a petugas `budi` whose password is in LOKET_PASSWORD."""
    auth.create_officer(PETUGAS, "Budi", "petugas", OFFICER_PASSWORD, ADMIN_OFFICER, FAST_KDF)
    doc = household()
    doc["assets"]["car"] = True
    saved = households.save_household(doc, final=True, officer=ADMIN_OFFICER)
    assert saved["status"] == "excluded" and saved["exclusions"] == ["car"]
    assert saved["registration_number"]
    monkeypatch.setenv("LOKET_PASSWORD", OFFICER_PASSWORD)
    return saved


def _add_as_petugas(store, tmp_path, doc) -> int:
    path = tmp_path / "edited.json"
    path.write_bytes(orjson.dumps(doc))
    code = main(["--home", str(store.home), "--user", PETUGAS, "household", "add", str(path)])
    log_in_again(store)
    return code


ATTACKS = {
    "musyawarah": lambda d: d.update(musyawarah=DECIDED),
    "status": lambda d: d.update(status="registered"),
    "registration_number": lambda d: d.update(registration_number="3174011001-ABCDEF01-000099"),
    "exclusion_overrides": lambda d: d.update(exclusion_overrides=[OVERRIDE]),
    "matching": lambda d: d.update(matching=MATCHING),
    "deleted": lambda d: d.update(deleted=True),
    "exclusions": lambda d: d.update(exclusions=["public_post"]),
}


@pytest.mark.parametrize("field", list(ATTACKS))
def test_a_petugas_cannot_change_a_field_it_does_not_own(field, excluded, store, tmp_path, capsys):
    edited = households.load_household(excluded["household_id"])
    ATTACKS[field](edited)
    capsys.readouterr()
    assert _add_as_petugas(store, tmp_path, edited) == 1
    err = capsys.readouterr().err
    assert f"field {field} may only be changed" in err
    assert households.load_household(excluded["household_id"]) == excluded


@pytest.mark.parametrize("field", list(ATTACKS))
def test_a_save_by_a_petugas_cannot_change_it_either(field, excluded):
    edited = households.load_household(excluded["household_id"])
    ATTACKS[field](edited)
    petugas = auth.Officer(PETUGAS, "Budi", "petugas")
    with pytest.raises(households.FieldOwnerError, match=f"Kolom {field} hanya"):
        households.save_household(edited, final=False, officer=petugas)
    assert households.load_household(excluded["household_id"]) == excluded


def test_a_partial_document_keeps_what_the_store_manages(excluded, store, tmp_path):
    """`household add` of a document without status, number, exclusions...: normalised to the
    empty values, which on an update mean "not given"."""
    partial = households.load_household(excluded["household_id"])
    for key in ("status", "registration_number", "exclusions", "rev", "revs", "created_at"):
        partial.pop(key)
    partial["address"] = "Jl. Tebet Barat Dalam II No. 9"
    assert _add_as_petugas(store, tmp_path, partial) == 0
    stored = households.load_household(excluded["household_id"])
    assert stored["address"] == "Jl. Tebet Barat Dalam II No. 9"
    for key in ("status", "registration_number", "exclusions", "created_at"):
        assert stored[key] == excluded[key], key
    assert stored["revs"][1] == excluded["rev"]


def test_cleared_exclusions_are_not_given(excluded, store, tmp_path):
    edited = households.load_household(excluded["household_id"])
    edited["exclusions"], edited["matching"] = [], None
    assert _add_as_petugas(store, tmp_path, edited) == 0
    assert households.load_household(excluded["household_id"])["exclusions"] == ["car"]


def test_a_supervisor_still_decides_through_a_save(excluded):
    supervisor = auth.Officer("sari", "Sari", "supervisor")
    edited = households.load_household(excluded["household_id"])
    edited["musyawarah"] = DECIDED
    saved = households.save_household(edited, final=False, officer=supervisor)
    assert saved["musyawarah"] == DECIDED


# --- 2. a stale edit never silently erases a newer decision or matching -------------------------


@pytest.mark.parametrize("via", ["save", "add"])
def test_a_stale_edit_does_not_erase_a_newer_decision(via, excluded, store, tmp_path):
    hid = excluded["household_id"]
    installation.set_dinsos(None, ADMIN_OFFICER)  # matching is recorded at Dinsos only
    old = households.load_household(hid)  # the form / `household show` of the petugas
    supervisor = auth.Officer("sari", "Sari", "supervisor")
    decided = households.save_household(
        {**old, "musyawarah": DECIDED, "matching": MATCHING}, final=False, officer=supervisor
    )
    old["address"] = "Jl. Tebet Barat Dalam II No. 11"
    old["musyawarah"] = {"decision": "eligible", "date": "2025-01-03", "minutes_number": "X"}
    if via == "save":
        households.save_household(old, final=False, officer=supervisor)
    else:  # a supervisor's stale `household add` of an older `household show`
        auth.create_officer("sari", "Sari", "supervisor", OFFICER_PASSWORD, ADMIN_OFFICER, FAST_KDF)
        path = tmp_path / "old.json"
        path.write_bytes(orjson.dumps(old))
        assert (
            main(["--home", str(store.home), "--user", "sari", "household", "add", str(path)]) == 0
        )
        log_in_again(store)
    kept = [households.load_household(hid), *conflicts.versions(hid)]
    revs = {v["rev"] for v in kept}
    assert decided["rev"] in revs  # the decided version is still held, beside the stale edit
    assert any(v["musyawarah"] == DECIDED and v["matching"] == MATCHING for v in kept)
    assert len(kept) == 2  # a conflict for a supervisor, not an overwrite


def test_a_stale_petugas_edit_keeps_the_newer_decision(excluded):
    hid = excluded["household_id"]
    old = households.load_household(hid)
    supervisor = auth.Officer("sari", "Sari", "supervisor")
    households.save_household({**old, "musyawarah": DECIDED}, final=False, officer=supervisor)
    old["address"] = "Jl. Tebet Barat Dalam II No. 13"
    petugas = auth.Officer(PETUGAS, "Budi", "petugas")
    saved = households.save_household(old, final=False, officer=petugas)
    assert saved["musyawarah"] == DECIDED  # the stale form's empty decision is not a change


def test_the_table_names_every_group_for_roles_and_kinds():
    assert ownership.ROLE_OWNERS.keys() == ownership.KIND_OWNERS.keys()
    assert ownership.KIND_OWNERS.keys() == ownership.OWNER_NAMES.keys()
    assert set(ownership.FIELD_GROUPS.values()) <= ownership.KIND_OWNERS.keys()


# --- 3. Dinsos' statuses and pemadanan results are Dinsos', whatever the role here (issue 19) ----

DINSOS_ATTACKS = {
    **{s: (lambda status: lambda d: d.update(status=status))(s) for s in DINSOS_LATER},
    "matched": lambda d: d.update(status="matched"),
    "matching": lambda d: d.update(matching=MATCHING),
    "dtks_id": lambda d: d.update(dtks_id="3174010001000123"),
}


@pytest.mark.parametrize("role", ["supervisor", "admin"])
@pytest.mark.parametrize("attack", list(DINSOS_ATTACKS))
def test_a_kelurahan_supervisor_cannot_save_a_dinsos_status_or_matching(attack, role, excluded):
    hid = excluded["household_id"]
    edited = households.load_household(hid)
    DINSOS_ATTACKS[attack](edited)
    field = attack if attack in ("matching", "dtks_id") else "status"
    officer = auth.Officer("sari", "Sari", role)
    with pytest.raises(households.FieldOwnerError) as refused:
        households.save_household(edited, final=False, officer=officer)
    assert str(refused.value).startswith(f"Kolom {field} hanya dapat diubah oleh Dinsos;")
    assert "\n" not in str(refused.value)
    with pytest.raises(households.FieldOwnerError, match="^Kolom matching hanya .* Dinsos"):
        households.record_matching(hid, officer, car=False, status="determined")
    assert households.load_household(hid) == excluded
    assert [v["rev"] for v in conflicts.versions(hid)] == []


def test_the_cli_match_and_add_are_refused_at_a_kelurahan(
    excluded, store, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    hid = excluded["household_id"]
    edited = {**households.load_household(hid), "status": "determined"}
    path = tmp_path / "determined.json"
    path.write_bytes(orjson.dumps(edited))
    for args in (["household", "add", str(path)], ["household", "match", hid, "--car", "no"]):
        capsys.readouterr()
        assert main(["--home", str(store.home), "--user", "admin", *args]) == 1
        log_in_again(store)
        [line] = capsys.readouterr().err.strip().splitlines()
        assert "may only be changed by Dinsos" in line
    assert households.load_household(hid) == excluded


def test_the_same_change_from_a_dinsos_peers_bundle_is_applied(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), Installation(tmp_path, "dinsos")
    with dinsos:
        installation.set_dinsos(None, dinsos.officer)
    exchange((kelurahan, dinsos))
    with kelurahan:
        saved = households.save_household(household(), final=True, officer=kelurahan.officer)
        hid = saved["household_id"]
        up = kelurahan.export(dinsos)
    with dinsos:
        dinsos.take(up)
        households.record_matching(hid, dinsos.officer, car=False, njop_idr=400_000_000)
        doc = households.load_household(hid)
        supervisor = auth.Officer("dina", "Dina", "supervisor")
        households.save_household({**doc, "status": "determined", "dtks_id": "3174010001000123"},
                                  final=False, officer=supervisor)  # fmt: skip
        down = dinsos.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(down)
        assert report.rejected == [] and report.counts["updated"] == 1
        stored = households.load_household(hid)
        assert (stored["status"], stored["dtks_id"]) == ("determined", "3174010001000123")
        assert stored["matching"]["njop_per_bapenda_idr"] == 400_000_000
