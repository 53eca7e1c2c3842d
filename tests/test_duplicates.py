"""Duplicates are stopped, not just mentioned; registrations made by mistake are withdrawn
(issue 14): the services, the CLI and bundles."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest
from conftest import ADMIN_OFFICER, ADMIN_PASSWORD, FAST_KDF, log_in_again
from helpers.families import HASANAH, LESTARI, household
from sync_support import exchange

from app.cli import main as cli
from app.core import document
from app.core.errors import UserError
from app.db import audit
from app.services import auth, duplicates, households, marks
from app.services.actions import AuthError, Officer
from app.services.duplicates import DuplicateError

SUPERVISOR = Officer("sri", "Sri Wahyuni", "supervisor")
PETUGAS = Officer("ani", "Ani Rahmawati", "petugas")
REASON = "Pecah KK sedang diproses di Dukcapil"


def register(doc=None, officer=ADMIN_OFFICER):
    return households.save_household(doc or household(), final=True, officer=officer)


def test_a_second_final_save_of_the_same_family_is_stopped_and_names_the_first(store):
    first = register()
    second = household()  # same No. KK and NIKs, another household_id
    with pytest.raises(DuplicateError) as caught:
        register(second)
    [match] = caught.value.matches
    assert match.other.household_id == first["household_id"]
    assert match.other.registration_number == first["registration_number"]
    assert (match.other.head_name, match.other.place) == ("Nur Hasanah", "RW 005/RT 012")
    assert match.matched == ("No. KK 3174********0007", "NIK 3174********0004",
                             "NIK 3174********0001")  # fmt: skip
    message = str(caught.value)
    assert first["registration_number"] in message and "Nur Hasanah" in message
    assert first["household_id"] not in message and first["household_id"] not in (
        caught.value.detail
    )
    assert "3174012304150007" not in message  # masked
    with pytest.raises(UserError):
        households.load_household(second["household_id"])  # nothing written
    # a draft save is not stopped; the next registration number was not used up
    households.save_household(second, final=False, officer=ADMIN_OFFICER)
    other = register(household(LESTARI))
    assert other["registration_number"].endswith("-000002")


def test_one_shared_nik_is_enough_and_a_draft_holder_is_named_draf(store):
    draft = households.save_household(household(LESTARI), final=False, officer=ADMIN_OFFICER)
    doc = household(HASANAH)
    doc["members"][1]["nik"] = draft["members"][1]["nik"]  # Budi's NIK in another family
    with pytest.raises(DuplicateError) as caught:
        register(doc)
    [match] = caught.value.matches
    assert match.other.number == "draf" and match.matched == ("NIK 3174********0001",)
    assert "draf (Dewi Lestari, RW 003/RT 007)" in str(caught.value)


def test_a_supervisor_registers_anyway_with_a_reason_stored_and_audited(store):
    first = register()
    with pytest.raises(AuthError):
        households.save_household(household(), final=True, officer=PETUGAS,
                                  accept_duplicates=REASON)  # fmt: skip
    with pytest.raises(UserError, match="minimal 10"):
        households.save_household(household(), final=True, officer=SUPERVISOR,
                                  accept_duplicates="pecah")  # fmt: skip
    saved = households.save_household(
        household(), final=True, officer=SUPERVISOR, accept_duplicates=REASON
    )
    assert saved["status"] == "registered" and saved["registration_number"]
    [acceptance] = saved["duplicate_acceptances"]
    assert acceptance["reason"] == REASON and acceptance["by"] == "sri"
    assert acceptance["of"] == [
        {"household_id": first["household_id"], "registration_number": first["registration_number"]}
    ]
    [entry] = [e for e in audit.entries(saved["household_id"]) if e.action == "duplicate.accept"]
    assert entry.officer == "sri" and entry.detail["of"] == [first["registration_number"]]
    assert "Tetap didaftarkan" in marks.marks_text(saved) and REASON in marks.marks_text(saved)
    # later edits of either household are not stopped again by the pair accepted
    edited = households.save_household({**saved, "phone": "081234567890"}, True, PETUGAS)
    assert edited["duplicate_acceptances"] == saved["duplicate_acceptances"]  # kept as stored
    register(households.load_household(first["household_id"]))
    # an ordinary save cannot forge or drop an acceptance
    households.save_household({**edited, "duplicate_acceptances": []}, True, PETUGAS)
    assert households.load_household(saved["household_id"])["duplicate_acceptances"]


def test_withdrawn_households_do_not_count_as_duplicates_and_cannot_be_saved_again(store):
    first = register()
    withdrawn = marks.withdraw_household(first["household_id"], "Salah ketik, didaftar ulang",
                                              SUPERVISOR)  # fmt: skip
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["registration_number"] == first["registration_number"]
    assert withdrawn["withdrawal"]["reason"] == "Salah ketik, didaftar ulang"
    assert withdrawn["revs"][1] == first["rev"]  # an ordinary edit: a new revision
    assert duplicates.find_duplicates(household()) == []
    second = register(household())
    assert second["registration_number"] != first["registration_number"]
    for final in (True, False):
        with pytest.raises(UserError, match="sudah dibatalkan"):
            households.save_household(withdrawn, final=final, officer=SUPERVISOR)
    assert "Pendaftaran dibatalkan" in marks.marks_text(withdrawn)
    actions = [e.action for e in audit.entries(first["household_id"])]
    assert actions[-2:] == ["household.save", "household.withdraw"]

    # reinstated by a supervisor: a draft again, and its final save meets the duplicate check
    with pytest.raises(AuthError):
        marks.reinstate_household(first["household_id"], "Dipulihkan karena keliru", PETUGAS)
    back = marks.reinstate_household(first["household_id"], "Dipulihkan karena keliru",
                                          SUPERVISOR)  # fmt: skip
    assert back["status"] == "draft" and "withdrawal" not in back
    with pytest.raises(DuplicateError):
        register(back)


def test_an_officer_withdraws_only_its_own_registration_of_today(store, monkeypatch):
    mine = register(officer=PETUGAS)
    theirs = register(household(LESTARI), officer=ADMIN_OFFICER)
    with pytest.raises(AuthError, match="tidak berwenang|Tidak berwenang"):
        marks.withdraw_household(theirs["household_id"], "Salah daftar keluarga", PETUGAS)
    with pytest.raises(UserError, match="minimal 10"):
        marks.withdraw_household(mine["household_id"], "salah", PETUGAS)
    monkeypatch.setattr(marks, "local_today", lambda: dt.date.today() + dt.timedelta(1))
    with pytest.raises(AuthError):
        marks.withdraw_household(mine["household_id"], "Salah daftar keluarga", PETUGAS)
    monkeypatch.undo()
    done = marks.withdraw_household(mine["household_id"], "Salah daftar keluarga", PETUGAS)
    assert done["withdrawal"]["by"] == "ani"


# --- the command line ------------------------------------------------------------------------


def app(paths, *args: str, user: str = "admin") -> int:
    return cli.main(["--home", str(paths.home), "--user", user, *args])


@pytest.fixture
def cli_home(store, monkeypatch, tmp_path):
    """A home with one family registered by the admin and a petugas `ani` (same password)."""
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    auth.create_officer("ani", "Ani", "petugas", ADMIN_PASSWORD, ADMIN_OFFICER, FAST_KDF)
    first = register()
    auth.log_out()
    return store, first


def test_household_add_of_a_duplicate_exits_1_naming_the_other(cli_home, tmp_path, capsys):
    paths, first = cli_home
    file = tmp_path / "dup.json"
    file.write_bytes(document.dumps(household()))
    assert app(paths, "household", "add", str(file)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: duplicate")
    assert first["registration_number"] in err and first["household_id"] not in err
    # the same household (its own id) is an update, not a duplicate
    file.write_bytes(document.dumps({**first, "phone": "0812"}))
    assert app(paths, "household", "add", str(file)) == 0
    assert "updated" in capsys.readouterr().out


def test_household_withdraw_on_the_command_line(cli_home, capsys, monkeypatch):
    paths, first = cli_home
    hid = first["household_id"]
    assert app(paths, "household", "withdraw", hid, "--reason", "Salah daftar", user="ani") == 1
    assert "household.withdraw.any" in capsys.readouterr().err
    assert app(paths, "household", "withdraw", hid, "--reason", "Salah daftar keluarga") == 0
    assert f"{hid}: withdrawn" in capsys.readouterr().out
    log_in_again(paths)
    assert households.load_household(hid)["status"] == "withdrawn"
    # a petugas's own registration: today yes, not a day later
    mine = register(household(LESTARI), officer=Officer("ani", "Ani", "petugas"))
    auth.log_out()
    monkeypatch.setattr(marks, "local_today", lambda: dt.date.today() + dt.timedelta(1))
    args = ("household", "withdraw", mine["household_id"], "--reason", "Keliru, didaftar ulang")
    assert app(paths, *args, user="ani") == 1
    monkeypatch.undo()
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    assert app(paths, *args, user="ani") == 0


# --- bundles ---------------------------------------------------------------------------------


def test_a_duplicate_in_a_bundle_is_stored_marked_and_decided(laptop, kelurahan, capsys):
    exchange((laptop, kelurahan))
    with laptop:
        from_laptop = register()
        bundle = laptop.export(kelurahan)
    with kelurahan:
        held = register()  # the family came to the kelurahan office too
        [preview] = kelurahan.take(bundle, dry_run=True)
        [dup] = preview.duplicates
        assert dup.household.household_id == from_laptop["household_id"]
        assert dup.other.registration_number == held["registration_number"]
        assert "No. KK 3174********0007" in dup.matched
        assert duplicates.possible_duplicates(kelurahan.officer) == []  # the preview kept none

        [report] = kelurahan.take(bundle)
        assert report.counts["new"] == 1 and len(report.duplicates) == 1
        assert households.load_household(from_laptop["household_id"])  # stored all the same
        [pending] = duplicates.possible_duplicates(kelurahan.officer)
        assert pending.household.number == from_laptop["registration_number"]

        # merge: the one from the laptop is withdrawn "digabung ke <reg no>"
        with pytest.raises(AuthError):
            marks.merge_duplicate(from_laptop["household_id"], held["household_id"], PETUGAS)
        merged = marks.merge_duplicate(
            from_laptop["household_id"], held["household_id"], SUPERVISOR
        )
        assert merged["status"] == "withdrawn"
        assert merged["withdrawal"]["reason"] == f"digabung ke {held['registration_number']}"
        assert merged["withdrawal"]["into"] == held["household_id"]
        assert duplicates.possible_duplicates(kelurahan.officer) == []
        back = kelurahan.export(laptop)
    with laptop:  # the merge travels back as an ordinary revision
        laptop.take(back)
        assert households.load_household(from_laptop["household_id"])["status"] == "withdrawn"


def test_keep_both_settles_the_pair_here_and_travels(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        from_laptop = register()
        bundle = laptop.export(kelurahan)
    with kelurahan:
        register()
        kelurahan.take(bundle)
        assert len(duplicates.possible_duplicates(kelurahan.officer)) == 1
        kept = marks.keep_both(from_laptop["household_id"], REASON, SUPERVISOR)
        assert kept["duplicate_acceptances"][0]["reason"] == REASON
        assert duplicates.possible_duplicates(kelurahan.officer) == []
        [entry] = [
            e for e in audit.entries(from_laptop["household_id"]) if e.action == "duplicate.accept"
        ]
        assert entry.detail["reason"] == REASON
        # importing it again (an update) does not mark it again
        assert duplicates.flag_possible_duplicates([from_laptop["household_id"]], "x").count == 0


def test_duplicates_from_a_bundle_on_the_command_line(laptop, kelurahan, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    exchange((laptop, kelurahan))
    with laptop:
        from_laptop = register()
        bundle = laptop.export(kelurahan)
    with kelurahan:
        held = register()
        kelurahan.take(bundle)
    paths = kelurahan.paths
    assert app(paths, "household", "duplicates") == 0
    listed = capsys.readouterr().out
    assert from_laptop["household_id"] in listed and held["registration_number"] in listed
    assert "No. KK 3174********0007" in listed
    assert app(paths, "household", "duplicates", "--json") == 0
    [pair] = orjson.loads(capsys.readouterr().out)
    assert pair["other"]["household_id"] == held["household_id"]

    assert app(paths, "household", "keep-both", held["household_id"], "--reason", "pendek") == 1
    assert "minimal 10 karakter" in capsys.readouterr().err
    merge = ("household", "merge", from_laptop["household_id"], "--into", held["household_id"])
    assert app(paths, *merge) == 0
    assert f"digabung ke {held['registration_number']}" in capsys.readouterr().out
    assert app(paths, "household", "duplicates") == 0
    assert "no possible duplicates" in capsys.readouterr().out
    assert app(paths, *merge) == 1  # already withdrawn
    assert "error: " in capsys.readouterr().err
