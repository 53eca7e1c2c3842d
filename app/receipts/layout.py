"""The receipt's layout (reportlab platypus): A5 (default), A4 and the 80 mm thermal roll.

One story of flowables serves every paper; a `Paper` (app/receipts/pdf.py) sets the sizes.
The roll has no fixed height: the page is as long as the receipt. What was registered is listed
for the resident to check (No. KK, address, every member with the masked NIK; the roll lists the
names only). A reprint carries SALINAN in a box under the title (its number, time and the
reprinting officer; the registering officer stays under *Petugas pendaftaran*) and as a light
diagonal mark across the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, HRFlowable, Paragraph, Spacer, Table

from app.receipts import privacy
from app.receipts.content import ReceiptContent
from app.receipts.fonts import BOLD
from app.receipts.formatting import datetime_long
from app.receipts.pdf import Paper, Styles, build_pdf, fitted, paper, styles, table_style
from app.receipts.pdf import p as _p
from app.receipts.qr import QrCode

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

TITLE = "TANDA TERIMA PENDAFTARAN DTKS"


def _header(content: ReceiptContent, s: Styles, sheet: Paper, width: float) -> list[Flowable]:
    lines = [
        _p(f"PEMERINTAH PROVINSI {content.province.upper()}", s.small),
        _p(f"KELURAHAN {content.kelurahan.upper()}", s.big),
        _p(f"Kecamatan {content.kecamatan}, {content.kota}", s.small),
    ]
    if sheet.is_roll:
        return [*(_centered(line) for line in lines), _rule(width)]
    qr = QrCode(content.qr_payload, sheet.qr_size)
    table = Table(
        [[lines, qr]],
        colWidths=[width - sheet.qr_size, sheet.qr_size],
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    return [table, _rule(width)]


def _centered(paragraph: Paragraph) -> Paragraph:
    paragraph.style = ParagraphStyle(f"{paragraph.style.name}-c", paragraph.style, alignment=1)
    return paragraph


def _rule(width: float) -> HRFlowable:
    return HRFlowable(width=width, thickness=0.8, color=colors.black, spaceBefore=3, spaceAfter=4)


def _copy_mark(content: ReceiptContent, s: Styles, width: float) -> list[Flowable]:
    if not content.copy:
        return []
    when = f", {datetime_long(content.printed_at)}" if content.printed_at else ""
    by = f", oleh {content.reprinted_by}" if content.reprinted_by else ""
    box = Table(
        [
            [_p("SALINAN", s.mark)],
            [_p(f"Cetak ulang ke-{content.copy}{when}{by}", s.center)],
        ],
        colWidths=[width],
        style=table_style(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )
    return [box, Spacer(1, 4)]


def _facts(content: ReceiptContent, s: Styles, width: float, roll: bool) -> Table:
    rows = [
        ("Nomor registrasi", Paragraph(escape(content.registration_number), s.big)),
        ("Tanggal pendaftaran", _p(datetime_long(content.issued_at), s.body)),
        ("Kepala keluarga", _p(content.head_name, s.bold)),
        ("No. KK", _p(content.no_kk_masked, s.body)),
        ("Alamat", _p(content.address, s.body)),
    ]
    if roll:  # the roll lists the members' names only: the head's NIK here
        rows.insert(3, ("NIK kepala keluarga", _p(content.head_nik_masked, s.body)))
    if roll:  # too narrow for two columns: each label above its value
        cells = [[_p(label, s.small), value] for label, value in rows]
        data, widths = [[c] for c in cells], [width]
    else:
        label_width = width * 0.36
        data = [[_p(label, s.body), value] for label, value in rows]
        widths = [label_width, width - label_width]
    return Table(
        data,
        colWidths=widths,
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        ),
    )


def _members(content: ReceiptContent, s: Styles, width: float, roll: bool) -> list[Flowable]:
    """Every member as registered, for the resident to check: name and masked NIK, in two
    columns when there are more than three (on the roll the names only, numbered)."""
    heading = _p(f"Anggota keluarga yang didaftarkan ({content.member_count} orang)", s.heading)
    if roll:
        names = ", ".join(f"{i}. {m.name}" for i, m in enumerate(content.members, start=1))
        return [heading, _p(names, s.body)]
    cells = [
        [_p(f"{i}.", s.body), _p(m.name, s.body), _p(m.nik_masked, s.body)]
        for i, m in enumerate(content.members, start=1)
    ]
    widths = [0.06, 0.58, 0.36]
    if len(cells) > 3:  # two columns: 1..k on the left, the rest on the right
        half = (len(cells) + 1) // 2
        right = cells[half:] + [["", "", ""]] * (len(cells) % 2)
        cells = [left + other for left, other in zip(cells[:half], right, strict=True)]
        widths = [0.05, 0.22, 0.23, 0.07, 0.20, 0.23]
    table = Table(
        cells,
        colWidths=[width * w for w in widths],
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (3, 0), (3, -1), 6),  # the right column's numbers
            ]
        ),
    )
    return [heading, table]


def _result(content: ReceiptContent, s: Styles, width: float) -> Table:
    cells: list[Flowable] = [_p("Hasil pemeriksaan awal", s.bold)]
    if content.proposable:
        cells.append(
            _p("DAPAT DIUSULKAN ke musyawarah kelurahan untuk masuk DTKS.", s.big),
        )
    else:
        cells.append(_p("BELUM DAPAT DIUSULKAN ke DTKS, karena:", s.big))
        cells += [
            Paragraph(f"•&nbsp;{escape(text)}", s.body, bulletText=None)
            for text in content.exclusions
        ]
    for item in content.set_aside:
        by = f" ({item.by})" if item.by else ""
        cells.append(
            _p(
                f"Pengecualian “{item.wording.rstrip('.')}” dikesampingkan oleh supervisor "
                f"kelurahan{by}. Alasan: {item.reason}. Dokumen: {item.reference}.",
                s.body,
            )
        )
    cells.append(_p("Ini hasil pemeriksaan awal, bukan penetapan penerima bantuan.", s.small))
    return Table(
        [[cells]],
        colWidths=[width],
        style=table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )


def _steps(content: ReceiptContent, s: Styles, width: float, roll: bool) -> list[Flowable]:
    heading = _p("Langkah berikutnya", s.heading)
    if roll:  # too narrow for two columns: the date under each step
        items = [
            _p(f"{i}. {step.what} — {step.when}", s.body)
            for i, step in enumerate(content.steps, start=1)
        ]
        return [heading, *items]
    when_width = width * 0.34
    table = Table(
        [
            [_p(f"{i}.", s.body), _p(step.what, s.body), _p(step.when, s.bold)]
            for i, step in enumerate(content.steps, start=1)
        ],
        colWidths=[width * 0.05, width * 0.61, when_width],
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        ),
    )
    return [heading, table]


def _signatures(content: ReceiptContent, s: Styles, width: float, gap: float) -> Table:
    """Two signature blocks: who signs, room for the signature, the name in brackets."""
    cells = [
        [_p(who, s.center), Spacer(1, gap), _p(f"( {name} )", s.center)]
        for who, name in (
            ("Petugas pendaftaran,", content.officer_name),
            ("Kepala keluarga / yang mewakili,", content.head_name),
        )
    ]
    return Table(
        [cells],
        colWidths=[width / 2, width / 2],
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )


def _verification(content: ReceiptContent, s: Styles, sheet: Paper) -> list[Flowable]:
    code = " ".join(content.verification[i : i + 4] for i in range(0, 16, 4))
    line = _p(f"Kode verifikasi: {code} — simpan tanda terima ini.", s.small)
    if not sheet.is_roll:
        return [line]
    qr = QrCode(content.qr_payload, sheet.qr_size)
    qr.hAlign = "CENTER"
    return [Spacer(1, 4), qr, _centered(line)]


def story(content: ReceiptContent, sheet: Paper) -> list[Flowable]:
    s = styles(sheet.font_size)
    width = sheet.width - 2 * sheet.margin
    gap = sheet.font_size * (3.2 if sheet.is_roll else 3.6)
    return [
        *_header(content, s, sheet, width),
        _p(TITLE, s.title),
        _p("Data Terpadu Kesejahteraan Sosial — pendaftaran di kelurahan", s.center),
        Spacer(1, sheet.font_size * 0.6),
        *_copy_mark(content, s, width),
        _facts(content, s, width, sheet.is_roll),
        *_members(content, s, width, sheet.is_roll),
        Spacer(1, sheet.font_size * 0.6),
        _result(content, s, width),
        *_steps(content, s, width, sheet.is_roll),
        _p("Data pribadi Anda", s.heading),
        _p(privacy.short_notice(content.kelurahan), s.small),
        Spacer(1, sheet.font_size * 0.8),
        _signatures(content, s, width, gap),
        Spacer(1, sheet.font_size * 0.5),
        *_verification(content, s, sheet),
    ]


def _draw_copy_watermark(canvas: Canvas, doc: BaseDocTemplate) -> None:
    canvas.saveState()
    canvas.setFillColor(colors.Color(0, 0, 0, alpha=0.08))
    canvas.setFont(BOLD, doc.pagesize[0] / 5.2)
    canvas.translate(doc.pagesize[0] / 2, doc.pagesize[1] / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, 0, "SALINAN")
    canvas.restoreState()


def render_receipt(content: ReceiptContent, paper_key: str | None = None) -> bytes:
    """The receipt as PDF bytes, on A5 (default), A4 or the 80 mm roll."""
    sheet, flowables = fitted(paper(paper_key), lambda size: story(content, size))
    return build_pdf(
        flowables,
        sheet,
        f"{TITLE} {content.registration_number}",
        _draw_copy_watermark if content.copy and not sheet.is_roll else None,
    )
