"""What the musyawarah kelurahan's A4 papers share (issue 17): styles with the embedded fonts,
the letterhead of the kelurahan, long tables cut into page-sized pieces, signature blocks, the
page footer (page numbers, BA number, verification code) and building the PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
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

from app.receipts import fonts
from app.receipts.musyawarah_content import MeetingPaper

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
ROWS_PER_TABLE = 40  # a long list is many small tables: reportlab splits those fast


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle
    title: ParagraphStyle
    center: ParagraphStyle
    big: ParagraphStyle
    section: ParagraphStyle


@cache
def styles() -> Styles:
    fonts.register()
    body = ParagraphStyle("m-body", fontName=fonts.REGULAR, fontSize=10, leading=13.5)
    small = ParagraphStyle("m-small", body, fontSize=8, leading=10)
    return Styles(
        body=body,
        small=small,
        cell=ParagraphStyle("m-cell", body, fontSize=8.5, leading=10.5),
        head=ParagraphStyle("m-head", body, fontName=fonts.BOLD, fontSize=8.5, leading=10.5),
        title=ParagraphStyle(
            "m-title", body, fontName=fonts.BOLD, fontSize=12.5, leading=16, alignment=1
        ),
        center=ParagraphStyle("m-center", body, alignment=1),
        big=ParagraphStyle("m-big", body, fontName=fonts.BOLD, fontSize=13, leading=16),
        section=ParagraphStyle("m-section", body, fontName=fonts.BOLD, spaceBefore=8, spaceAfter=3),
    )


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: names may hold & or <); a newline breaks the line."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


CELL_FONT_SIZE = 8.5
CELL_PADDING = 6  # left + right, as GRID sets them


def cell(text: str, width: float, s: Styles) -> Paragraph | str:
    """A table cell's text: plain when it fits on one line of the column (reportlab draws a
    string about ten times faster than it lays out a paragraph), else a wrapping paragraph."""
    if "\n" not in text and (
        pdfmetrics.stringWidth(text, fonts.REGULAR, CELL_FONT_SIZE) <= width - CELL_PADDING
    ):
        return text
    return p(text, s.cell)


def letterhead(paper: MeetingPaper, s: Styles) -> list[Flowable]:
    lines = [
        p(f"PEMERINTAH PROVINSI {paper.province.upper()}", s.center),
        p(paper.kota.upper(), s.center),
        p(f"KECAMATAN {paper.kecamatan.upper()}", s.center),
        Paragraph(
            escape(f"KELURAHAN {paper.kelurahan.upper()}"),
            ParagraphStyle("m-kel", s.big, alignment=1),
        ),
    ]
    return [
        *lines,
        HRFlowable(width=WIDTH, thickness=1.6, color=colors.black, spaceBefore=3, spaceAfter=1),
        HRFlowable(width=WIDTH, thickness=0.5, color=colors.black, spaceAfter=8),
    ]


GRID = [
    ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
    ("FONTSIZE", (0, 0), (-1, -1), CELL_FONT_SIZE),
    ("LEADING", (0, 0), (-1, -1), 10.5),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
    ("FONTNAME", (0, 0), (-1, 0), fonts.BOLD),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def long_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]] = (),
) -> list[Flowable]:
    """A list of any length as tables of ROWS_PER_TABLE rows, each with the header row."""
    style = TableStyle([*GRID, *extra])
    head = [p(text, styles().head) for text in header]
    pieces: list[Flowable] = []
    for start in range(0, max(len(rows), 1), ROWS_PER_TABLE):
        chunk = [head, *[list(r) for r in rows[start : start + ROWS_PER_TABLE]]]
        pieces.append(Table(chunk, colWidths=list(widths), style=style, repeatRows=1))
    return pieces


def key_values(pairs: Sequence[tuple[str, str]], s: Styles, key_width: float = 38 * mm) -> Table:
    rows = [[p(key, s.body), p(":", s.body), p(value, s.body)] for key, value in pairs]
    return Table(
        rows,
        colWidths=[key_width, 4 * mm, WIDTH - key_width - 4 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        ),
    )


def signature_blocks(blocks: Sequence[tuple[str, str | None]], s: Styles) -> Table:
    """Signature blocks side by side, two per row: (what they sign as, name or None for a
    line to write it on)."""
    cells = []
    for title, name in blocks:
        shown = f"( {name} )" if name else "( ................................ )"
        cells.append([p(title, s.center), Spacer(1, 17 * mm), p(shown, s.center)])
    rows: list[list[Any]] = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    if len(cells) == 1:
        rows = [["", cells[0]]]  # one signer signs on the right, as on a letter
    elif rows and len(rows[-1]) == 1:
        rows[-1].append("")
    return Table(
        rows,
        colWidths=[WIDTH / 2] * 2,
        style=TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]
        ),
    )


def build(story: list[Flowable], title: str, footer: str) -> bytes:
    """The A4 PDF of the story; every page carries `footer` and its page number."""
    out = io.BytesIO()

    def draw_footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.drawString(MARGIN, 10 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Halaman {doc.page}")
        canvas.restoreState()

    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="Loket DTKS",
        creator="Loket DTKS",
    )
    frame = Frame(MARGIN, 18 * mm, WIDTH, A4[1] - 33 * mm, id="body", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=draw_footer)])
    doc.build(story)
    return out.getvalue()
