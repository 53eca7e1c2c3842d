"""Dinsos's matching results (issue 6): what Bapenda and Dukcapil say about a household comes
back to the kelurahan in a bundle, shows in the household and feeds the rules."""

from __future__ import annotations

import pytest
from conftest import ADMIN_OFFICER, log_in_again
from helpers.households import TODAY, head, household
from sync_support import Installation, exchange

from app.cli.main import main
from app.core.errors import UserError
from app.rules import rulesets
from app.services import checks, households, installation


def evaluate(doc):
    return rulesets.evaluate(doc, today=TODAY)


def test_a_car_or_a_high_njop_per_bapenda_excludes_and_a_missing_nik_warns():
    doc = household(head())
    assert evaluate(doc).exclusions == []
    doc["matching"] = {
        "checked_at": "2026-11-20T09:00:00Z",
        "source": "Dinsos DKI",
        "car_per_bapenda": True,
        "njop_per_bapenda_idr": 1_200_000_000,
        "nik_not_found": [doc["members"][0]["nik"]],
    }
    found = evaluate(doc)
    assert found.exclusions == ["car", "njop_over_1b"]
    messages = {f.rule: f.message for f in found.findings}
    assert "Bapenda" in messages["car"] and "Rp 1.200.000.000" in messages["njop_over_1b"]
    [warning] = found.of_kind("warning")
    assert warning.rule == "nik_not_in_dukcapil" and "Nur Hasanah" in warning.message
    assert warning.fields == ("members[0].nik",)

    doc["matching"].update(
        car_per_bapenda=False, njop_per_bapenda_idr=900_000_000, nik_not_found=[]
    )
    assert evaluate(doc).exclusions == [] and not evaluate(doc).of_kind("warning")


def test_matching_results_travel_back_to_the_kelurahan(tmp_path):
    kelurahan, dinsos = Installation(tmp_path, "kelurahan"), Installation(tmp_path, "dinsos")
    with dinsos:
        installation.set_dinsos(None, dinsos.officer)  # matching is recorded at Dinsos only
    exchange((kelurahan, dinsos))
    with kelurahan:
        doc = household(head())
        doc["village_code"] = installation.village_code()
        saved = households.save_household(doc, final=True, officer=ADMIN_OFFICER)
        assert saved["status"] == "registered"
        hid = saved["household_id"]
        to_dinsos = kelurahan.export(dinsos)
    with dinsos:
        dinsos.take(to_dinsos)
        with pytest.raises(UserError, match="bukan anggota"):
            households.record_matching(hid, dinsos.officer, nik_not_found=["3174010101010001"])
        matched = households.record_matching(
            hid, dinsos.officer, car=True, njop_idr=None, nik_not_found=[saved["members"][0]["nik"]]
        )
        assert matched["status"] == "matched" and matched["exclusions"] == ["car"]
        back = dinsos.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(back)
        assert report.counts["updated"] == 1
        shown = households.load_household(hid)
        assert shown["status"] == "matched"
        assert shown["matching"]["car_per_bapenda"] is True
        evaluation = checks.check(shown)
        assert evaluation.exclusions == ["car"]
        assert [f.rule for f in evaluation.of_kind("warning")] == ["nik_not_in_dukcapil"]


def test_the_cli_records_matching_results(store, admin, capsys, monkeypatch):
    from conftest import ADMIN, ADMIN_PASSWORD

    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    saved = households.save_household(household(head()), final=True, officer=ADMIN_OFFICER)
    from app.services import auth

    auth.log_out()
    args = [
        "--home",
        str(store.home),
        "--user",
        ADMIN,
        "household",
        "match",
        saved["household_id"],
        "--njop",
        "1500000000",
    ]
    assert main(args) == 1  # a kelurahan installation: pemadanan results are Dinsos'
    assert "field matching may only be changed by Dinsos" in capsys.readouterr().err
    log_in_again(store)
    installation.set_dinsos(None, ADMIN_OFFICER)
    auth.log_out()
    assert main(args) == 0
    assert "status matched, exclusions: njop_over_1b" in capsys.readouterr().out
    assert main([*args[:-2], "--status", "lunas"]) == 1
    assert "tidak valid" in capsys.readouterr().err
