"""The audit screen: entries in Indonesian words, filters by officer, household and date, and
the hash-chain check showing a row edited behind the app's back."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ADMIN_OFFICER, FAST_KDF, OFFICER_PASSWORD, officer_named
from helpers.households import complete
from PySide6.QtCore import QDate, Qt

from app.core.document import new_member
from app.db.connection import connect_file
from app.services import auth, households
from app.ui.admin.audit_view import AuditView
from app.ui.runner import Runner

PASSWORD = OFFICER_PASSWORD


def register(name: str, nik: str, officer: str) -> dict:
    doc = households.new_household()
    doc["no_kk"] = "317401010126" + nik[-4:]  # one family each: no duplicate (issue 14)
    doc["members"] = [new_member(nik=nik, name=name, relationship=1)]
    return households.save_household(complete(doc), True, officer_named(officer))


@pytest.fixture
def view(qtbot, admin):
    auth.create_officer("budi", "Budi Santoso", "petugas", PASSWORD, admin, FAST_KDF)
    view = AuditView(Runner(synchronous=True), admin)
    qtbot.addWidget(view)
    view.show()
    return view


def shown(view, column: int) -> list[str]:
    model = view.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_entries_filter_by_officer_household_and_date(qtbot, view):
    dewi = register("Dewi Lestari", "3174015708850003", "admin")
    budi_saved = register("Siti Rahma", "3174014101900002", "budi")
    households.record_view(dewi["household_id"], officer_named("budi"))
    view.apply_filters()
    actions = shown(view, 2)
    assert actions[:3] == ["Buka data keluarga", "Simpan data keluarga", "Simpan data keluarga"]
    assert "Tambah petugas" in actions and "Penyiapan loket" in actions
    assert shown(view, 1)[0] == "Budi Santoso (budi)"  # newest first
    assert "status Terdaftar" in shown(view, 4)[1]
    tooltip = view.model.index(2, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert "3174********0003" in tooltip and "3174015708850003" not in tooltip  # masked NIK

    view.officer_filter.setCurrentIndex(view.officer_filter.findData("budi"))
    view.apply_filters()
    assert shown(view, 2) == ["Buka data keluarga", "Simpan data keluarga"]
    assert set(shown(view, 3)) == {dewi["registration_number"], budi_saved["registration_number"]}

    view.officer_filter.setCurrentIndex(0)  # all officers, one household by its number
    qtbot.keyClicks(view.household_filter, dewi["registration_number"])
    qtbot.keyClick(view.household_filter, Qt.Key.Key_Return)
    assert shown(view, 3) == [dewi["registration_number"]] * 2
    assert shown(view, 1) == ["Budi Santoso (budi)", "Admin Kelurahan (admin)"]
    view.household_filter.setText(budi_saved["household_id"])  # or by its id
    view.apply_filters()
    assert shown(view, 3) == [budi_saved["registration_number"]]

    view.household_filter.clear()
    view.apply_filters()
    everything = view.model.rowCount()
    today = dt.date.today()
    view.date_from.setDate(QDate(today + dt.timedelta(days=1)))
    view.apply_filters()
    assert view.model.rowCount() == 0
    view.date_from.setDate(QDate(today))
    view.date_to.setDate(QDate(today))
    view.apply_filters()
    assert view.model.rowCount() == everything == 7  # set-up 3, budi 1, saves 2, view 1
    view.date_to.setDate(QDate(today - dt.timedelta(days=1)))
    view.apply_filters()
    assert view.model.rowCount() == 0
    assert "lebih akhir" in view.summary.text()  # 'from' after 'to' is explained


def test_integrity_check_names_a_row_edited_outside_the_app(qtbot, store, view):
    register("Dewi Lestari", "3174015708850003", "admin")
    view.verify_button.click()
    assert view.verify_result.text().startswith("Log audit utuh: 5 entri diperiksa")

    tool = connect_file(store.db)  # someone with the key and a SQLCipher tool
    tool.execute("DROP TRIGGER audit_log_no_update")
    tool.execute("UPDATE audit_log SET officer = 'budi' WHERE seq = 5")
    tool.commit()
    tool.close()
    view.apply_filters()
    assert shown(view, 1)[0] == "Budi Santoso (budi)"  # the screen shows what is stored...
    view.verify_button.click()
    result = view.verify_result.text()
    assert "TIDAK utuh" in result and "entri nomor 5 telah diubah" in result  # ...and says so


def test_pages_go_back_in_time_and_need_the_audit_role(admin):
    from app.services import audit as audit_service

    for i in range(5):
        households.record_view(f"household-{i}", ADMIN_OFFICER)
    first = audit_service.audit_page(admin, limit=3)
    more = audit_service.audit_page(admin, before_seq=first[-1].seq, limit=3)
    assert [line.household_id for line in first + more][:5] == [
        f"household-{i}" for i in (4, 3, 2, 1, 0)
    ]
    budi = auth.create_officer("budi", "Budi Santoso", "petugas", PASSWORD, admin, FAST_KDF)
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        audit_service.audit_page(budi)


def test_details_read_as_field_titles_in_indonesian():
    from app.services import audit as audit_service

    new = {"address": [None, "Jl. Tebet"], "members[m1].name": [None, "Dewi"]}
    assert (
        audit_service.summarize("household.save", {"final": True, "status": "registered",
                                                   "changes": new})
        == "final; status Terdaftar; data baru: 2 isian"
    )  # fmt: skip
    edit = {"address": ["Jl. Lama", None], "members[m1].nik": ["3174***0003", "3174***0004"]}
    assert audit_service.summarize("household.save", {"changes": edit}) == (
        "diubah: Alamat, NIK (anggota)"
    )
    assert audit_service.describe_changes({"changes": edit}) == (
        "Alamat: Jl. Lama → —\nNIK (anggota): 3174***0003 → 3174***0004"
    )
