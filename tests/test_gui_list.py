"""The household list model and the kelurahan picker, tested without the main window."""

from __future__ import annotations

from conftest import ADMIN_OFFICER
from PySide6.QtCore import Qt

from app.core.document import new_household, new_member
from app.db import households
from app.services import households as hh_service
from app.services import installation
from app.ui.household.list_model import PAGE_SIZE, HouseholdListModel
from app.ui.widgets.village_picker import VillagePicker


def add_households(count: int) -> list[str]:
    docs = []
    for i in range(count):
        doc = new_household("31.74.01.1001", no_kk=f"3174010101{i:06d}", status="registered")
        doc["updated_at"] = f"2026-11-01T08:{i // 60 % 60:02d}:{i % 60:02d}.000Z"
        doc["members"] = [new_member(name=f"Warga {i}", nik=f"31740141019{i:05d}", relationship=1)]
        docs.append(doc)
    households.insert_many(docs)
    return [d["household_id"] for d in docs]


def test_list_loads_page_by_page_and_holds_every_household_once(qtbot, store):
    ids = add_households(PAGE_SIZE * 2 + 50)
    model = HouseholdListModel(hh_service)
    assert model.rowCount() == 0 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == len(ids)
    seen = [model.household_id(r) for r in range(model.rowCount())]
    assert sorted(seen) == sorted(ids)
    assert seen[0] == ids[-1]  # newest change first


def test_list_shows_masked_nik_and_indonesian_status(qtbot, store):
    add_households(1)
    model = HouseholdListModel(hh_service)
    model.fetchMore()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["No. Registrasi", "Kepala keluarga", "NIK kepala keluarga"]
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[1] == "Warga 0"
    assert row[2] == "3174********0000"
    assert "Terdaftar" in row


def test_search_results_replace_the_list_and_reload_restores_it(qtbot, store):
    add_households(30)
    model = HouseholdListModel(hh_service)
    model.show_results(hh_service.search_households("Warga 17"))
    assert model.rowCount() == 1 and not model.canFetchMore()
    model.reload()
    model.fetchMore()
    assert model.rowCount() == 30


def test_kelurahan_picker_filters_by_name_and_picks_with_enter(qtbot, empty_store):
    picker = VillagePicker(installation.villages())
    qtbot.addWidget(picker)
    qtbot.keyClicks(picker.search, "menteng dalam")
    assert picker.selected_code() == "31.74.01.1003"
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    installation.set_village(picker.selected_code(), ADMIN_OFFICER)
    assert installation.current_village().name == "Menteng Dalam"
