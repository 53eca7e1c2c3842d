"""Cross-kelurahan duplicates (issue 19): two kelurahan send real bundles to a Dinsos
installation; a NIK held in both and a No. KK held in both are listed (masked), a notice is
recorded once on each household concerned and reaches each kelurahan in a bundle, a
withdrawal clears it; duplicates inside one kelurahan are not listed; only a Dinsos
supervisor/admin may list or send."""

from __future__ import annotations

import json

import pytest
from conftest import ADMIN_OFFICER
from sync_support import Installation, exchange

from app.core import dinsos_events
from app.core.document import new_member
from app.core.errors import UserError
from app.db import audit
from app.rules.nik import mask
from app.services import cross_duplicates, households, installation, marks
from app.services.actions import AuthError, Officer

K1, K2 = "31.74.01.1001", "31.71.01.1001"
SHARED_NIK, OTHER_NIK, LOCAL_NIK = "3174015708850003", "3171016606900002", "3171014101700001"
SHARED_KK = "3174010101260001"


def _save(no_kk: str, *niks: str) -> str:
    doc = households.new_household()
    doc["no_kk"] = no_kk
    doc["members"] = [
        new_member(nik=nik, name=f"Warga {n}", relationship=1 if n == 0 else 3)
        for n, nik in enumerate(niks)
    ]
    return households.save_household(doc, final=False, officer=ADMIN_OFFICER)["household_id"]


def _name(code: str) -> str:
    village = installation.village(code)
    assert village is not None
    return f"Kelurahan {village.name}"


@pytest.fixture
def scene(tmp_path):
    """Dinsos with, from K1: A (SHARED_KK, SHARED_NIK); from K2: B (SHARED_NIK), C (SHARED_KK)
    and D, E sharing LOCAL_NIK inside K2 only."""
    office = Installation(tmp_path, "dinsos", village=None)
    with office:
        installation.set_dinsos(None, office.officer)
    k1 = Installation(tmp_path, "kelurahan1", village=K1)
    k2 = Installation(tmp_path, "kelurahan2", village=K2)
    exchange((office, k1), (office, k2))
    ids = {}
    with k1:
        ids["A"] = _save(SHARED_KK, SHARED_NIK, "3174014101700009")
        sent = [k1.export(office)]
    with k2:
        ids["B"] = _save("3171010101260002", OTHER_NIK, SHARED_NIK)
        ids["C"] = _save(SHARED_KK, "3171015505800007")
        ids["D"] = _save("3171010101260003", LOCAL_NIK)
        ids["E"] = _save("3171010101260004", LOCAL_NIK)
        sent.append(k2.export(office))
    with office:
        office.take(*sent)
    return office, k1, k2, ids


def _notices(doc) -> list[dict]:
    steps = (dinsos_events.DUPLICATE_NOTICE, dinsos_events.DUPLICATE_CLEARED)
    return [e for e in dinsos_events.events_of(doc) if e["step"] in steps]


def test_listed_masked_notified_once_sent_home_and_cleared(scene):
    office, k1, k2, ids = scene
    with office:
        groups = cross_duplicates.find(office.officer)
        assert [(g.kind, g.masked) for g in groups] == [("NIK", mask(SHARED_NIK)),
                                                        ("No. KK", mask(SHARED_KK))]  # fmt: skip
        nik_group = {h.household_id: h for h in groups[0].households}
        assert set(nik_group) == {ids["A"], ids["B"]}  # not D and E: one kelurahan
        assert nik_group[ids["B"]].kelurahan == _name(K2)
        assert nik_group[ids["A"]].registration_number is None  # drafts have none yet
        assert nik_group[ids["A"]].status_label == "Draf"
        assert {h.household_id for h in groups[1].households} == {ids["A"], ids["C"]}
        listed = json.dumps([g.as_dict() for g in groups])
        assert SHARED_NIK not in listed and SHARED_KK not in listed

        assert cross_duplicates.notify(office.officer) == cross_duplicates.Sent(3, 0)
        a, b, c = (households.load_household(ids[k]) for k in "ABC")
        assert [(e["reference"], e["reason"]) for e in _notices(a)] == [
            (_name(K2), "NIK dan No. KK sama")
        ]
        assert [e["reference"] for e in _notices(b) + _notices(c)] == [_name(K1)] * 2
        for key in "DE":
            assert _notices(households.load_household(ids[key])) == []
        revs = {k: households.load_household(ids[k])["rev"] for k in "ABCDE"}
        entries = len(audit.entries())
        assert cross_duplicates.notify(office.officer) == cross_duplicates.Sent(0, 0)
        assert {k: households.load_household(ids[k])["rev"] for k in "ABCDE"} == revs
        assert len(audit.entries()) == entries  # nothing at all, not even an audit entry
        home_1, home_2 = office.export(k1), office.export(k2)
    with k1:
        k1.take(home_1)
        notice = dinsos_events.open_duplicate_notice(households.load_household(ids["A"]))
        assert notice is not None and notice["reference"] == _name(K2)
        assert notice["by"] == "Dinas Sosial Provinsi DKI Jakarta"
    with k2:
        k2.take(home_2)
        notice = dinsos_events.open_duplicate_notice(households.load_household(ids["B"]))
        assert notice is not None and notice["reference"] == _name(K1)
        marks.withdraw_household(ids["B"], "Terdaftar juga di kelurahan lain", k2.officer)
        back = k2.export(office)
    with office:
        office.take(back)
        groups = cross_duplicates.find(office.officer)
        assert [g.kind for g in groups] == ["No. KK"]  # B withdrawn: its NIK no longer counts
        assert cross_duplicates.notify(office.officer) == cross_duplicates.Sent(1, 1)
        b = households.load_household(ids["B"])
        assert dinsos_events.open_duplicate_notice(b) is None and b["status"] == "withdrawn"
        a = households.load_household(ids["A"])  # still shares the No. KK with C
        assert dinsos_events.open_duplicate_notice(a)["reason"] == "No. KK sama"
        assert cross_duplicates.notify(office.officer) == cross_duplicates.Sent(0, 0)


def test_a_notice_cleared_then_due_again_is_sent_again(scene):
    office, _k1, _k2, ids = scene
    with office:
        cross_duplicates.notify(office.officer)
        doc = households.load_household(ids["C"])
        doc["no_kk"] = "3171010101260009"  # corrected at Dinsos's copy, for the test
        households.save_household(doc, final=False, officer=ADMIN_OFFICER)
        # C cleared; A told again: it now shares only its NIK (with B)
        assert cross_duplicates.notify(office.officer) == cross_duplicates.Sent(1, 1)
        doc = households.load_household(ids["C"])
        doc["no_kk"] = SHARED_KK
        households.save_household(doc, final=False, officer=ADMIN_OFFICER)
        assert cross_duplicates.notify(office.officer) == cross_duplicates.Sent(2, 0)  # C and A
        steps = [e["step"] for e in _notices(households.load_household(ids["C"]))]
        assert steps == ["duplicate_notice", "duplicate_cleared", "duplicate_notice"]


def test_roles_and_kelurahan_refused_and_nothing_changes(scene, tmp_path):
    office, k1, _k2, ids = scene
    with office:
        before = households.load_household(ids["A"])["rev"]
        for role in ("petugas", "pendamping"):
            officer = Officer("x", "X", role)
            with pytest.raises(AuthError, match="duplicates.cross"):
                cross_duplicates.find(officer)
            with pytest.raises(AuthError, match="duplicates.cross"):
                cross_duplicates.notify(officer)
        with pytest.raises(AuthError):
            cross_duplicates.notify(None)
        assert households.load_household(ids["A"])["rev"] == before
        assert cross_duplicates.find(Officer("s", "S", "supervisor"))
    with k1, pytest.raises(UserError, match="Dinas Sosial"):
        cross_duplicates.find(k1.officer)


def test_cli_lists_masked_and_notifies(scene):
    from test_cli import run

    office, _k1, _k2, _ids = scene
    shown = run(office.paths.home, "dinsos", "duplicates")
    assert shown.returncode == 0, shown.stderr.decode()
    out = shown.stdout.decode()
    assert mask(SHARED_NIK) in out and SHARED_NIK not in out and "2 NIK / No. KK" in out
    listed = json.loads(run(office.paths.home, "dinsos", "duplicates", "--json").stdout)
    assert [g["masked"] for g in listed] == [mask(SHARED_NIK), mask(SHARED_KK)]
    sent = run(office.paths.home, "dinsos", "duplicates", "--notify", "--json")
    assert sent.returncode == 0, sent.stderr.decode()
    assert json.loads(sent.stdout) == {"notices": 3, "cleared": 0}
    again = run(office.paths.home, "dinsos", "duplicates", "--notify")
    assert b"notices recorded: 0 households; cleared: 0" in again.stdout


def test_dialog_lists_sorts_and_sends_after_confirmation(scene, qtbot):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from test_gui_mnemonics import check

    from app.ui.dinsos.duplicates_dialog import CrossDuplicatesDialog
    from app.ui.runner import Runner

    office, _k1, _k2, ids = scene
    with office:
        dialog = CrossDuplicatesDialog(None, office.officer, runner=Runner(synchronous=True))
        qtbot.addWidget(dialog)
        dialog.show()
        problems: dict[str, object] = {}
        check(dialog, problems, "duplicates")
        assert problems == {}
        assert dialog.width() <= 1366 and dialog.height() <= 768 - 40  # a taskbar below
        assert dialog.proxy.rowCount() == 4  # two groups of two households
        masked = {dialog.proxy.index(r, 2).data() for r in range(4)}
        assert masked == {mask(SHARED_NIK), mask(SHARED_KK)}
        dialog.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # by kelurahan
        kelurahan = [dialog.proxy.index(r, 3).data() for r in range(4)]
        assert kelurahan == sorted(kelurahan, reverse=True)
        qtbot.keyClicks(dialog.search, _name(K1).split()[-1])
        assert dialog.proxy.rowCount() == 4  # each row names the other kelurahan too
        dialog.search.clear()

        def answer(button: QMessageBox.StandardButton) -> None:
            box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
            box.button(button).click()

        QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.No))
        qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: not any(
            isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()
        ))  # fmt: skip
        assert _notices(households.load_household(ids["A"])) == []  # Batal: nothing sent
        QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Yes))
        dialog.notify_button.click()
        qtbot.waitUntil(lambda: "3 keluarga" in dialog.summary.text())
        assert dinsos_events.open_duplicate_notice(households.load_household(ids["A"]))
