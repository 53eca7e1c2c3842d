"""Recaps and working lists (issue 18): the counts equal a direct SQL count on demo data, the
PDF says them and no NIK, the XLSX holds numbers as numbers, every file is in the audit log,
and nobody logged in is refused with nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess

import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, officer_named
from helpers.households import head, household
from python_calamine import CalamineWorkbook

from app.cli import main as cli
from app.db import audit
from app.db.connection import database
from app.receipts.formatting import thousands
from app.services import auth, households, recaps
from app.services.actions import AuthError
from app.services.demo import load_demo

HOUSEHOLDS = 400


@pytest.fixture
def demo(store):
    """Demo households, two saved as final by a petugas and one by the admin (registrations
    per officer), and one complete draft (not counted as missing answers)."""
    load_demo(HOUSEHOLDS, seed=7, officer=ADMIN_OFFICER)
    petugas = officer_named("siti", "petugas")
    for i, officer in enumerate((petugas, petugas, ADMIN_OFFICER, None)):
        doc = household(head(nik=f"31740167058000{i + 11:02d}"), no_kk=f"31740123041500{i + 11}")
        households.save_household(doc, final=officer is not None, officer=officer or petugas)
    return store


def sql(query: str, *params: object) -> list[tuple]:
    return database.execute_sql(query, params).fetchall()


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def all_niks() -> set[str]:
    return {row[0] for row in sql("SELECT nik FROM member WHERE nik IS NOT NULL")}


def test_counts_equal_a_direct_sql_count(demo):
    recap = recaps.recap(ADMIN_OFFICER)
    by_status = {
        status: (kk, jiwa)
        for status, kk, jiwa in sql(
            "SELECT h.status, COUNT(DISTINCT h.id), COUNT(m.pk) FROM household h"
            " LEFT JOIN member m ON m.household_id = h.id WHERE h.deleted = 0 GROUP BY h.status"
        )
    }
    assert by_status["draft"][0] > 0 and by_status["excluded"][0] > 0
    for code, _label in recap.statuses:
        counts = recap.status_total(code)
        assert (counts.households, counts.people) == by_status.get(code, (0, 0)), code
    total_kk, total_jiwa = sql(
        "SELECT COUNT(DISTINCT h.id), COUNT(m.pk) FROM household h"
        " LEFT JOIN member m ON m.household_id = h.id WHERE h.deleted = 0"
    )[0]
    assert (recap.grand_total.households, recap.grand_total.people) == (total_kk, total_jiwa)
    assert total_kk == HOUSEHOLDS + 4

    per_place = {
        (rw, rt, status): count
        for rw, rt, status, count in sql(
            "SELECT rw, rt, status, COUNT(*) FROM household WHERE deleted = 0 GROUP BY 1, 2, 3"
        )
    }
    shown = {
        (rw, rt, status): counts.households
        for (rw, rt), cells in recap.by_status.items()
        for status, counts in cells.items()
    }
    assert shown == per_place

    for rule, _label in recap.criteria:
        (expected,) = sql(
            "SELECT COUNT(*) FROM household h, json_each(h.exclusions) e"
            " WHERE h.deleted = 0 AND h.status = 'excluded' AND e.value = ?",
            rule,
        )[0]
        assert recap.criterion_total(rule).households == expected, rule
    assert sum(recap.criterion_total(rule).households for rule, _ in recap.criteria) > 0


def test_registrations_per_officer_and_day(demo):
    recap = recaps.recap(ADMIN_OFFICER)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().isoformat()
    assert set(recap.officer_days) == {("siti", today, 2), (ADMIN, today, 1)}


def test_missing_answers_are_the_completeness_rules(demo):
    recap = recaps.recap(ADMIN_OFFICER)
    # demo drafts stop before the house section; the draft saved by the test is complete
    (drafts,) = sql("SELECT COUNT(*) FROM household WHERE status = 'draft' AND deleted = 0")[0]
    assert recap.incomplete_total == drafts - 1 > 0
    doc = household(head(nik="3174016705800031"), no_kk="3174012304150031")
    doc["address"] = None
    doc = households.save_household(doc, final=False, officer=ADMIN_OFFICER)
    assert "Alamat belum diisi" in recaps.missing_answers(doc, dt.date.today())
    assert recaps.recap(ADMIN_OFFICER).incomplete_total == drafts


def test_recap_pdf_says_the_counts_and_no_nik(demo, tmp_path):
    out = recaps.write_recap(ADMIN_OFFICER, "pdf", tmp_path / "rekap.pdf")
    recap = recaps.recap(ADMIN_OFFICER)
    text = pdf_text(out)
    assert "REKAP PENDAFTARAN DTKS" in text
    grand = recap.grand_total
    assert re.search(rf"Jumlah\s+{re.escape(thousands(grand.households))}\s+"
                     rf"{re.escape(thousands(grand.people))}", text)  # fmt: skip
    excluded = recap.status_total("excluded")
    assert re.search(rf"Dikecualikan\s+{excluded.households}\s+{excluded.people}", text)
    assert not any(nik in text for nik in all_niks())
    assert not re.search(r"\b\d{16}\b", text)
    entry = audit.entries()[-1]
    assert entry.action == "report.recap" and entry.officer == ADMIN
    assert entry.detail["format"] == "pdf"
    assert entry.detail["households"] == grand.households
    assert entry.detail["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_recap_xlsx_holds_numbers_as_numbers(demo, tmp_path):
    out = recaps.write_recap(ADMIN_OFFICER, "xlsx", tmp_path / "rekap.xlsx")
    recap = recaps.recap(ADMIN_OFFICER)
    book = CalamineWorkbook.from_path(str(out))
    assert "Ringkasan" in book.sheet_names and "KK per RW-RT" in book.sheet_names
    summary = book.get_sheet_by_name("Ringkasan").to_python()
    assert summary[0] == ["Status", "KK", "Jiwa"]
    rows = {row[0]: row[1:3] for row in summary[1:] if row and isinstance(row[0], str)}
    registered = recap.status_total("registered")
    assert rows["Terdaftar"] == [registered.households, registered.people]
    assert all(isinstance(v, float) for v in rows["Terdaftar"])
    places = book.get_sheet_by_name("KK per RW-RT").to_python()
    rw, rt, *counts = places[1]
    assert isinstance(rw, str) and re.fullmatch(r"\d{3}", rw) and isinstance(rt, str)
    assert all(isinstance(v, float) for v in counts)
    assert sum(row[-1] for row in places[1:]) == recap.grand_total.households
    officers = book.get_sheet_by_name("Petugas per hari").to_python()
    assert sorted(row[1:] for row in officers[1:]) == [[ADMIN, 1.0], ["siti", 2.0]]
    assert audit.entries()[-1].detail["format"] == "xlsx"


def test_nobody_logged_in_is_refused_and_nothing_is_written(demo, tmp_path):
    before = len(audit.entries())
    target = tmp_path / "rekap.pdf"
    for call in (
        lambda: recaps.write_recap(None, "pdf", target),
        lambda: recaps.write_worklist(None, 1, target),
        lambda: recaps.write_drafts(None, 1, target),
        lambda: recaps.recap(None),
    ):
        with pytest.raises(AuthError, match="belum masuk"):
            call()
    assert not target.exists()
    assert len(audit.entries()) == before


def test_field_visit_list_of_an_rw(demo, tmp_path):
    rw = sql("SELECT rw FROM household WHERE status = 'draft' AND deleted = 0 LIMIT 1")[0][0]
    path, count = recaps.write_worklist(ADMIN_OFFICER, rw, tmp_path / "kunjungan.pdf")
    (expected,) = sql(
        "SELECT COUNT(*) FROM household WHERE rw = ? AND deleted = 0 AND status != 'withdrawn'",
        rw,
    )[0]
    assert count == expected > 0
    text = pdf_text(path)
    assert f"DAFTAR KUNJUNGAN LAPANGAN RW {rw:03d}" in text
    assert "belum diisi" in text  # a draft of the RW lacks its house answers
    assert not any(nik in text for nik in all_niks())
    entry = audit.entries()[-1]
    assert entry.action == "report.worklist"
    assert entry.detail["households"] == count and entry.detail["rw"] == rw
    missing = recaps.worklist(ADMIN_OFFICER, rw, missing_only=True)
    assert missing and all(item.missing for item in missing)
    assert all(item.rw == rw for item in missing)


def test_drafts_older_than_n_days(demo, tmp_path):
    # demo households are registered 3 minutes apart until today's midnight: 20 hours for 400,
    # so before 04:00 none would be over a day old; two drafts are made older, the rest stay
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    aged = (cutoff - dt.timedelta(days=2)).isoformat(timespec="milliseconds")
    database.execute_sql(
        "UPDATE household SET updated_at = ? WHERE id IN (SELECT id FROM household"
        " WHERE status = 'draft' ORDER BY id LIMIT 2)",
        (aged.replace("+00:00", "Z"),),
    )
    stamp = cutoff.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    (expected,) = sql(
        "SELECT COUNT(*) FROM household WHERE status = 'draft' AND deleted = 0 AND updated_at < ?",
        stamp,
    )[0]
    path, count = recaps.write_drafts(ADMIN_OFFICER, 1, tmp_path / "draf.pdf")
    assert count == expected > 0
    assert "DRAF LEBIH DARI 1 HARI" in pdf_text(path)


def test_cli_report_commands(demo, tmp_path, monkeypatch, capsys):
    auth.log_out()
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    home = ["--home", str(demo.home), "--user", ADMIN, "report"]
    out = tmp_path / "rekap.xlsx"
    assert cli.main([*home, "recap", "--format", "xlsx", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"PK")
    assert cli.main([*home, "recap", "--format", "xlsx", "--out", str(out)]) == 2  # exists
    assert cli.main([*home, "worklist", "--rw", "1", "--out", str(tmp_path / "w.pdf")]) == 0
    assert "RW 001" in capsys.readouterr().out
    assert cli.main([*home, "drafts", "--older-than", "30", "--out", str(tmp_path / "d.pdf")]) == 0
