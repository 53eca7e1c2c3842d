"""The penetapan of a kota's daftar sasaran tetap (issue 19), A4, in Indonesian, in the house
style of the musyawarah papers (app/receipts/musyawarah_pdf.py: embedded DejaVu fonts, long
tables in page-sized pieces, footer with page numbers): the Dinsos letterhead, title, kota,
number and date, the counts per kelurahan, then per kelurahan every household (registration
number, head's name, masked NIK, address, RT/RW, jiwa), totals, the signature block and the
verification code the list was locked with."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Spacer, Table, TableStyle

from app.receipts import fonts
from app.receipts.formatting import date_short, thousands
from app.receipts.musyawarah_pdf import WIDTH, Styles, build, cell, long_table, styles
from app.receipts.musyawarah_pdf import p as _p
from app.receipts.penetapan import Group, PenetapanPaper

TITLE = "PENETAPAN DAFTAR SASARAN TETAP"
PROVINCE = "PEMERINTAH PROVINSI DAERAH KHUSUS IBUKOTA JAKARTA"


def _letterhead(paper: PenetapanPaper, s: Styles) -> list[Flowable]:
    return [
        _p(PROVINCE, s.center),
        _p(paper.office.upper(), s.title),
        HRFlowable(width=WIDTH, thickness=1.6, color=colors.black, spaceBefore=3, spaceAfter=1),
        HRFlowable(width=WIDTH, thickness=0.5, color=colors.black, spaceAfter=8),
    ]


def _recap(paper: PenetapanPaper, s: Styles) -> list[Flowable]:
    widths = [10 * mm, 52 * mm, 62 * mm, 25 * mm]
    widths.append(WIDTH - sum(widths))
    rows: list[list[object]] = [
        [str(i), cell(g.kecamatan, widths[1], s), cell(g.kelurahan, widths[2], s),
         thousands(len(g.lines)), thousands(g.people)]
        for i, g in enumerate(paper.groups, 1)
    ]  # fmt: skip
    rows.append(["", "Jumlah", "", thousands(paper.households), thousands(paper.people)])
    extra = [
        ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
        ("FONTNAME", (0, -1), (-1, -1), fonts.BOLD),
        ("SPAN", (1, -1), (2, -1)),
    ]
    header = ["No.", "Kecamatan", "Kelurahan", "Jumlah KK", "Jumlah jiwa"]
    return long_table(header, rows, widths, extra)


def _group(group: Group, s: Styles) -> list[Flowable]:
    heading = (
        f"Kelurahan {group.kelurahan}, Kecamatan {group.kecamatan} "
        f"({thousands(len(group.lines))} keluarga, {thousands(group.people)} jiwa)"
    )
    widths = [9 * mm, 33 * mm, 40 * mm, 30 * mm, 0.0, 16 * mm, 10 * mm]
    widths[4] = WIDTH - sum(widths)
    rows = [
        [
            str(i),
            line.registration_number.replace("-", "-\n", 1),  # kelurahan, then device-number
            cell(line.head_name, widths[2], s),
            line.head_nik_masked,
            cell(line.address, widths[4], s),
            line.rt_rw,
            str(line.members),
        ]
        for i, line in enumerate(group.lines, 1)
    ]
    header = ["No.", "No. pendaftaran", "Nama kepala keluarga", "NIK kepala keluarga", "Alamat",
              "RT/RW", "Jiwa"]  # fmt: skip
    small = [("FONTSIZE", (1, 1), (1, -1), 7.5), ("FONTSIZE", (3, 1), (3, -1), 8),
             ("ALIGN", (6, 1), (6, -1), "RIGHT")]  # fmt: skip
    return [_p(heading, s.section), *long_table(header, rows, widths, small)]


def _signature(paper: PenetapanPaper, s: Styles) -> Table:
    name = f"( {paper.signatory_name} )" if paper.signatory_name else "( " + "." * 40 + " )"
    block: list[Flowable] = [
        _p("Ditetapkan di Jakarta", s.body),
        _p(f"pada tanggal {date_short(paper.date)}", s.body),
        Spacer(1, 3),
        _p(paper.signatory_title, s.body),
        Spacer(1, 20 * mm),
        _p(name, s.body),
    ]
    if paper.signatory_nip:
        block.append(_p(f"NIP {paper.signatory_nip}", s.body))
    return Table(
        [["", block]],
        colWidths=[WIDTH * 0.5, WIDTH * 0.5],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
    )


def story(paper: PenetapanPaper) -> list[Flowable]:
    s = styles()
    opening = (
        f"Berdasarkan hasil musyawarah kelurahan yang telah dikunci dan hasil pemadanan data "
        f"dengan Dukcapil dan Bapenda, {paper.office} menetapkan daftar sasaran tetap "
        f"{paper.kota} sebanyak {thousands(paper.households)} keluarga "
        f"({thousands(paper.people)} jiwa) untuk dimasukkan ke dalam SIKS-NG, dengan rincian "
        "sebagai berikut."
    )
    body: list[Flowable] = [
        *_letterhead(paper, s),
        _p(TITLE, s.title),
        _p("DATA TERPADU KESEJAHTERAAN SOSIAL (DTKS)", s.title),
        _p(paper.kota.upper(), s.title),
        _p(f"Nomor: {paper.number}", s.center),
        Spacer(1, 8),
        _p(opening, s.body),
        _p("Rekapitulasi per kelurahan:", s.section),
        *_recap(paper, s),
        _p("Daftar keluarga per kelurahan (NIK disamarkan):", s.section),
    ]
    for group in paper.groups:
        body += _group(group, s)
    body += [
        Spacer(1, 8),
        KeepTogether(
            [
                _p(
                    "Daftar ini telah dikunci pada tanggal penetapan dan tidak diubah lagi; "
                    "perubahan dibuat sebagai daftar baru dengan nomor baru. Demikian penetapan "
                    "ini dibuat untuk dipergunakan sebagaimana mestinya.",
                    s.body,
                ),
                Spacer(1, 6),
                _signature(paper, s),
                Spacer(1, 6),
                _p(
                    f"Kode verifikasi: {paper.verification} (dihitung dari nomor, kota, tanggal "
                    "dan daftar keluarga; tercatat saat daftar dikunci).",
                    s.small,
                ),
            ]
        ),
    ]
    return body


def render_penetapan(paper: PenetapanPaper) -> bytes:
    footer = f"Daftar Sasaran Tetap {paper.number} · Kode verifikasi {paper.verification}"
    return build(story(paper), f"Penetapan Daftar Sasaran Tetap {paper.number}", footer)
