"""The *Cek status* slip (issue 19): what the counter hands a resident who asked where their
registration stands. One small page on the receipt paper (A5, A4 or the 80 mm roll): the
kelurahan, what was looked up (the registration number, or the NIK masked), the status in one
sentence, the timeline when the look-up shows it, who printed it and when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Spacer, Table

from app.core.timeline import Entry
from app.receipts.formatting import date_or_dash, datetime_long
from app.receipts.pdf import Paper, build_pdf, fitted, p, paper, styles, table_style

TITLE = "CEK STATUS PENDAFTARAN DTKS"
FOOTER = "Hasil penetapan juga dapat dicek di cekbansos.kemensos.go.id."


@dataclass(frozen=True)
class StatusSlip:
    kelurahan: str
    subject: str  # "No. registrasi …" or "NIK 3174********0003"
    line: str  # the status in one sentence
    note: str
    entries: tuple[Entry, ...]  # empty for a NIK look-up
    officer_name: str
    printed_at: dt.datetime


def _story(slip: StatusSlip, sheet: Paper) -> list[Flowable]:
    s = styles(sheet.font_size)
    width = sheet.width - 2 * sheet.margin
    story: list[Flowable] = [
        Paragraph(TITLE, s.title),
        p(slip.kelurahan, s.center),
        HRFlowable(width=width, thickness=0.8, color=colors.black, spaceBefore=4, spaceAfter=6),
        p(slip.subject, s.body),
        Spacer(1, 4),
        p(slip.line, s.big),
    ]
    if slip.note:
        story += [Spacer(1, 3), p(slip.note, s.small)]
    if slip.entries:
        story += [Spacer(1, 6), p("Riwayat", s.heading)]
        if sheet.is_roll:  # 72 mm wide: one line per step, the detail under it
            for e in slip.entries:
                story.append(p(f"{date_or_dash(e.day)} — {e.what}", s.bold))
                if e.detail:
                    story.append(p(e.detail, s.small))
        else:
            rows = [
                [p(date_or_dash(e.day), s.small), p(e.what, s.small), p(e.detail, s.small),
                 p(e.by, s.small)]
                for e in slip.entries
            ]  # fmt: skip
            header = [p(text, s.bold) for text in ("Tanggal", "Tahap", "Keterangan", "Oleh")]
            story.append(
                Table(
                    [header, *rows],
                    colWidths=[width * 0.17, width * 0.25, width * 0.33, width * 0.25],
                    repeatRows=1,
                    style=table_style(
                        [
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                            ("LEFTPADDING", (0, 0), (-1, -1), 2),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                        ]
                    ),
                )
            )
    story += [
        Spacer(1, 8),
        p(FOOTER, s.small),
        p(f"Dicetak {datetime_long(slip.printed_at)} oleh {slip.officer_name}", s.small),
    ]
    return story


def render_status_slip(slip: StatusSlip, paper_key: str | None = None) -> bytes:
    sheet, story = fitted(paper(paper_key), lambda sized: _story(slip, sized))
    return build_pdf(story, sheet, TITLE)
