"""The page machinery every PDF of the counter shares (receipt, privacy notice, recovery-key
sheet): the papers with their sizes, the paragraph styles in the embedded font, and
`build_pdf`, which lays a story of flowables out on a paper (a roll as long as its content).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    TableStyle,
)

from app.receipts import fonts
from app.receipts.papers import DEFAULT_PAPER, PAPER_LABELS

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

type PageCallback = Callable[[Canvas, BaseDocTemplate], None]  # reportlab's onPage

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
    "a5": (A5[0], A5[1], 10 * mm, 8.5, 22 * mm),
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


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a name may hold `<` or `&`)."""
    return Paragraph(escape(text), style)


def story_height(flowables: list[Flowable], width: float) -> float:
    """How tall `flowables` are when laid out `width` wide (points)."""
    heights = (f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)
    return float(sum(heights))


def fitted(sheet: Paper, make: Callable[[Paper], list[Flowable]]) -> tuple[Paper, list[Flowable]]:
    """The story `make` builds for `sheet`, in the largest of four font sizes (down to 82 %)
    that keeps it on one page (a large family on A5); a roll grows instead."""
    story = make(sheet)
    if sheet.is_roll or sheet.height is None:
        return sheet, story
    for scale in (0.94, 0.88, 0.82):
        if story_height(story, sheet.width - 2 * sheet.margin) <= sheet.height - 2 * sheet.margin:
            break
        smaller = replace(sheet, font_size=round(sheet.font_size * scale, 2))
        story = make(smaller)
        sheet = smaller
    return sheet, story


def build_pdf(
    flowables: list[Flowable],
    sheet: Paper,
    title: str,
    on_page: PageCallback | None = None,
) -> bytes:
    """Lay out `flowables` on `sheet`; on a roll the page is as long as the content."""
    width = sheet.width - 2 * sheet.margin
    if sheet.is_roll:
        page_height = story_height(flowables, width) + 2 * sheet.margin + ROLL_SLACK
    else:
        assert sheet.height is not None
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
