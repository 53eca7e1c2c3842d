"""Final means complete (issue 14): every answer a DTKS proposal needs, marked `x-core` in the
household schema, is an error while missing (drafts may stay incomplete); dates kept as typed
are errors too; the badge stays neutral until the household is complete."""

from __future__ import annotations

import pytest
from conftest import ADMIN_OFFICER
from helpers.households import REGIONS, TODAY, head, household

from app import rules
from app.core import document
from app.core.document import load_schema, new_member
from app.core.errors import UserError
from app.rules import completeness
from app.rules.context import Requirement
from app.rules.findings import Evaluation, Finding

HOUSEHOLD = [
    ("no_kk", "No. KK belum diisi"),
    ("rw", "RW belum diisi"),
    ("rt", "RT belum diisi"),
    ("address", "Alamat belum diisi"),
]
HOUSING = [
    ("housing.tenure", "Status penguasaan bangunan belum diisi"),
    ("housing.floor", "Jenis lantai terluas belum diisi"),
    ("housing.wall", "Jenis dinding terluas belum diisi"),
    ("housing.roof", "Jenis atap terluas belum diisi"),
    ("housing.drinking_water", "Sumber air minum utama belum diisi"),
    ("housing.lighting", "Sumber penerangan utama belum diisi"),
    ("housing.cooking_fuel", "Bahan bakar utama memasak belum diisi"),
    ("housing.toilet", "Fasilitas buang air besar belum diisi"),
]
MEMBER = [  # of the second member
    ("members[1].nik", "Anggota 2: NIK belum diisi"),
    ("members[1].name", "Anggota 2: Nama lengkap belum diisi"),
    ("members[1].sex", "Anggota 2: Jenis kelamin belum diisi"),
    ("members[1].birth_date", "Anggota 2: Tanggal lahir belum diisi"),
    ("members[1].relationship", "Anggota 2: Hubungan dengan kepala keluarga belum diisi"),
    ("members[1].marital_status", "Anggota 2: Status perkawinan belum diisi"),
]


def evaluate(doc, **kwargs):
    return rules.evaluate(doc, today=TODAY, regions=REGIONS, **kwargs)


def family():
    """Nur Hasanah and her son Rizky: complete, proposable, without errors or warnings."""
    son = new_member(nik="3174011203050001", name="Rizky Pratama", sex=1,
                     birth_date="2005-03-12", relationship=3, marital_status=1)  # fmt: skip
    return household(head(), son)


def set_path(doc, path, value):
    if path.startswith("members["):
        index, key = path[len("members[") :].split("].")
        doc["members"][int(index)][key] = value
    else:
        section, _, key = path.rpartition(".")
        (doc[section] if section else doc)[key] = value


def test_the_required_answers_are_the_schemas_x_core_marks():
    required = completeness.from_schema(load_schema())
    paths = [f"{r.section}.{r.key}" if r.section else r.key for r in required]
    expected = (
        [p for p, _ in HOUSEHOLD + HOUSING]
        + [p.replace("members[1]", "members") for p, _ in MEMBER]
        + ["members.mother_name"]
    )  # the head's and the spouse's only (tests/test_schema_v2.py)
    assert sorted(paths) == sorted(expected)
    assert completeness.schema_requirements() == required  # what evaluate uses by default


def test_a_complete_household_has_no_completeness_errors():
    evaluation = evaluate(family())
    assert evaluation.complete and evaluation.missing == []
    assert not evaluation.has_errors and evaluation.of_kind("warning") == []
    assert evaluation.proposable


@pytest.mark.parametrize(("path", "message"), HOUSEHOLD + HOUSING + MEMBER)
@pytest.mark.parametrize("empty", [None, "", "  "])
def test_each_missing_answer_is_an_error_at_its_field(path, message, empty):
    doc = family()
    set_path(doc, path, empty)
    evaluation = evaluate(doc)
    errors = [f.to_dict() for f in evaluation.of_kind("error")]
    assert errors == [
        {
            "rule": "answer_missing",
            "kind": "error",
            "message": message,
            "fields": [path],
            "source": "Kelengkapan data DTKS (Kemensos)",
        }
    ]
    assert [f.message for f in evaluation.missing] == [message]
    assert not evaluation.complete


def test_zero_and_false_are_answers():
    doc = family()
    doc["rw"] = doc["rt"] = 0
    assert evaluate(doc).complete


def test_a_new_household_lists_what_is_missing_in_the_order_of_the_form():
    doc = document.new_household("31.74.01.1001")
    doc["members"] = [new_member(), new_member(name="Rizky")]
    evaluation = evaluate(doc)
    messages = [f.message for f in evaluation.missing]
    assert messages[:4] == [m for _, m in HOUSEHOLD]
    assert messages[4:10] == [m.replace("Anggota 2", "Anggota 1") for _, m in MEMBER]
    assert "Anggota 2: Nama lengkap belum diisi" not in messages
    assert messages[-8:] == [m for _, m in HOUSING]
    assert len(evaluation.missing) == 4 + 6 + 5 + 8


def test_no_members_counts_as_missing():
    doc = family()
    doc["members"] = []
    evaluation = evaluate(doc)
    assert [f.rule for f in evaluation.missing] == ["members_missing"]


def test_requirements_can_be_passed_in():
    doc = family()
    doc["address"] = None
    assert evaluate(doc, required=()).complete
    custom = (Requirement("housing", "sewage", "Pembuangan akhir tinja"),)
    assert [f.message for f in evaluate(doc, required=custom).missing] == [
        "Pembuangan akhir tinja belum diisi"
    ]


def test_from_schema_reads_top_level_nested_and_array_item_marks():
    schema = {
        "properties": {
            "a": {"title": "A", "x-core": True},
            "b": {"title": "B"},
            "box": {"type": "object", "properties": {"c": {"title": "C", "x-core": True}}},
            "rows": {
                "type": "array",
                "items": {"properties": {"d": {"x-core": True}, "e": {"title": "E"}}},
            },
        }
    }
    assert completeness.from_schema(schema) == (
        Requirement("", "a", "A"),
        Requirement("box", "c", "C"),
        Requirement("rows", "d", "d"),
    )


# --- dates kept as typed ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["31-02-1980", "1980-02-31", "2021-W01-1", "19800527", "x"])
def test_a_birth_date_that_is_not_an_iso_date_is_an_error_and_crashes_nothing(typed):
    doc = family()
    doc["members"][1]["birth_date"] = typed
    evaluation = evaluate(doc)
    [error] = evaluation.of_kind("error")
    assert (error.rule, error.message, error.fields) == (
        "date_invalid",
        f"Tanggal tidak valid: {typed}",
        ("members[1].birth_date",),
    )
    assert evaluation.complete  # typed, so not missing; but not valid either


def test_an_invalid_musyawarah_date_is_an_error_at_its_field():
    doc = family()
    doc["musyawarah"] = {"decision": "eligible", "date": "31-12-2026", "minutes_number": "1"}
    [error] = evaluate(doc).of_kind("error")
    assert (error.message, error.fields) == (
        "Tanggal tidak valid: 31-12-2026",
        ("musyawarah.date",),
    )
    doc["musyawarah"]["date"] = "2026-12-31"
    assert not evaluate(doc).has_errors


def test_every_rule_tolerates_invalid_dates_in_every_member():
    doc = family()
    for member, typed in zip(doc["members"], ["31-02-1980", "1980-02-31"], strict=True):
        member["birth_date"] = typed
    doc["musyawarah"]["date"] = "kemarin"
    evaluation = evaluate(doc)
    assert {f.rule for f in evaluation.of_kind("error")} == {"date_invalid"}
    assert len(evaluation.of_kind("error")) == 3


# --- final saves -------------------------------------------------------------------------------


def test_a_draft_may_be_incomplete_but_a_final_save_is_refused(store):
    from app.services import households

    doc = households.new_household()
    doc["no_kk"] = "3174012304150007"
    doc["members"] = [new_member(nik="3174016705800004", name="Nur Hasanah")]
    draft = households.save_household(doc, final=False, officer=ADMIN_OFFICER)
    assert draft["status"] == "draft"
    with pytest.raises(UserError, match="Perbaiki dahulu: RW belum diisi; RT belum diisi;"):
        households.save_household(draft, final=True, officer=ADMIN_OFFICER)
    assert households.load_household(doc["household_id"])["status"] == "draft"


# --- the badge -----------------------------------------------------------------------------------


def panel_showing(qtbot, evaluation):
    from app.ui.widgets.findings_panel import FindingsPanel

    panel = FindingsPanel()
    qtbot.addWidget(panel)
    panel.show_evaluation(evaluation)
    return panel


def test_the_badge_is_neutral_until_the_household_is_complete(qtbot):
    doc = family()
    doc["address"] = doc["members"][1]["marital_status"] = None
    doc["housing"]["roof"] = None
    panel = panel_showing(qtbot, evaluate(doc))
    assert panel.badge.text() == "Belum lengkap: 3 isian"
    style = panel.badge.styleSheet()
    assert "#1e7b34" not in style and "#b3261e" not in style  # neither green nor red
    assert panel.badge.property("state") == "incomplete"


def test_the_badge_counts_a_household_without_members_as_one_missing_answer(qtbot):
    doc = family()
    doc["members"] = []
    assert panel_showing(qtbot, evaluate(doc)).badge.text() == "Belum lengkap: 1 isian"


def test_an_exclusion_shows_as_before_even_when_incomplete(qtbot):
    doc = family()
    doc["address"] = None
    doc["assets"]["car"] = True
    panel = panel_showing(qtbot, evaluate(doc))
    assert panel.badge.text() == "Tidak dapat diusulkan: Keluarga memiliki mobil."
    assert panel.badge.property("state") == "excluded"


def test_a_complete_household_is_proposable_and_other_errors_still_say_so(qtbot):
    panel = panel_showing(qtbot, evaluate(family()))
    assert panel.badge.text() == "Dapat diusulkan"
    assert panel.badge.property("state") == "proposable"
    doc = family()
    doc["no_kk"] = "317401"
    panel.show_evaluation(evaluate(doc))
    assert panel.badge.text() == "Dapat diusulkan (perbaiki kesalahan sebelum simpan final)"


def test_a_missing_answer_in_the_panel_jumps_to_its_field(qtbot):
    doc = family()
    doc["members"][1]["birth_date"] = None
    panel = panel_showing(qtbot, evaluate(doc))
    [item] = [
        panel.list.item(i)
        for i in range(panel.list.count())
        if "Anggota 2: Tanggal lahir belum diisi" in panel.list.item(i).text()
    ]
    assert item.text().startswith("Kesalahan: ")
    with qtbot.waitSignal(panel.field_requested) as requested:
        panel.list.itemClicked.emit(item)
    assert requested.args == ["members[1].birth_date"]


def test_the_evaluation_counts_only_missing_answers():
    missing = Finding("answer_missing", "error", "Alamat belum diisi", ("address",))
    other = Finding("no_kk_format", "error", "No. KK harus 16 digit angka.", ("no_kk",))
    evaluation = Evaluation("fmotm-dki-2021", [missing, other])
    assert evaluation.missing == [missing] and not evaluation.complete
    assert Evaluation("fmotm-dki-2021", [other]).complete
