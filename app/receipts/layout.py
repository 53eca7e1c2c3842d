"""Receipt layouts (reportlab platypus): A5 (default), A4 and the 80 mm thermal roll.

One story of flowables serves every paper; a `Paper` sets the sizes. The roll has no fixed
height: the page is as long as the receipt. A reprint carries SALINAN in a box under the title
(with the reprint's number and time) and as a light diagonal mark across the page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.receipts import fonts, privacy
from app.receipts.content import ReceiptContent
from app.receipts.formatting import datetime_long
from app.receipts.papers import DEFAULT_PAPER, PAPER_LABELS
from app.receipts.qr import QrCode

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

type PageCallback = Callable[[Canvas, BaseDocTemplate], None]  # reportlab's onPage

TITLE = "TANDA TERIMA PENDAFTARAN DTKS"
ROLL_SLACK = 4 * mm  # the measured story plus this, so the roll never breaks onto a 2nd page


@dataclass(frozen=True)
class Paper:
    key: str
    label: str  # Indonesian, for the settings menu
    width: float
    height: float | None  # None: a roll, as long as the content
    margin: float
    font_size: float
    qr_size: float

    @property
    def is_roll(self) -> bool:
        return self.height is None


_SIZES = {  # the Paper fields after the label, by key
    "a5": (A5[0], A5[1], 11 * mm, 8.5, 26 * mm),
    "a4": (A4[0], A4[1], 20 * mm, 10.5, 34 * mm),
    "thermal80": (80 * mm, None, 4 * mm, 7.5, 32 * mm),
}
PAPERS = {key: Paper(key, label, *_SIZES[key]) for key, label in PAPER_LABELS.items()}


def paper(key: str | None) -> Paper:
    if key is None:
        return PAPERS[DEFAULT_PAPER]
    try:
        return PAPERS[key]
    except KeyError:
        raise ValueError(f"unknown paper {key!r}; known: {', '.join(PAPERS)}") from None


@dataclass(frozen=True)
class Styles:
    small: ParagraphStyle
    body: ParagraphStyle
    bold: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    center: ParagraphStyle
    big: ParagraphStyle
    mark: ParagraphStyle


@cache
def styles(size: float) -> Styles:
    fonts.register()
    body = ParagraphStyle(
        "body", fontName=fonts.REGULAR, fontSize=size, leading=size * 1.28, spaceAfter=0
    )
    return Styles(
        small=ParagraphStyle("small", body, fontSize=size * 0.85, leading=size * 1.08),
        body=body,
        bold=ParagraphStyle("bold", body, fontName=fonts.BOLD),
        heading=ParagraphStyle(
            "heading", body, fontName=fonts.BOLD, spaceBefore=size * 0.7, spaceAfter=size * 0.25
        ),
        title=ParagraphStyle(
            "title",
            body,
            fontName=fonts.BOLD,
            fontSize=size * 1.3,
            leading=size * 1.6,
            alignment=TA_CENTER,
        ),
        center=ParagraphStyle("center", body, alignment=TA_CENTER),
        big=ParagraphStyle(
            "big", body, fontName=fonts.BOLD, fontSize=size * 1.25, leading=size * 1.5
        ),
        mark=ParagraphStyle(
            "mark",
            body,
            fontName=fonts.BOLD,
            fontSize=size * 1.15,
            leading=size * 1.45,
            alignment=TA_CENTER,
        ),
    )


def table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle in the embedded font (tables default to Helvetica, which is not embedded)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), *commands])


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


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
    when = datetime_long(content.printed_at) if content.printed_at else ""
    box = Table(
        [
            [_p("SALINAN", s.mark)],
            [_p(f"Cetak ulang ke-{content.copy}, {when}", s.center)],
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
        ("NIK kepala keluarga", _p(content.head_nik_masked, s.body)),
        ("Jumlah anggota keluarga", _p(f"{content.member_count} orang", s.body)),
    ]
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
    canvas.setFont(fonts.BOLD, doc.pagesize[0] / 5.2)
    canvas.translate(doc.pagesize[0] / 2, doc.pagesize[1] / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, 0, "SALINAN")
    canvas.restoreState()


def build_pdf(
    flowables: list[Flowable],
    sheet: Paper,
    title: str,
    on_page: PageCallback | None = None,
) -> bytes:
    """Lay out `flowables` on `sheet`; on a roll the page is as long as the content."""
    width = sheet.width - 2 * sheet.margin
    if sheet.is_roll:
        height = sum(
            f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables
        )
        page_height = height + 2 * sheet.margin + ROLL_SLACK
    else:
        page_height = sheet.height
    out = io.BytesIO()
    frame = Frame(
        sheet.margin,
        sheet.margin,
        width,
        page_height - 2 * sheet.margin,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc = BaseDocTemplate(
        out,
        pagesize=(sheet.width, page_height),
        leftMargin=sheet.margin,
        rightMargin=sheet.margin,
        topMargin=sheet.margin,
        bottomMargin=sheet.margin,
        title=title,
        author="Loket DTKS",
        creator="Loket DTKS",
        initialFontName=fonts.REGULAR,  # else every page references (unembedded) Helvetica
    )
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=on_page or (lambda c, d: None))])
    doc.build(flowables)
    return out.getvalue()


def render_receipt(content: ReceiptContent, paper_key: str | None = None) -> bytes:
    """The receipt as PDF bytes, on A5 (default), A4 or the 80 mm roll."""
    sheet = paper(paper_key)
    return build_pdf(
        story(content, sheet),
        sheet,
        f"{TITLE} {content.registration_number}",
        _draw_copy_watermark if content.copy and not sheet.is_roll else None,
    )
