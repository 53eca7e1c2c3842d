"""The musyawarah kelurahan's papers as real PDFs from a real store (issue 17), read back with
pdftotext and the berita acara's QR code decoded with zbarimg (poppler-utils, zbar-tools): the
BA carries the counts, every decided head of family, the verification code and no NIK; the
pengumuman lists names and RW/RT, never a NIK."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ADMIN_OFFICER, officer_named

from app.core import musyawarah as words
from app.db import households as stored
from app.services import demo, musyawarah, musyawarah_docs, musyawarah_lock

SUPERVISOR = officer_named("sri", "supervisor")
REASON = "Memiliki usaha toko kelontong besar"
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=30
    )
    return " ".join(result.stdout.decode().split())


def qr_codes(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "page")],
                   check=True, timeout=60)  # fmt: skip
    found = []
    for page in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(["zbarimg", "--raw", "-q", str(page)], capture_output=True,
                                timeout=30)  # fmt: skip
        found += result.stdout.decode().split()
    return found


@pytest.fixture
def decided(store):
    """A meeting with participants over 40 demo households: every fourth not poor (with a
    reason), every fourth postponed, the rest eligible."""
    demo.load_demo(50, seed=5, officer=ADMIN_OFFICER)
    meeting = musyawarah.create_meeting(dt.date(2026, 12, 7), "Aula Kelurahan", SUPERVISOR,
                                        time="09.00", chair="H. Mulyadi")  # fmt: skip
    musyawarah.add_participant(meeting.id, "Siti Aminah", "lpm", SUPERVISOR, "Ketua LPM")
    musyawarah.add_participant(meeting.id, "Bambang Sutrisno", "ketua_rw", SUPERVISOR, "RW 05")
    rows = musyawarah.agenda(meeting.id, SUPERVISOR).households
    assert len(rows) >= 30
    for i, row in enumerate(rows):
        decision = (words.ELIGIBLE, words.NOT_POOR, words.ELIGIBLE, words.POSTPONE)[i % 4]
        reason = REASON if decision == words.NOT_POOR else None
        musyawarah.decide(meeting.id, row.household_id, decision, SUPERVISOR, reason)
    return meeting, musyawarah.agenda(meeting.id, SUPERVISOR)


def every_nik(agenda) -> list[str]:
    niks = []
    for row in agenda.households + agenda.excluded:
        doc = stored.load(row.household_id)
        niks += [m["nik"] for m in doc["members"] if m["nik"]] + [doc["no_kk"]]
    return niks


def test_berita_acara_holds_counts_heads_code_and_no_nik(decided, tmp_path):
    meeting, agenda = decided
    paper = musyawarah_docs.prepare_document(meeting.id, "berita-acara", SUPERVISOR)
    text = pdf_text(paper.pdf, tmp_path)
    counts = agenda.counts

    assert "BERITA ACARA MUSYAWARAH KELURAHAN" in text
    assert f"Nomor: {meeting.minutes_number}" in text
    assert "KELURAHAN TEBET TIMUR" in text and "KECAMATAN TEBET" in text
    assert "KOTA ADMINISTRASI JAKARTA SELATAN" in text
    assert "Senin, tanggal 7 Desember 2026, pukul 09.00 WIB" in text
    assert "Peraturan Menteri Sosial Nomor 3 Tahun 2021" in text
    assert "Instruksi Sekretaris Daerah Provinsi DKI Jakarta Nomor 54 Tahun 2021" in text
    assert f"Layak diusulkan : {counts['eligible']} keluarga" in text
    assert f"Tidak miskin : {counts['not_poor']} keluarga" in text
    assert f"Ditunda : {counts['postpone']} keluarga" in text
    assert f"Jumlah diputuskan : {len(agenda.households)} keluarga" in text
    assert "Siti Aminah" in text and "H. Mulyadi" in text
    for row in agenda.households:
        assert row.head_name in text, "a decided head of family is missing"
    assert f"Kode verifikasi: {paper.verification}" in text
    assert SIXTEEN_DIGITS.search(text) is None
    for number in every_nik(agenda):
        assert number not in text and number.encode() not in paper.pdf
    assert qr_codes(paper.pdf, tmp_path) == [words.qr_payload(meeting.id, paper.verification)]


def test_the_code_is_what_the_lock_records(decided, tmp_path):
    meeting, _agenda = decided
    paper = musyawarah_docs.prepare_document(meeting.id, "berita-acara", SUPERVISOR)
    musyawarah_docs.issue_document(paper, SUPERVISOR)
    locked = musyawarah_lock.lock_meeting(meeting.id, SUPERVISOR)
    assert locked.verification == paper.verification
    again = musyawarah_docs.prepare_document(meeting.id, "berita-acara", SUPERVISOR)
    assert pdf_text(again.pdf, tmp_path).count(paper.verification) >= 2  # footer and text


def test_pengumuman_lists_eligible_names_by_rw_without_nik(decided, tmp_path):
    meeting, agenda = decided
    paper = musyawarah_docs.prepare_document(meeting.id, "pengumuman", SUPERVISOR)
    text = pdf_text(paper.pdf, tmp_path)
    eligible = [r for r in agenda.households if r.decision == words.ELIGIBLE]
    for row in eligible:
        assert row.head_name in text
        assert f"{row.rw:03d}/{row.rt:03d}" in text
    for rw in {row.rw for row in eligible}:
        assert f"RW {rw:02d}" in text
    assert len(re.findall(r"\b\d{3}/\d{3}\b", text)) == len(eligible)  # one row each, no more
    assert REASON not in text
    assert SIXTEEN_DIGITS.search(text) is None
    for number in every_nik(agenda):
        assert number not in text


def test_undangan_and_daftar_hadir(decided, tmp_path):
    meeting, agenda = decided
    invitation = pdf_text(
        musyawarah_docs.prepare_document(meeting.id, "undangan", SUPERVISOR).pdf, tmp_path
    )
    assert "Undangan Musyawarah Kelurahan" in invitation
    assert "Siti Aminah, LPM (Ketua LPM)" in invitation
    assert "Senin, 7 Desember 2026" in invitation and "pukul 09.00 WIB" in invitation
    assert f"pembahasan usulan {len(agenda.households)} keluarga" in invitation
    sheet = pdf_text(
        musyawarah_docs.prepare_document(meeting.id, "daftar-hadir", SUPERVISOR).pdf, tmp_path
    )
    assert "DAFTAR HADIR" in sheet and "Tanda tangan" in sheet
    assert "Bambang Sutrisno" in sheet and "Ketua RW (RW 05)" in sheet
    assert SIXTEEN_DIGITS.search(invitation + sheet) is None
