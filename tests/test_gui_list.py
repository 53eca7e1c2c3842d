"""The household list as the officer uses it (issue 16): every household counted at once, Ctrl+End
to the last one, a new search at the top, the honest count, the member a search matched, the
filters and the sort orders by keyboard and by header click, the coloured status. Real store,
real main window (pytest-qt, offscreen); the kelurahan picker."""

from __future__ import annotations

from conftest import ADMIN_OFFICER
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.core.document import new_household, new_member
from app.db import households
from app.services import installation, listing
from app.services.listing import ListQuery
from app.ui.household.list_model import (
    PAGE_SIZE,
    STATUS_COLUMN,
    TONE_COLOURS,
    HouseholdListModel,
)
from app.ui.widgets.village_picker import VillagePicker


def add_households(count: int, **fields) -> list[str]:
    """`count` households, each changed a second after the one before (the last is newest)."""
    docs = []
    for i in range(count):
        values = {"status": "registered", "rw": 1 + i % 3, "rt": 1, **fields}
        doc = new_household("31.74.01.1001", no_kk=f"3174010101{i:06d}", **values)
        doc["updated_at"] = f"2026-11-01T{8 + i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000Z"
        doc["members"] = [new_member(name=f"Warga {i}", nik=f"31740141019{i:05d}", relationship=1)]
        docs.append(doc)
    households.insert_many(docs)
    return [d["household_id"] for d in docs]


class CountingSource:
    """The real list service, counting the rows it is asked for."""

    def __init__(self):
        self.asked: list[int] = []

    def household_rows(self, ids):
        self.asked.append(len(ids))
        return listing.household_rows(ids)


def shown(window) -> list[str]:
    return [window.model.household_id(r) for r in range(window.model.rowCount())]


def test_the_model_counts_every_household_and_reads_only_the_pages_drawn(qtbot, store):
    ids = add_households(PAGE_SIZE * 2 + 50)
    source = CountingSource()
    model = HouseholdListModel(source)
    model.show_listing(listing.find_households(ListQuery()), searching=False)
    assert model.rowCount() == len(ids) and source.asked == []
    assert model.index(model.rowCount() - 1, 1).data() == "Warga 0"  # the oldest, last
    assert source.asked == [50]  # only the last page was read
    assert [model.household_id(r) for r in range(model.rowCount())] == ids[::-1]


def test_ctrl_end_reaches_the_last_household_in_one_press(qtbot, window):
    ids = add_households(PAGE_SIZE * 3 + 7)
    window.refresh_list()
    table = window.list_page.table
    assert window.list_page.summary.text() == f"{len(ids)} keluarga terdaftar"
    table.setFocus()
    assert table.currentIndex().row() <= 0  # straight from the search box
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == len(ids) - 1
    assert window.list_page.selected_household_id() == ids[0]  # the oldest change
    assert table.currentIndex().siblingAtColumn(1).data() == "Warga 0"

    # a new search starts at the top, with the real count
    window.list_page.search.setText("Warga 1")
    qtbot.waitUntil(lambda: window.model.searching)
    assert table.verticalScrollBar().value() == 0
    count = sum(1 for i in range(len(ids)) if str(i).startswith("1"))
    assert window.model.rowCount() == count
    assert window.list_page.summary.text() == f"{count} keluarga cocok dengan “Warga 1”"


def test_more_than_500_found_says_so(qtbot, window):
    add_households(503)
    window.list_page.search.setText("warga")
    qtbot.waitUntil(lambda: window.model.searching)
    assert window.model.rowCount() == 500
    assert window.list_page.summary.text().startswith("Lebih dari 500 keluarga cocok")
    window.list_page.search.setText("Tidak Ada")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert window.list_page.summary.text() == "0 keluarga cocok dengan “Tidak Ada”"
    window.list_page.search.setText("")
    qtbot.waitUntil(lambda: not window.model.searching)
    assert window.list_page.summary.text() == "503 keluarga terdaftar"


def family(no_kk: str, rw: int, people: list[tuple[str, str]], **fields) -> str:
    doc = new_household("31.74.01.1001", no_kk=no_kk, rw=rw, rt=2,
                        **{"status": "registered", **fields})  # fmt: skip
    doc["members"] = [new_member(name=name, nik=nik, relationship=1 if p == 0 else 3, position=p)
                      for p, (name, nik) in enumerate(people)]  # fmt: skip
    households.insert_many([doc])
    return doc["household_id"]


def test_a_match_on_another_member_shows_that_member(qtbot, window):
    people = [("Budi Santoso", "3174011203800001"), ("Nur Aini", "3174014505850002")]
    santoso = family("3174010101260001", 4, people)
    people = [("Rudi", "3174011203800003"), ("Ani Aini", "3174014505850004"), ("Aini", "317401")]
    two = family("3174010101260002", 4, people)
    window.list_page.search.setText("aini")
    qtbot.waitUntil(lambda: window.model.searching and window.model.rowCount() == 2)
    assert shown(window) == [two, santoso]
    head = window.model.index(1, 1)
    assert head.data() == "Budi Santoso (anggota: Nur Aini)"
    assert "Nur Aini" in head.data(Qt.ItemDataRole.ToolTipRole)
    both = window.model.index(0, 1)
    assert both.data() == "Rudi (anggota: Ani Aini +1)"  # the cell stays short
    assert both.data(Qt.ItemDataRole.ToolTipRole).endswith("Ani Aini, Aini")
    window.list_page.search.setText("budi")  # the head matched: nothing to add
    qtbot.waitUntil(lambda: shown(window) == [santoso])
    assert window.model.index(0, 1).data() == "Budi Santoso"


def test_filters_sorting_and_the_coloured_status_by_keyboard(qtbot, window):
    car = family("3174010101260001", 3, [("Zaki", "3174011203800001")],
                 status="excluded", exclusions=["car"])  # fmt: skip
    layak = family("3174010101260002", 3, [("Ani Layak", "3174011203800002")], status="eligible")
    family("3174010101260003", 9, [("Mira", "3174011203800003")], status="not_poor")
    window.refresh_list()
    page, filters = window.list_page, window.list_page.filters
    assert window.model.rowCount() == 3

    # each filter has its Alt-key (its label's mnemonic); the arrow keys choose
    for key, combo in ((Qt.Key.Key_W, filters.rw), (Qt.Key.Key_K, filters.sort),
                       (Qt.Key.Key_S, filters.status)):  # fmt: skip
        qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is combo
    while filters.status.currentData() != "excluded":
        qtbot.keyClick(filters.status, Qt.Key.Key_Down)
    assert shown(window) == [car]
    status = window.model.index(0, STATUS_COLUMN)
    assert status.data() == "Dikecualikan (mobil)"
    text, background = TONE_COLOURS["excluded"]
    assert status.data(Qt.ItemDataRole.ForegroundRole).color() == text
    assert status.data(Qt.ItemDataRole.BackgroundRole).color() == background
    qtbot.keyClick(filters.status, Qt.Key.Key_Home)  # Semua status
    assert window.model.rowCount() == 3

    # RW, then RT within it: the places are read when the RW filter is first used
    filters.rw.setFocus()
    assert [filters.rw.itemText(i) for i in range(filters.rw.count())] == [
        "Semua RW", "RW 003", "RW 009"]  # fmt: skip
    assert not filters.rt.isEnabled()
    qtbot.keyClick(filters.rw, Qt.Key.Key_Down)
    assert sorted(shown(window)) == sorted([car, layak]) and filters.rt.isEnabled()
    filters.rt.setFocus()
    qtbot.keyClick(filters.rt, Qt.Key.Key_Down)
    assert filters.rt.currentText() == "RT 002" and len(shown(window)) == 2
    assert page.summary.text() == "2 keluarga sesuai saringan"
    labels = {window.model.index(r, STATUS_COLUMN).data() for r in range(2)}
    assert labels == {"Dikecualikan (mobil)", "Layak (musyawarah)"}

    # sort by keyboard: the order combo and its direction (Space)
    filters.sort.setFocus()
    while filters.sort.currentData() != "head_name":
        qtbot.keyClick(filters.sort, Qt.Key.Key_Up)
    assert shown(window) == [car, layak]  # still descending: Zaki, Ani Layak
    filters.direction.setFocus()
    qtbot.keyClick(filters.direction, Qt.Key.Key_Space)
    assert shown(window) == [layak, car]
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == 1
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder

    # sort by a header click: the order combo follows
    x = header.sectionViewportPosition(STATUS_COLUMN) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert filters.sort.currentData() == "status"
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert filters.direction.isChecked() == descending
    # statuses in the questionnaire's order: excluded before eligible
    assert shown(window) == ([layak, car] if descending else [car, layak])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert shown(window) == ([car, layak] if descending else [layak, car])  # the other way


def test_kelurahan_picker_filters_by_name_and_picks_with_enter(qtbot, empty_store):
    picker = VillagePicker(installation.villages())
    qtbot.addWidget(picker)
    qtbot.keyClicks(picker.search, "menteng dalam")
    assert picker.selected_code() == "31.74.01.1003"
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    installation.set_village(picker.selected_code(), ADMIN_OFFICER)
    assert installation.current_village().name == "Menteng Dalam"
