"""Receipts as the resident gets them: real PDFs from a real store, read back with pdftotext and
the QR code decoded with zbarimg (poppler-utils, zbar-tools)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from conftest import ADMIN_OFFICER
from helpers.households import head, household

from app.core.document import new_member
from app.core.errors import UserError
from app.db import audit
from app.receipts import PAPERS, receipt_content, render_receipt, verification_code
from app.rules.exclusions import CHECKS, RESIDENT_WORDING
from app.services import auth, households
from app.services import receipts as receipt_service

HEAD_NIK = "3174016705800004"
CHILD_NIK = "3174011203050001"


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=30
    )
    return " ".join(result.stdout.decode().split())  # one line: wrapping varies per paper


def page_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, timeout=30)
    line = next(x for x in info.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def saved(**values) -> dict:
    """A household with a head and a child, saved as final in the open store."""
    doc = household(
        head(),
        new_member(
            nik=CHILD_NIK, name="Rizky Pratama", sex=1, birth_date="2005-03-12", relationship=3
        ),
    )
    for section, changes in values.items():
        doc[section].update(changes)
    return households.save_household(doc, final=True, officer=ADMIN_OFFICER)


def test_receipt_names_the_household_with_the_nik_masked(store, admin, tmp_path):
    doc = saved()
    receipt = receipt_service.print_receipt(doc["household_id"], admin)
    text = pdf_text(receipt.pdf, tmp_path)

    assert doc["registration_number"] in text
    assert "Kelurahan Tebet Timur".upper() in text
    assert "Nur Hasanah" in text
    assert "3174********0004" in text  # masked as the list masks it (app/rules/nik.py)
    assert "Anggota keluarga yang didaftarkan (2 orang)" in text
    assert "DAPAT DIUSULKAN" in text and "BELUM DAPAT" not in text
    assert "Musyawarah kelurahan" in text and "Kementerian Sosial" in text
    assert "Pelindungan Data Pribadi" in text
    assert "Admin Kelurahan" in text  # the officer who printed it
    for member in doc["members"]:
        assert member["nik"] not in text
        assert member["nik"].encode() not in receipt.pdf
    assert doc["no_kk"] not in text
    assert "SALINAN" not in text


@pytest.mark.parametrize("rule", [check.__name__ for check in CHECKS])
def test_every_exclusion_has_a_sentence_for_the_resident(rule):
    assert RESIDENT_WORDING[rule].endswith(".")


def test_exclusion_wording_matches_the_rule_that_applied(store, admin, tmp_path):
    doc = saved(assets={"car": True})
    assert doc["exclusions"] == ["car"]
    text = pdf_text(receipt_service.print_receipt(doc["household_id"], admin).pdf, tmp_path)

    assert "BELUM DAPAT DIUSULKAN" in text
    assert RESIDENT_WORDING["car"] in text
    for other in ("public_post", "njop_over_1b", "bottled_water", "judged_not_poor"):
        assert RESIDENT_WORDING[other] not in text
    assert "bawa" in text.lower() or "membawa bukti" in text  # what the resident can do


def test_an_exclusion_set_aside_by_the_supervisor_shows_reason_and_reference(tmp_path):
    # The layout straight from a document (the storage of overrides is another slice).
    doc = household(head())
    doc.update(registration_number="3174011001-399F0205-000009", exclusions=["car"])
    doc["exclusion_overrides"] = [
        {
            "rule": "car",
            "reason": "Mobil sudah dijual Maret 2026",
            "reference": "Kuitansi jual beli 03/2026",
            "by": "sri.w",
            "at": "2026-11-23T07:00:00.000Z",
        }
    ]
    content = receipt_content(
        doc,
        province="DKI Jakarta",
        kelurahan="Tebet Timur",
        kecamatan="Tebet",
        kota="Kota Administrasi Jakarta Selatan",
        officer_name="Siti Rahmawati",
        issued_at=dt.datetime(2026, 11, 23, 7, 5, tzinfo=dt.UTC),
        officer_names={"sri.w": "Sri Wahyuni"},
    )
    text = pdf_text(render_receipt(content), tmp_path)

    assert "DAPAT DIUSULKAN" in text and "BELUM DAPAT" not in text
    assert "dikesampingkan oleh supervisor kelurahan (Sri Wahyuni)" in text
    assert "Mobil sudah dijual Maret 2026" in text
    assert "Kuitansi jual beli 03/2026" in text
    # and the certified result is the one after the override
    assert verification_code(doc) != verification_code({**doc, "exclusion_overrides": []})


def test_qr_code_decodes_to_registration_number_and_verification_hash(store, admin, tmp_path):
    doc = saved()
    for paper in PAPERS:
        receipt = receipt_service.prepare_receipt(doc["household_id"], admin, paper)
        (tmp_path / "r.pdf").write_bytes(receipt.pdf)
        subprocess.run(
            ["pdftoppm", "-r", "200", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "r")],
            check=True,
            timeout=60,
        )
        image = next(tmp_path.glob("r-*.png"))
        scan = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, timeout=60
        )
        image.unlink()
        payload = scan.stdout.decode().strip()
        assert payload == f"DTKS:{doc['registration_number']}:{verification_code(doc)}", paper
        assert receipt.verification == verification_code(doc)


def test_verification_hash_changes_when_the_certified_data_changes(store):
    doc = saved()
    edited = {**doc, "members": doc["members"][:1]}
    assert verification_code(doc) != verification_code(edited)
    assert len(verification_code(doc)) == 16


def test_reprints_are_marked_salinan_with_their_count(store, admin, tmp_path):
    doc = saved()
    first = receipt_service.print_receipt(doc["household_id"], admin)
    second = receipt_service.print_receipt(doc["household_id"], admin)
    third = receipt_service.print_receipt(doc["household_id"], admin)

    assert "SALINAN" not in pdf_text(first.pdf, tmp_path)
    assert "Cetak ulang ke-1" in pdf_text(second.pdf, tmp_path)
    text = pdf_text(third.pdf, tmp_path)
    assert "SALINAN" in text and "Cetak ulang ke-2" in text
    assert "WIB" in text.split("Cetak ulang ke-2", 1)[1][:60]  # with the reprint's time
    history = receipt_service.receipt_history(doc["household_id"])
    assert [r.copy for r in history] == [0, 1, 2]
    assert {r.printed_by for r in history} == {"admin"}


def test_all_three_paper_sizes_render_one_page(store, admin, tmp_path):
    doc = saved(assets={"car": True})
    sizes = {}
    for paper in PAPERS:
        receipt = receipt_service.prepare_receipt(doc["household_id"], admin, paper)
        assert page_count(receipt.pdf, tmp_path) == 1, paper
        assert doc["registration_number"] in pdf_text(receipt.pdf, tmp_path)
        path = tmp_path / "size.pdf"
        path.write_bytes(receipt.pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout
        size = next(x for x in info.decode().splitlines() if x.startswith("Page size:"))
        sizes[paper] = [float(v) for v in size.split()[2:5:2]]
    assert sizes["a5"] == pytest.approx([419.53, 595.28], abs=0.1)
    assert sizes["a4"] == pytest.approx([595.28, 841.89], abs=0.1)
    assert sizes["thermal80"][0] == pytest.approx(226.77, abs=0.1)  # 80 mm wide roll


def test_fonts_are_embedded(store, admin, tmp_path):
    receipt = receipt_service.prepare_receipt(saved()["household_id"], admin)
    path = tmp_path / "fonts.pdf"
    path.write_bytes(receipt.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout
    lines = [x for x in fonts.decode().splitlines()[2:] if x.strip()]
    assert lines and all(" yes " in line for line in lines)
    assert any("DejaVuSans" in line for line in lines)


def test_printing_is_recorded_in_the_audit_log_with_the_receipt(store, admin):
    doc = saved()
    receipt_service.print_receipt(doc["household_id"], admin, "thermal80")
    entry = audit.entries(doc["household_id"])[-1]
    assert entry.action == "receipt.print"
    assert entry.officer == "admin"
    assert entry.detail["copy"] == 0 and entry.detail["paper"] == "thermal80"
    assert audit.verify()[1] is None


def test_a_preview_writes_nothing(store, admin):
    doc = saved()
    receipt_service.prepare_receipt(doc["household_id"], admin)
    receipt_service.prepare_receipt(doc["household_id"], admin)
    assert receipt_service.receipt_history(doc["household_id"]) == []
    assert audit.entries(doc["household_id"])[-1].action == "household.save"


def test_a_receipt_issued_meanwhile_refuses_the_stale_preview(store, admin):
    doc = saved()
    stale = receipt_service.prepare_receipt(doc["household_id"], admin)
    receipt_service.print_receipt(doc["household_id"], admin)
    with pytest.raises(UserError, match="baru saja dicetak"):
        receipt_service.issue_receipt(stale, admin)
    assert len(receipt_service.receipt_history(doc["household_id"])) == 1


def test_only_households_saved_as_final_get_a_receipt(store, admin):
    draft = households.save_household(household(), final=False, officer=ADMIN_OFFICER)
    with pytest.raises(UserError, match="disimpan final"):
        receipt_service.prepare_receipt(draft["household_id"], admin)
    with pytest.raises(UserError, match="tidak ditemukan"):
        receipt_service.prepare_receipt("no-such-household", admin)


def test_a_role_without_receipt_print_is_refused(store, admin):
    doc = saved()
    field_worker = auth.Officer("pendamping1", "Pendamping Satu", "pendamping")
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        receipt_service.print_receipt(doc["household_id"], field_worker)
    with pytest.raises(auth.AuthError):
        receipt_service.print_receipt(doc["household_id"], "nobody")
    assert receipt_service.receipt_history(doc["household_id"]) == []


def test_paper_setting(store, admin, tmp_path):
    assert receipt_service.receipt_paper() == "a5"
    receipt_service.set_receipt_paper("thermal80")
    receipt = receipt_service.prepare_receipt(saved()["household_id"], admin)
    assert receipt.paper == "thermal80"
    with pytest.raises(UserError, match="tidak dikenal"):
        receipt_service.set_receipt_paper("letter")
    assert receipt_service.receipt_paper() == "thermal80"


def test_the_musyawarah_date_set_by_the_kelurahan_is_on_the_receipt(store, admin, tmp_path):
    receipt_service.set_musyawarah_date(dt.date(2027, 1, 14))
    receipt = receipt_service.prepare_receipt(saved()["household_id"], admin)
    assert "14 Januari 2027" in pdf_text(receipt.pdf, tmp_path)


def test_privacy_notice_is_one_a4_page_naming_the_kelurahan(store, tmp_path):
    pdf = receipt_service.privacy_notice()
    assert page_count(pdf, tmp_path) == 1
    text = pdf_text(pdf, tmp_path)
    assert "PEMBERITAHUAN PELINDUNGAN DATA PRIBADI" in text
    assert "UU No. 27 Tahun 2022" in text
    assert "Kelurahan Tebet Timur" in text
    for heading in ("Data apa yang kami catat", "Dasar hukum", "Untuk apa", "Siapa", "Hak Anda"):
        assert heading in text
