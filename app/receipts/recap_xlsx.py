"""The recap (rekap) as an XLSX workbook (issue 18), written with XlsxWriter: counts are
numbers, labels and RW/RT codes are text, and the first sheet carries a native Excel chart of
households per RW by status. Sheets: Ringkasan, KK per RW-RT, Jiwa per RW-RT, Pengecualian,
Petugas per hari, Draf belum lengkap. Counts only."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from app.receipts.formatting import datetime_long
from app.receipts.recap_content import Counts, Recap, colour, number


class _Book:
    def __init__(self, out: io.BytesIO):
        self.book = xlsxwriter.Workbook(out, {"in_memory": True})
        self.bold = self.book.add_format({"bold": True})
        self.head = self.book.add_format({"bold": True, "bg_color": "#E6E6E6", "border": 1,
                                          "text_wrap": True, "valign": "top"})  # fmt: skip
        self.text = self.book.add_format({"num_format": "@"})
        self.count = self.book.add_format({"num_format": "#,##0"})

    def sheet(self, name: str, header: Sequence[str], widths: Sequence[int]) -> Any:
        sheet = self.book.add_worksheet(name)
        for col, (title, width) in enumerate(zip(header, widths, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, self.head)
        sheet.freeze_panes(1, 0)
        return sheet

    def row(self, sheet: Any, row: int, texts: Sequence[str], counts: Sequence[int]) -> None:
        for col, text in enumerate(texts):
            sheet.write_string(row, col, text, self.text)
        for col, count in enumerate(counts, start=len(texts)):
            sheet.write_number(row, col, count, self.count)


def _summary(b: _Book, recap: Recap) -> None:
    sheet = b.sheet("Ringkasan", ["Status", "KK", "Jiwa"], [44, 12, 12])
    row = 1
    for code, label in recap.statuses:
        counts = recap.status_total(code)
        b.row(sheet, row, [label], [counts.households, counts.people])
        row += 1
        if code == "excluded":
            for rule, rule_label in recap.criteria:
                of_rule = recap.criterion_total(rule)
                b.row(sheet, row, [f"  {rule_label}"], [of_rule.households, of_rule.people])
                row += 1
    grand = recap.grand_total
    b.row(sheet, row, ["Jumlah"], [grand.households, grand.people])
    b.row(sheet, row + 1, ["Draf dengan jawaban belum lengkap"], [recap.incomplete_total])
    sheet.write_string(row + 3, 0, f"Kelurahan {recap.kelurahan}", b.bold)
    sheet.write_string(row + 4, 0, f"Keadaan per {datetime_long(recap.made_at)}")
    _chart(b, sheet, recap)


def _chart(b: _Book, summary: Any, recap: Recap) -> None:
    """A stacked column chart of KK per RW by status, from a small table on its own sheet."""
    used = recap.used_statuses()
    rws = recap.rws()
    data = b.sheet("Grafik KK per RW", ["RW", *(label for _, label in used)],
                   [10, *[14] * len(used)])  # fmt: skip
    for i, rw in enumerate(rws, start=1):
        b.row(data, i, [f"RW {number(rw)}"], [recap.rw_status(rw, c).households for c, _ in used])
    if not rws or not used:
        return
    chart = b.book.add_chart({"type": "column", "subtype": "stacked"})
    name = "'Grafik KK per RW'"
    for col, (code, label) in enumerate(used, start=1):
        chart.add_series({
            "name": label,
            "categories": f"={name}!$A$2:$A${len(rws) + 1}",
            "values": [name[1:-1], 1, col, len(rws), col],
            "fill": {"color": colour(code)},
            "gap": 40,
        })  # fmt: skip
    chart.set_title({"name": "Keluarga (KK) per RW menurut status"})
    chart.set_y_axis({"name": "KK", "num_format": "#,##0"})
    chart.set_size({"width": 760, "height": 380})
    summary.insert_chart("E2", chart)


def _per_place(b: _Book, recap: Recap, people: bool) -> None:
    labels = [label for _, label in recap.statuses]
    name = "Jiwa per RW-RT" if people else "KK per RW-RT"
    sheet = b.sheet(name, ["RW", "RT", *labels, "Jumlah"], [6, 6, *[13] * len(labels), 10])
    for i, place in enumerate(recap.places, start=1):
        cells = recap.by_status.get(place, {})
        values = [cells.get(code, Counts()) for code, _ in recap.statuses]
        numbers = [c.people if people else c.households for c in values]
        b.row(sheet, i, [number(place[0]), number(place[1])], [*numbers, sum(numbers)])


def _criteria(b: _Book, recap: Recap) -> None:
    header = ["RW", "RT"]
    for _rule, label in recap.criteria:
        header += [f"{label} KK", f"{label} jiwa"]
    sheet = b.sheet("Pengecualian", header, [6, 6, *[14] * (len(header) - 2)])
    places = [place for place in recap.places if recap.by_criterion.get(place)]
    for i, place in enumerate(places, start=1):
        cells = recap.by_criterion[place]
        numbers: list[int] = []
        for rule, _label in recap.criteria:
            counts = cells.get(rule, Counts())
            numbers += [counts.households, counts.people]
        b.row(sheet, i, [number(place[0]), number(place[1])], numbers)


def _officers(b: _Book, recap: Recap) -> None:
    sheet = b.sheet("Petugas per hari", ["Tanggal (WIB)", "Petugas", "Pendaftaran"], [14, 24, 12])
    for i, (officer, day, count) in enumerate(recap.officer_days, start=1):
        b.row(sheet, i, [day, officer], [count])


def _incomplete(b: _Book, recap: Recap) -> None:
    sheet = b.sheet("Draf belum lengkap", ["RW", "RT", "KK"], [6, 6, 10])
    for i, place in enumerate(p for p in recap.places if p in recap.incomplete):
        b.row(sheet, i + 1, [number(place[0]), number(place[1])], [recap.incomplete[place]])


def render_recap_xlsx(recap: Recap) -> bytes:
    out = io.BytesIO()
    b = _Book(out)
    _summary(b, recap)
    _per_place(b, recap, people=False)
    _per_place(b, recap, people=True)
    _criteria(b, recap)
    _officers(b, recap)
    _incomplete(b, recap)
    b.book.close()
    return out.getvalue()
