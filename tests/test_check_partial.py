"""`check` (and `household add`) take documents from other tools (issue 14): the fields the
store manages and answers not given may be left out; "proposable" is true only with exit 0."""

from __future__ import annotations

import json

import pytest
from conftest import ADMIN, ADMIN_PASSWORD

from app.cli.main import main
from app.core import document
from app.services import households

HOUSEHOLD_ID = "0190d7a2-5f3e-7c41-9a55-2f1b7c3d4e5f"
MEMBER_ID = "0190d7a2-5f3e-7c41-9a55-2f1b7c3d4e60"
CORE_HOUSING = {
    "tenure": 2, "floor": 2, "wall": 1, "roof": 2, "drinking_water": 3, "lighting": 1,
    "cooking_fuel": 4, "toilet": 1,
}  # fmt: skip


def partial(**changes):
    """What another tool might send: the answers DTKS needs, nothing the store manages, no
    assets, no optional member answers."""
    doc = {
        "schema_version": 2,
        "household_id": HOUSEHOLD_ID,
        "village_code": "31.74.01.1001",
        "no_kk": "3174012304150007",
        "rw": 5,
        "rt": 12,
        "address": "Jl. Tebet Timur Dalam Raya No. 3",
        "housing": dict(CORE_HOUSING),
        "members": [
            {
                "member_id": MEMBER_ID,
                "nik": "3174016705800004",
                "name": "Nur Hasanah",
                "sex": 2,
                "birth_date": "1980-05-27",
                "mother_name": "Siti Rahmah",
                "relationship": 1,
                "marital_status": 2,
            }
        ],
    }
    doc.update(changes)
    return doc


def check(tmp_path, capsys, content):
    path = tmp_path / "from-another-tool.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    code = main(["--home", str(tmp_path / "home"), "check", str(path)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def test_a_partial_document_from_another_tool_is_checked(tmp_path, capsys):
    code, result, err = check(tmp_path, capsys, partial())
    assert (code, err) == (0, "")
    assert result["proposable"] is True
    assert [f for f in result["findings"] if f["kind"] == "error"] == []


def test_answers_left_out_are_unanswered_and_make_it_not_proposable(tmp_path, capsys):
    doc = partial()
    del doc["housing"]
    del doc["members"][0]["marital_status"]
    del doc["address"]
    code, result, _ = check(tmp_path, capsys, doc)
    assert code == 3 and result["proposable"] is False
    missing = [(f["message"], f["fields"]) for f in result["findings"] if f["kind"] == "error"]
    assert ("Alamat belum diisi", ["address"]) in missing
    assert ("Anggota 1: Status perkawinan belum diisi", ["members[0].marital_status"]) in missing
    assert ("Jenis atap terluas belum diisi", ["housing.roof"]) in missing
    assert {f["rule"] for f in result["findings"] if f["kind"] == "error"} == {"answer_missing"}


def test_without_members_or_with_managed_fields_given(tmp_path, capsys):
    code, result, _ = check(tmp_path, capsys, partial(members=[]))
    assert code == 3 and result["proposable"] is False
    assert [f["rule"] for f in result["findings"]] == ["members_missing"]
    managed = partial(status="draft", exclusions=[], revs=[], deleted=False, rev=None)
    assert check(tmp_path, capsys, managed)[0] == 0


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({}, 0),
        ({"assets": {"car": True}}, 1),  # an exclusion: 1 (assets given in part)
        ({"no_kk": "123"}, 3),  # an error without an exclusion: 3
        ({"no_kk": "123", "assets": {"car": True}}, 1),  # both: 1
    ],
)
def test_proposable_is_true_exactly_when_the_exit_code_is_0(tmp_path, capsys, changes, code):
    exit_code, result, _ = check(tmp_path, capsys, partial(**changes))
    assert exit_code == code
    assert result["proposable"] is (code == 0)


@pytest.mark.parametrize(
    ("doc", "says"),
    [
        (partial(schema_version=3), "schema_version 3"),
        (partial(rw="lima"), "data.rw"),  # wrong type
        (partial(housing={**CORE_HOUSING, "roof": "genteng"}), "data.housing.roof"),
        (partial(members=[{"nik": "3174016705800004"}]), "member_id"),  # identity stays required
        (partial(assets={"car": "ya"}), "data.assets.car"),
        (partial(housing=None), "data.housing"),
        (partial(extra_field=1), "extra_field"),  # still no extra keys
        ({k: v for k, v in partial().items() if k != "household_id"}, "household_id"),
        ({k: v for k, v in partial().items() if k != "schema_version"}, "schema_version"),
        ("{not json", "not valid JSON"),
    ],
)
def test_a_newer_version_wrong_types_and_missing_identity_still_exit_2(tmp_path, capsys, doc, says):
    code, result, err = check(tmp_path, capsys, doc)
    assert code == 2 and result is None
    assert says in err and err.startswith("error: ") and err.count("\n") == 1


def test_normalise_fills_only_what_is_left_out():
    doc = partial(assets={"car": True})
    filled = document.normalise(doc)
    assert doc == partial(assets={"car": True})  # the input is not changed
    assert filled["status"] == "draft" and filled["registration_number"] is None
    assert filled["exclusions"] == [] and filled["revs"] == [] and filled["deleted"] is False
    assert filled["musyawarah"] == {"decision": None, "date": None, "minutes_number": None}
    assert filled["assets"]["car"] is True and filled["assets"]["motorcycle"] is False
    assert filled["housing"]["sewage"] is None and filled["housing"]["power_va"] == []
    assert filled["members"][0]["public_post"] == "none"
    assert filled["members"][0]["pregnant"] is False and filled["phone"] is None
    assert document.validate(filled) is filled
    assert document.normalise([1]) == [1]  # not a document: left for validate to refuse


def test_the_stored_schema_stays_strict():
    with pytest.raises(document.DocumentError, match="is a required property"):
        document.validate(partial())
    filled = document.normalise(partial())
    del filled["status"]
    with pytest.raises(document.DocumentError, match='"status" is a required property'):
        document.validate(filled)


def test_household_add_stores_a_partial_document(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    path = tmp_path / "from-another-tool.json"
    path.write_text(json.dumps(partial()))
    code = main(["--home", str(store.home), "--user", ADMIN, "household", "add", str(path)])
    assert code == 0
    assert capsys.readouterr().out == f"added {HOUSEHOLD_ID}\n"
    from conftest import log_in_again

    log_in_again(store)
    stored = households.load_household(HOUSEHOLD_ID)
    assert stored["status"] == "draft" and stored["members"][0]["name"] == "Nur Hasanah"
    assert stored["assets"]["car"] is False and stored["rev"].startswith("1-")
