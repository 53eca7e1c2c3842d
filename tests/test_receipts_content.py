"""What a receipt lets the resident check (issue 16): No. KK, address with RT/RW and every
member with the NIK masked the one way the list masks it, on all three papers; and a reprint
keeps the registering officer, naming the one who reprints apart. Real store, real PDFs read
back with pdftotext."""

from __future__ import annotations

from conftest import ADMIN_OFFICER, FAST_KDF, OFFICER_PASSWORD
from helpers.households import head, household
from test_receipts import page_count, pdf_text

from app.core.document import new_member
from app.receipts import PAPERS
from app.rules.nik import mask
from app.services import auth, households
from app.services import receipts as receipt_service
from app.ui.household.list_model import cell_text

MEMBERS = [
    ("Rizky Pratama", "3174011203050001", 3),
    ("Nur Aini", "3174015506100003", 3),
    ("Ahmad Fauzi", "3174010801150005", 3),
    ("Budi Santoso", "3174011203780002", 5),
    ("Dewi Anggraini", "3174014405120006", 3),
    ("Putri Maharani", "3174015009180007", 3),
]


def family(size: int) -> dict:
    members = [head()] + [
        new_member(name=name, nik=nik, relationship=relationship)
        for name, nik, relationship in MEMBERS[: size - 1]
    ]
    return households.save_household(household(*members), final=True, officer=ADMIN_OFFICER)


def test_every_paper_lists_what_was_registered_masked_one_way(store, admin, tmp_path):
    doc = family(7)
    for paper in PAPERS:
        receipt = receipt_service.prepare_receipt(doc["household_id"], admin, paper)
        text = pdf_text(receipt.pdf, tmp_path)
        assert page_count(receipt.pdf, tmp_path) == 1, paper
        assert f"No. KK {mask(doc['no_kk'])}" in text, paper
        assert "Jl. Tebet Timur Dalam II No. 5, RT 003 / RW 005" in text, paper
        assert "Anggota keluarga yang didaftarkan (7 orang)" in text, paper
        for member in doc["members"]:
            assert member["name"] in text, (paper, member["name"])
            assert member["nik"] not in text and member["nik"].encode() not in receipt.pdf
            if paper != "thermal80":  # the roll lists the names only
                assert mask(member["nik"]) in text, (paper, member["name"])
        assert doc["no_kk"] not in text
        assert "************" not in text.replace("3174********", "")  # no other style


def test_the_list_and_the_receipt_mask_alike(store, admin, tmp_path):
    doc = family(1)
    text = pdf_text(receipt_service.prepare_receipt(doc["household_id"], admin).pdf, tmp_path)
    row = next(r for r in households.household_page() if r.id == doc["household_id"])
    assert cell_text(row, "head_nik") == "3174********0004"
    assert f"{cell_text(row, 'head_nik')} " in text  # the head's line among the members
    assert f"No. KK {cell_text(row, 'no_kk')}" in text


def test_a_reprint_keeps_the_registering_officer_and_names_the_reprinting_one(
    store, admin, tmp_path
):
    auth.create_officer("dewi", "Dewi Lestari", "petugas", OFFICER_PASSWORD, admin, FAST_KDF)
    auth.create_officer("sri.w", "Sri Wahyuni", "supervisor", OFFICER_PASSWORD, admin, FAST_KDF)
    petugas = auth.Officer("dewi", "Dewi Lestari", "petugas")
    supervisor = auth.Officer("sri.w", "Sri Wahyuni", "supervisor")
    doc = family(2)
    original = receipt_service.print_receipt(doc["household_id"], petugas)
    reprint = receipt_service.print_receipt(doc["household_id"], supervisor)

    first = pdf_text(original.pdf, tmp_path)
    assert "( Dewi Lestari )" in first and "Sri Wahyuni" not in first
    text = pdf_text(reprint.pdf, tmp_path)
    assert "Petugas pendaftaran" in text and "( Dewi Lestari )" in text  # who registered
    copy_line = text.split("Cetak ulang ke-1", 1)[1][:120]
    assert "oleh Sri Wahyuni" in copy_line  # who reprinted, apart
    assert "( Sri Wahyuni )" not in text
    history = receipt_service.receipt_history(doc["household_id"])
    assert [(r.copy, r.printed_by) for r in history] == [(0, "dewi"), (1, "sri.w")]
