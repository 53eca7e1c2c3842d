"""The one-page A4 privacy notice for the counter (issue 4, UU PDP 27/2022)."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table

from app.receipts.formatting import date_short
from app.receipts.pdf import PAPERS, build_pdf, styles, table_style
from app.receipts.privacy import notice_sections

TITLE = "PEMBERITAHUAN PELINDUNGAN DATA PRIBADI"


def render_privacy_notice(
    kelurahan: str, kecamatan: str, kota: str, today: dt.date | None = None
) -> bytes:
    """The notice as PDF bytes (one A4 page), naming the kelurahan to ask."""
    sheet = PAPERS["a4"]
    s = styles(10)
    width = sheet.width - 2 * sheet.margin
    flowables: list[Flowable] = [
        Paragraph("PEMERINTAH PROVINSI DKI JAKARTA", s.small),
        Paragraph(escape(f"KELURAHAN {kelurahan.upper()}"), s.big),
        Paragraph(escape(f"Kecamatan {kecamatan}, {kota}"), s.small),
        HRFlowable(width=width, thickness=0.8, color=colors.black, spaceBefore=3, spaceAfter=8),
        Paragraph(TITLE, s.title),
        Paragraph("Pendaftaran Data Terpadu Kesejahteraan Sosial (DTKS) di kelurahan", s.center),
        Spacer(1, 8),
    ]
    for number, (heading, paragraphs) in enumerate(notice_sections(kelurahan), start=1):
        body: list[Flowable] = [Paragraph(f"{number}. {escape(heading)}", s.bold)]
        body += [Paragraph(escape(text), s.body) for text in paragraphs]
        flowables.append(
            Table(
                [[body]],
                colWidths=[width],
                style=table_style(
                    [
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 3),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ]
                ),
            )
        )
    flowables += [
        Spacer(1, 6),
        HRFlowable(width=width, thickness=0.4, color=colors.grey, spaceAfter=4),
        Paragraph(
            escape(
                f"Kelurahan {kelurahan}, {date_short(today or dt.date.today())}. "
                "Pemberitahuan ini dipasang di loket dan dapat diminta salinannya."
            ),
            s.small,
        ),
    ]
    return build_pdf(flowables, sheet, TITLE)
