"""Working lists printed for the field (issue 18): the households of an RW for a visit, and
the drafts left for more than N days; each with the head of household's name, the address,
RW/RT, status and what is missing (the completeness rule's words). Never a NIK or No. KK."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Spacer

from app.receipts import fonts
from app.receipts.formatting import datetime_long, thousands
from app.receipts.musyawarah_pdf import (
    CELL_FONT_SIZE,
    CELL_PADDING,
    WIDTH,
    build,
    cell,
    long_table,
    p,
    styles,
)
from app.receipts.recap_content import WorklistItem, number

WIDTHS = [9 * mm, 15 * mm, 36 * mm, 40 * mm, 27 * mm, WIDTH - 127 * mm]
HEADER = ["No.", "RW/RT", "Kepala keluarga", "Alamat", "Status, diubah", "Belum diisi"]


def fits(text: str, width: float) -> bool:
    needed: float = pdfmetrics.stringWidth(text, fonts.REGULAR, CELL_FONT_SIZE)
    return needed <= width - CELL_PADDING


def _row(index: int, item: WorklistItem) -> list[object]:
    s = styles()
    missing = "; ".join(item.missing) if item.missing else "-"
    return [
        str(index),
        f"{number(item.rw)}/{number(item.rt)}",
        cell(item.head_name or "-", WIDTHS[2], s),
        cell(item.address or "-", WIDTHS[3], s),
        # two short lines: a plain string cell (reportlab breaks it at the newline, fast)
        f"{item.status}\n{item.updated_on:%d-%m-%Y}"
        if fits(item.status, WIDTHS[4])
        else cell(f"{item.status}\n{item.updated_on:%d-%m-%Y}", WIDTHS[4], s),
        cell(missing, WIDTHS[5], s),
    ]


def story(items: list[WorklistItem], title: str, kelurahan: str, made_at: dt.datetime) -> list[
        Flowable]:  # fmt: skip
    s = styles()
    lacking = sum(1 for item in items if item.missing)
    head: list[Flowable] = [
        p(title, s.title),
        p(f"Kelurahan {kelurahan}", s.center),
        p(f"Dicetak {datetime_long(made_at)}", s.center),
        Spacer(1, 4 * mm),
        p(
            f"{thousands(len(items))} keluarga, {thousands(lacking)} dengan jawaban belum lengkap.",
            s.body,
        ),  # fmt: skip
        Spacer(1, 2 * mm),
    ]
    if not items:
        return [*head, p("Tidak ada keluarga dalam daftar ini.", s.body)]
    rows = [_row(i, item) for i, item in enumerate(items, start=1)]
    return [*head, *long_table(HEADER, rows, WIDTHS)]


def render_worklist(
    items: list[WorklistItem], title: str, kelurahan: str, made_at: dt.datetime
) -> bytes:
    footer = f"{title} · berisi data pribadi: simpan dengan aman, musnahkan setelah dipakai"
    return build(story(items, title, kelurahan, made_at), title, footer)
