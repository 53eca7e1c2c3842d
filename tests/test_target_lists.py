"""Daftar sasaran tetap per kota (issue 19): two kelurahan of Jakarta Selatan and one of Jakarta
Pusat lock their musyawarah and send it to Dinsos in real bundles; Dinsos matches, drafts the
kota's list (who is on it, who is left out and why), locks it once (a second lock or a change is
refused), prints the penetapan, exports it through the SIKS-NG profile, and the `target_list`
event reaches the kelurahan in its next bundle. All on real encrypted homes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess

import pytest
from conftest import ADMIN, ADMIN_PASSWORD, officer_named
from sync_support import Installation, exchange
from test_sync_meetings import family, locked_meeting

from app.cli import main as cli
from app.core import dinsos_events
from app.core.errors import UserError
from app.db import audit
from app.db.connection import database
from app.services import (
    auth,
    households,
    installation,
    marks,
    musyawarah,
    target_list_docs,
    target_lists,
)
from app.services.actions import AuthError

KOTA = "31.74"  # Jakarta Selatan
NUMBER = "001/DST/31.74/2026"


def kelurahan_with_results(inst: Installation, names: dict[str, str]) -> dict[str, str]:
    """Register a family per name, decide them (eligible / not_poor / postpone / `open`: decided
    in a meeting left open / `none`: not on any meeting) and lock the meeting."""
    ids = {name: family(inst.officer, name)["household_id"] for name in names}
    decided = {ids[n]: d for n, d in names.items() if d in ("eligible", "not_poor", "postpone")}
    locked_meeting(inst.officer, decided)
    opened = [ids[n] for n, d in names.items() if d == "open"]
    if opened:
        day = dt.date.today() + dt.timedelta(days=30)
        meeting = musyawarah.create_meeting(officer=inst.officer, date=day, place="Aula RW")
        for hid in opened:
            musyawarah.decide(meeting.id, hid, "eligible", inst.officer)
    return ids


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("target")
    tebet_timur = Installation(root, "kelurahan-a")  # 31.74.01.1001
    tebet_barat = Installation(root, "kelurahan-b", village="31.74.01.1002")
    gambir = Installation(root, "kelurahan-c", village="31.71.01.1001")  # another kota
    dinsos = Installation(root, "dinsos", village=None)
    exchange((tebet_timur, dinsos), (tebet_barat, dinsos), (gambir, dinsos))
    with dinsos:
        installation.set_dinsos(None, dinsos.officer)  # the province: every kota
    ids: dict[str, str] = {}
    bundles = []
    plan = {
        tebet_timur: {"Ani": "eligible", "Budi": "not_poor", "Citra": "postpone",
                      "Dedi": "open", "Eka": "eligible", "Fajar": "eligible"},
        tebet_barat: {"Gita": "eligible", "Hadi": "none"},
        gambir: {"Indah": "eligible"},
    }  # fmt: skip
    for inst, names in plan.items():
        with inst:
            ids |= kelurahan_with_results(inst, names)
            if inst is tebet_timur:
                marks.withdraw_household(ids["Fajar"], "Pindah ke luar kota", inst.officer)
            bundles.append(inst.export(dinsos))
    with dinsos:
        dinsos.take(*bundles)
        # pemadanan at Dinsos: Bapenda says Eka's family owns a car
        households.record_matching(ids["Eka"], dinsos.officer, car=True, status="eligible")
    return {"a": tebet_timur, "dinsos": dinsos, "ids": ids, "root": root}


def test_the_draft_takes_locked_eligible_households_and_says_why_the_others_are_not(world):
    ids, dinsos = world["ids"], world["dinsos"]
    with dinsos:
        draft = target_lists.draft(KOTA, dinsos.officer)
    assert sorted(c.household_id for c in draft.included) == sorted([ids["Ani"], ids["Gita"]])
    why = {o.candidate.household_id: (o.reason, o.detail) for o in draft.left_out}
    assert why == {
        ids["Budi"]: ("not_poor", ""),
        ids["Citra"]: ("not_decided", ""),
        ids["Dedi"]: ("not_decided", ""),
        ids["Eka"]: ("excluded", "mobil"),
        ids["Fajar"]: ("withdrawn", ""),
        ids["Hadi"]: ("not_decided", ""),
    }  # Indah is in Jakarta Pusat: not a candidate at all
    counts = {(k.kelurahan, k.households): k.left_out for k in draft.per_kelurahan}
    assert counts == {
        ("Tebet Timur", 1): {"withdrawn": 1, "not_poor": 1, "excluded": 1, "not_decided": 2},
        ("Tebet Barat", 1): {"not_decided": 1},
    }
    assert draft.kota_name == "Kota Administrasi Jakarta Selatan"


def test_a_decision_no_locked_meeting_backs_is_not_locked(world):
    """A document saying *layak* without a locked meeting behind it (a meeting id Dinsos never
    received) stays off the list."""
    dinsos, ids = world["dinsos"], world["ids"]
    with dinsos:
        doc = households.load_household(ids["Hadi"])
        doc["musyawarah"] = {"decision": "eligible", "date": "2026-11-01",
                             "minutes_number": "007/BA", "meeting_id": "no-such-meeting",
                             "reason": None}  # fmt: skip
        doc["status"] = "eligible"
        households.save_household(doc, final=False, officer=dinsos.officer, overriding=True)
        draft = target_lists.draft(KOTA, dinsos.officer)
    reasons = {o.candidate.household_id: o.reason for o in draft.left_out}
    assert reasons[ids["Hadi"]] == "not_locked"


def test_lock_once_events_pdf_export_and_the_kelurahan_hears_of_it(world, tmp_path):
    dinsos, a, ids = world["dinsos"], world["a"], world["ids"]
    with dinsos:
        officer = dinsos.officer
        draft = target_lists.draft(KOTA, officer)
        with pytest.raises(UserError, match="berubah sejak ditampilkan"):
            target_lists.lock(KOTA, NUMBER, officer, expected="0" * 16)
        assert target_lists.lists(officer) == []
        made = target_lists.lock(
            KOTA, NUMBER, officer, date="2026-12-01", signatory_name="Drs. Budi Hartono",
            signatory_nip="197001012000031001", expected=draft.fingerprint,
        )  # fmt: skip
        assert (made.households, made.date, made.kota) == (2, "2026-12-01", KOTA)
        for hid in (ids["Ani"], ids["Gita"]):
            [event] = dinsos_events.events_of(households.load_household(hid))
            assert (event["step"], event["reference"], event["date"]) == (
                "target_list", NUMBER, "2026-12-01",
            )  # fmt: skip
        assert dinsos_events.events_of(households.load_household(ids["Budi"])) == []
        entries = [e for e in audit.entries() if e.action == "target_list.lock"]
        assert len(entries) == 1 and entries[0].detail["households"] == 2
        assert "Ani" not in str(entries[0].detail)

        # locked: the same number again is refused, in one line, and changes nothing
        before = audit.verify()
        with pytest.raises(UserError, match="sudah ditetapkan dan tidak dapat diubah") as refused:
            target_lists.lock(KOTA, NUMBER, officer, date="2026-12-02")
        assert "\n" not in str(refused.value) and audit.verify() == before
        # ... and so is the store itself
        with pytest.raises(Exception, match="locked"):
            database.execute_sql("UPDATE target_list SET date = '2027-01-01'")
        with pytest.raises(Exception, match="locked"):
            database.execute_sql("DELETE FROM target_list_member")
        # a new list is a new number, and holds no household of an earlier one
        with pytest.raises(UserError, match="Tidak ada keluarga"):
            target_lists.lock(KOTA, "002/DST/31.74/2026", officer)
        again = target_lists.draft(KOTA, officer)
        assert {o.reason for o in again.left_out if o.candidate.household_id == ids["Ani"]} == {
            "listed"
        }

        shown = target_lists.show(NUMBER, officer)
        assert [m.household_id for m in shown.members] == [ids["Ani"], ids["Gita"]]
        assert shown.members[0].head_nik_masked.count("*") == 8

        pdf = target_list_docs.write_pdf(NUMBER, tmp_path / "penetapan.pdf", officer)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              check=True, timeout=30).stdout.decode()  # fmt: skip
        for expected in ("PENETAPAN DAFTAR SASARAN TETAP", NUMBER, "JAKARTA SELATAN",
                         "Tebet Timur", "Tebet Barat", "Ani", "Gita", "Drs. Budi Hartono",
                         "1 Desember 2026", made.verification):  # fmt: skip
            assert expected in text, expected
        assert "Citra" not in text and "Eka" not in text
        nik = households.load_household(ids["Ani"])["members"][0]["nik"]
        assert nik not in text and shown.members[0].head_nik_masked in text

        result = target_list_docs.export_siks_ng(NUMBER, "csv", tmp_path / "siks.csv", officer)
        with open(result.path, encoding="utf-8-sig", newline="") as handle:
            exported = handle.read()
        assert result.households == 2 and nik in exported
        assert len(list(csv.reader(exported.splitlines()))) == result.rows + 1
        to_a = dinsos.export(a)
    with a:
        with pytest.raises(AuthError, match="Dinas Sosial"):
            target_lists.draft(KOTA, a.officer)
        a.take(to_a)
        [event] = dinsos_events.events_of(households.load_household(ids["Ani"]))
        assert event["reference"] == NUMBER and event["by"] == "Dinas Sosial Provinsi DKI Jakarta"


def test_refusals_role_suku_dinas_and_bad_input(world):
    dinsos = world["dinsos"]
    with dinsos:
        with pytest.raises(AuthError, match="tidak berwenang"):
            target_lists.draft(KOTA, officer_named("budi", "petugas"))
        with pytest.raises(UserError, match="tidak dikenal"):
            target_lists.draft("31.99", dinsos.officer)
        with pytest.raises(UserError, match="Tanggal"):
            target_lists.lock(KOTA, "003/X", dinsos.officer, date="2026-13-40")
        with pytest.raises(UserError, match="Nomor penetapan"):
            target_lists.lock(KOTA, "  ", dinsos.officer)
        with pytest.raises(UserError, match="tidak ada"):
            target_lists.show("999/none", dinsos.officer)
        installation.set_dinsos("31.71", dinsos.officer)  # now the Suku Dinas of Jakarta Pusat
        try:
            with pytest.raises(AuthError, match="kotanya sendiri"):
                target_lists.draft(KOTA, dinsos.officer)
            pusat = target_lists.draft("31.71", dinsos.officer)
            assert [k.kelurahan for k in pusat.per_kelurahan] == ["Gambir"]
            assert len(pusat.included) == 1
        finally:
            installation.set_dinsos(None, dinsos.officer)


def test_the_command_line(world, tmp_path, capsys, monkeypatch):
    """`target-list draft|lock|list|show|pdf|export` in-process, after the list was locked."""
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    home = str(world["dinsos"].paths.home)

    def app(*args: str) -> int:
        try:
            return cli.main(["--home", home, "--user", ADMIN, "target-list", *args])
        finally:
            auth.log_out()

    assert app("draft", "--kota", KOTA, "--json") == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["households"] == 0 and counts["left_out"]["listed"] == 2
    assert app("lock", "--kota", KOTA, "--number", NUMBER) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: target list") and err.count("\n") == 1
    assert app("list") == 0 and NUMBER in capsys.readouterr().out
    assert app("show", NUMBER) == 0 and "2 households" in capsys.readouterr().out
    out = tmp_path / "p.pdf"
    assert app("pdf", NUMBER, "--out", str(out)) == 0 and out.read_bytes()[:5] == b"%PDF-"
    assert app("pdf", NUMBER, "--out", str(out)) != 0  # exists: needs --force
    assert app("export", NUMBER, "--out", str(tmp_path / "s.xlsx")) == 0
    assert "2 households" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="2"):  # argparse: before the store is opened
        app("lock", "--kota", KOTA, "--number", "X", "--date", "2026-02-30")
