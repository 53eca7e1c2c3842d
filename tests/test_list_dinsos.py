"""The household list on a Dinsos installation (issue 19): households of several kelurahan as
bundles deliver them, a kelurahan filter (with status, RW, RT, every sort order, the search and
the paging of the model), the queries read indexes and not the wide household rows (5 s at
640,000 households), and the overview opens a kelurahan's list with Enter or a double-click.
Real encrypted store, real main window (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
from conftest import ADMIN_OFFICER
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel
from test_gui_mnemonics import check

from app.core.document import new_household, new_member
from app.core.errors import UserError
from app.db import households, list_query
from app.db.connection import database
from app.db.list_query import _filters, _order, _sources
from app.services import installation, listing
from app.services.listing import SORT_KEYS, ListQuery
from app.ui.application import create_main_window
from app.ui.household.list_model import PAGE_SIZE
from app.ui.runner import Runner

TEBET, MANGGARAI, GAMBIR = "31.74.01.1001", "31.74.01.1002", "31.71.01.1001"
STATUSES = ("registered", "draft", "excluded", "eligible")


def add(village: str, count: int, start: int = 0) -> list[dict]:
    """`count` households of `village`, as a bundle brings them: RW 1-3, RT 1-2, statuses by
    turns, each changed a second after the one before (numbering continues from `start`)."""
    docs = []
    for i in range(start, start + count):
        number = f"{village.replace('.', '')}-ABCD1234-{i:06d}"
        doc = new_household(village, no_kk=f"3174010101{i:06d}", rw=1 + i % 3, rt=1 + i % 2,
                            status=STATUSES[i % 4], address=f"Jl. Nomor {i % 7}",
                            registration_number=number)  # fmt: skip
        doc["updated_at"] = f"2026-11-01T{8 + i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000Z"
        doc["members"] = [
            new_member(name=f"Warga {i}", nik=f"31740141019{i:05d}", relationship=1, position=0),
            new_member(name=f"Anak {i % 5}", nik=f"31740141018{i:05d}", relationship=3,
                       position=1),
        ][: 1 + i % 2]  # fmt: skip
        docs.append(doc)
    households.insert_many(docs)
    return docs


@pytest.fixture
def city(store) -> dict[str, list[dict]]:
    """Three kelurahan (two in Jakarta Selatan, one in Jakarta Pusat), one deleted household;
    then the installation becomes the province's Dinsos."""
    found = {TEBET: add(TEBET, 40), MANGGARAI: add(MANGGARAI, 25, 40), GAMBIR: add(GAMBIR, 9, 65)}
    database.execute_sql("UPDATE household SET deleted = 1 WHERE id = ?",
                         (found[TEBET][3]["household_id"],))  # fmt: skip
    installation.set_dinsos(None, ADMIN_OFFICER)
    return found


def village_of() -> dict[str, str]:
    return dict(database.execute_sql("SELECT id, village_code FROM household").fetchall())


def found(**fields) -> list[str]:
    return listing.find_households(ListQuery(**fields)).ids


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_a_kelurahan_is_the_whole_list_restricted_to_it_in_every_order(city, sort, descending):
    # the whole area in any order from the store (the service gives it in one order only)
    everyone = list_query.find(ListQuery(sort=sort, descending=descending)).ids
    assert len(everyone) == 40 + 25 + 9 - 1  # the deleted one never
    where = village_of()
    for village, docs in city.items():
        mine = found(village=village, sort=sort, descending=descending)
        assert mine == [i for i in everyone if where[i] == village]
        assert len(mine) == len(docs) - (village == TEBET)


def test_filters_within_a_kelurahan_and_without_one(city):
    rows = {r.id: r for r in listing.household_rows(found())}
    where = village_of()
    for village in (None, TEBET, GAMBIR):
        for status in (None, "draft", "eligible"):
            for rw, rt in ((None, None), (2, None), (2, 1), (3, 2)):
                expected = [i for i, r in rows.items() if (village in (None, where[i]))
                            and status in (None, r.status) and rw in (None, r.rw)
                            and rt in (None, r.rt)]  # fmt: skip
                shown = found(village=village, status=status, rw=rw, rt=rt)
                assert shown == expected, (village, status, rw, rt)
    assert found(village="31.74.01.1003") == []  # a kelurahan that sent nothing
    assert ListQuery(village=TEBET).filtered and not ListQuery().filtered


def test_a_search_within_a_kelurahan(city):
    tebet = {d["household_id"] for d in city[TEBET][:40]} - {city[TEBET][3]["household_id"]}
    by_name = listing.find_households(ListQuery(text="anak 1", village=TEBET))
    assert by_name.ids and set(by_name.ids) <= tebet
    assert all(names == ("Anak 1",) for names in by_name.matched.values())
    everywhere = listing.find_households(ListQuery(text="anak 1"))
    assert set(by_name.ids) == set(everywhere.ids) & tebet
    gambir = city[GAMBIR][2]
    nik = gambir["members"][0]["nik"]
    assert found(text=nik, village=GAMBIR) == [gambir["household_id"]]
    assert found(text=nik, village=TEBET) == []
    assert found(text=gambir["registration_number"][-6:], village=GAMBIR) == [
        gambir["household_id"]]  # fmt: skip
    assert found(text=nik[:-1], status="draft", village=GAMBIR) == [
        d["household_id"] for d in city[GAMBIR][::-1] if d["status"] == "draft"
        and d["members"][0]["nik"].startswith(nik[:-1])]  # fmt: skip


def test_places_and_kelurahan_choices(city):
    assert listing.places(GAMBIR) == sorted({(d["rw"], d["rt"]) for d in city[GAMBIR]})
    assert len(listing.places()) == 6
    villages = listing.villages()  # the province: every kelurahan of Jakarta, by name
    assert len(villages) == len(installation.villages()) > 200
    names = [installation.village(code).name for code, _label in villages]
    assert names == sorted(names)
    assert (GAMBIR, installation.village(GAMBIR).label) in villages
    installation.set_dinsos("31.74", ADMIN_OFFICER)  # a Suku Dinas: its kota only
    assert {code[:5] for code, _label in listing.villages()} == {"31.74"}


def test_no_kelurahan_choice_on_a_kelurahan_installation(store):
    assert listing.villages() == []


def plan(sql: str, params) -> list[str]:
    return [str(r[3]) for r in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)]


def test_list_queries_read_indexes_not_household_rows(city):
    """At 640,000 households a scan of the wide household rows took 5-7 s: the default list and
    its count, a kelurahan and a status without one read an index (migration 25's of live
    households by change, or the (village, RW, RT, status) one)."""
    for query in (ListQuery(), ListQuery(village=GAMBIR), ListQuery(status="draft"),
                  ListQuery(village=GAMBIR, status="draft", rw=2),
                  ListQuery(village=GAMBIR, sort="head_name", descending=False)):  # fmt: skip
        where, params = _filters(query)
        steps = plan(f"SELECT h.id FROM household h WHERE {where} ORDER BY {_order(query)}", params)
        scans = [s for s in steps if s.startswith(("SCAN h ", "SCAN household"))]
        assert all("COVERING INDEX" in s for s in scans), (query, steps)
        if query.village:
            assert any("household_village_rw_rt_status (village_code=?" in s for s in steps)
    assert plan("SELECT COUNT(*) FROM household WHERE deleted = 0", ()) == [
        "SCAN household USING COVERING INDEX household_live_updated_at"]  # fmt: skip
    assert listing.household_count() == 40 + 25 + 9 - 1


def test_searches_by_nik_and_registration_number_read_indexes(city):
    """A registration number, its sequence or device code, a NIK or No. KK: never a scan of
    the household rows (a search by registration number took 4 s at 640,000 households)."""
    doc = city[MANGGARAI][7]
    number, nik = doc["registration_number"], doc["members"][0]["nik"]
    for text in (number, number[:-3], number[-6:], "47", number[11:], nik, doc["no_kk"]):
        for source in _sources(text):
            steps = plan(source.sql, source.params)
            scans = [s for s in steps if s.startswith(("SCAN h ", "SCAN household"))]
            assert all("COVERING INDEX" in s for s in scans), (text, steps)
        assert doc["household_id"] in found(text=text), text
    assert found(text=number.lower()) == [doc["household_id"]]


def dinsos_window(qtbot):
    win = create_main_window(ADMIN_OFFICER, Runner(synchronous=True))
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
    return win


def shown(win) -> list[str]:
    return [win.model.household_id(r) for r in range(win.model.rowCount())]


def overview_row(page, code: str) -> int:
    return next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 0).data() == code)


def test_enter_on_a_kelurahan_of_the_overview_opens_its_list(qtbot, city):
    win = dinsos_window(qtbot)
    page = win.dinsos_overview
    assert win.pages.currentWidget() is page
    assert "Enter atau klik dua kali" in page.summary.text()
    filters = win.list_page.filters
    assert filters.village.isVisibleTo(win.list_page) and not filters.rw.isEnabled()

    # typed into the overview's filter, Enter: the kelurahan shown first
    qtbot.keyClicks(page.search, "gambir")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert win.pages.currentWidget() is win.list_page
    first = page.proxy.index(0, 0).data()
    assert filters.values()["village"] == first
    assert shown(win) == found(village=first)

    # back to the overview (Dinsos menu), a row selected by keyboard, Enter
    win.dinsos_menu.overview_action.trigger()
    page.search.clear()
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(overview_row(page, TEBET), 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert win.pages.currentWidget() is win.list_page
    assert filters.village.currentData() == TEBET
    assert filters.village.currentText() == installation.village(TEBET).label
    assert shown(win) == found(village=TEBET) and len(shown(win)) == 39
    assert win.list_page.summary.text() == "39 keluarga sesuai saringan"
    assert QApplication.focusWidget() is win.list_page.search

    # its RWs only, then a double-click on another kelurahan: every RW again
    filters.rw.setFocus()
    assert [filters.rw.itemText(i) for i in range(filters.rw.count())] == [
        "Semua RW", "RW 001", "RW 002", "RW 003"]  # fmt: skip
    qtbot.keyClick(filters.rw, Qt.Key.Key_Down)
    assert shown(win) == found(village=TEBET, rw=1) and filters.rt.isEnabled()
    win.dinsos_menu.overview_action.trigger()
    index = page.proxy.index(overview_row(page, MANGGARAI), 2)
    page.table.scrollTo(index)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.pages.currentWidget() is win.list_page
    assert filters.values()["village"] == MANGGARAI and filters.values()["rw"] is None
    assert shown(win) == found(village=MANGGARAI)


def test_the_kelurahan_filter_by_keyboard_and_its_alt_key(qtbot, city):
    win = dinsos_window(qtbot)
    win.dinsos_menu.list_action.trigger()
    filters = win.list_page.filters
    assert len(shown(win)) == 73 and filters.village.currentData() is None
    problems: dict[str, object] = {}
    check(win, problems, "Dinsos household list")
    assert problems == {}
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is filters.village
    qtbot.keyClicks(filters.village, "Gambir")  # type-ahead on the kelurahan's name
    assert filters.village.currentData() == GAMBIR
    assert shown(win) == found(village=GAMBIR) and filters.rw.isEnabled()
    qtbot.keyClick(filters.village, Qt.Key.Key_Home)  # Semua kelurahan
    assert len(shown(win)) == 73 and not filters.rw.isEnabled()
    assert win.list_page.summary.text() == "73 keluarga terdaftar"
    hint = win.list_page.sizeHint()
    assert hint.width() <= 1366 and win.frameGeometry().height() <= 768


def test_a_kelurahan_installation_has_no_kelurahan_filter(window):
    filters = window.list_page.filters
    assert not filters.village.isVisibleTo(window.list_page) and filters.rw.isEnabled()
    labels = [label.text() for label in filters.findChildren(QLabel)]
    assert labels == ["&Status:", "R&W:", "&RT:", "Urut&kan:"]


def test_paging_within_a_kelurahan(qtbot, store):
    big = add(TEBET, PAGE_SIZE * 2 + 30)
    add(GAMBIR, 120, len(big))
    installation.set_dinsos(None, ADMIN_OFFICER)
    win = dinsos_window(qtbot)
    win.list_page.show_village(TEBET)
    win.show_list()
    assert win.model.rowCount() == len(big)
    table = win.list_page.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert win.list_page.selected_household_id() == big[0]["household_id"]  # oldest, last
    assert table.currentIndex().siblingAtColumn(1).data() == "Warga 0"
    middle = win.model.index(PAGE_SIZE + 5, 0).data()
    assert middle == big[len(big) - PAGE_SIZE - 6]["registration_number"]
    assert shown(win) == [d["household_id"] for d in big[::-1]]


def test_the_whole_area_only_in_the_order_an_index_gives(qtbot, city):
    """640,000 households sorted by the head's name took 20-27 s on the one database thread:
    without a kelurahan (and without a search) a Dinsos installation refuses any other order,
    in the service, and its list offers no other."""
    for sort in set(SORT_KEYS) - listing.WHOLE_AREA_SORTS:
        with pytest.raises(UserError, match="pilih kelurahan dulu"):
            listing.list_households(ListQuery(sort=sort))
        assert listing.list_households(ListQuery(sort=sort, village=GAMBIR)).ids  # every order
        assert listing.list_households(ListQuery(sort=sort, text="Warga 1")).ids  # at most 500
        assert len(found(sort=sort)) == 73  # an export reads the whole area in any order
    assert len(listing.list_households(ListQuery(descending=False)).ids) == 73

    win = dinsos_window(qtbot)
    win.dinsos_menu.list_action.trigger()
    filters, page = win.list_page.filters, win.list_page
    offered = {filters.sort.itemData(r): filters.sort.model().item(r).isEnabled()
               for r in range(filters.sort.count())}  # fmt: skip
    assert offered == {key: key in listing.WHOLE_AREA_SORTS for key in offered}
    head = next(r for r in range(filters.sort.count()) if filters.sort.itemData(r) == "head_name")
    assert "pilih kelurahan" in filters.sort.itemData(head, Qt.ItemDataRole.ToolTipRole)

    # a header click on another column: said above the list, the list and its order unchanged
    before = shown(win)
    header = page.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, head)
    )
    assert page.summary.text() == listing.WHOLE_AREA_REFUSAL
    assert shown(win) == before and filters.values()["sort"] == "updated_at"
    assert header.sortIndicatorSection() == len(SORT_KEYS) - 1

    # within a kelurahan every order; back to the whole area: the default order, shown
    filters.village.setCurrentIndex(filters.village.findData(TEBET))
    assert filters.sort.model().item(head).isEnabled()
    filters.sort.setCurrentIndex(head)
    assert shown(win) == found(village=TEBET, sort="head_name", descending=True)
    filters.village.setCurrentIndex(0)
    assert filters.values()["sort"] == "updated_at" and len(shown(win)) == 73
    assert header.sortIndicatorSection() == len(SORT_KEYS) - 1


def _section_centre(header, section: int) -> QPoint:
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)
