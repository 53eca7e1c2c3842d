"""The recap (rekap) as an A4 PDF (issue 18): totals by status and exclusion criterion, a bar
chart of households per RW by status (reportlab.graphics.charts), households (KK) and people
(jiwa) per RW and RT, excluded households per criterion, registrations per officer and day.
Counts only. The page machinery is the musyawarah papers' (app/receipts/musyawarah_pdf.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.receipts import fonts
from app.receipts.formatting import datetime_long, thousands
from app.receipts.musyawarah_pdf import WIDTH, build, long_table, p, styles
from app.receipts.recap_content import Counts, Place, Recap, colour, number

TITLE = "REKAP PENDAFTARAN DTKS"
RIGHT = [("ALIGN", (2, 1), (-1, -1), "RIGHT")]


def _n(value: int) -> str:
    return thousands(value)


def _summary(recap: Recap) -> list[Flowable]:
    rows: list[list[str]] = []
    for code, label in recap.statuses:
        counts = recap.status_total(code)
        rows.append([label, _n(counts.households), _n(counts.people)])
        if code == "excluded":
            for rule, rule_label in recap.criteria:
                of_rule = recap.criterion_total(rule)
                rows.append([f"   {rule_label}", _n(of_rule.households), _n(of_rule.people)])
    grand = recap.grand_total
    rows.append(["Jumlah", _n(grand.households), _n(grand.people)])
    rows.append(["Draf dengan jawaban belum lengkap", _n(recap.incomplete_total), ""])
    widths = [WIDTH - 60 * mm, 30 * mm, 30 * mm]
    extra = [
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("FONTNAME", (0, len(rows) - 1), (-1, len(rows) - 1), fonts.BOLD),
    ]
    return long_table(["Status", "KK", "Jiwa"], rows, widths, extra)


def _chart(recap: Recap) -> Drawing:
    """Households per RW, stacked by status."""
    used = recap.used_statuses()
    rws = recap.rws()
    height = 70 * mm
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 14 * mm
    chart.width, chart.height = WIDTH - 62 * mm, height - 20 * mm
    chart.data = [[recap.rw_status(rw, code).households for rw in rws] for code, _ in used] or [[0]]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [f"RW {number(rw)}" for rw in rws] or [""]
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 45 if len(rws) > 10 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(rws) > 10 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda value: thousands(int(value))
    chart.barSpacing = 1
    for i, (code, _label) in enumerate(used):
        chart.bars[i].fillColor = colors.HexColor(colour(code))
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = WIDTH - 44 * mm, height - 8 * mm
    legend.fontName, legend.fontSize = fonts.REGULAR, 7
    legend.alignment = "right"
    legend.deltay = 9
    legend.dx = legend.dy = 6
    legend.columnMaximum = 12
    legend.colorNamePairs = [(colors.HexColor(colour(code)), label) for code, label in used]
    drawing.add(legend)
    return drawing


def _place_rows(
    recap: Recap, columns: Sequence[str], value: Callable[[Place, str], int]
) -> list[list[str]]:
    rows = []
    for place in recap.places:
        rw, rt = place
        cells = [value(place, code) for code in columns]
        rows.append([number(rw), number(rt), *(_n(c) for c in cells), _n(sum(cells))])
    totals = [sum(value(place, code) for place in recap.places) for code in columns]
    rows.append(["Jumlah", "", *(_n(t) for t in totals), _n(sum(totals))])
    return rows


def _per_place(recap: Recap, people: bool) -> list[Flowable]:
    used = recap.used_statuses()
    codes = [code for code, _ in used]

    def value(place: Place, code: str) -> int:
        counts = recap.by_status.get(place, {}).get(code, Counts())
        return counts.people if people else counts.households

    header = ["RW", "RT", *(label for _, label in used), "Jumlah"]
    rows = _place_rows(recap, codes, value)
    rest = WIDTH - 24 * mm
    widths = [12 * mm, 12 * mm, *[rest / (len(codes) + 1)] * (len(codes) + 1)]
    return long_table(header, rows, widths, RIGHT)


def _criteria(recap: Recap) -> list[Flowable]:
    places = [place for place in recap.places if recap.by_criterion.get(place)]
    if not places:
        return [p("Tidak ada keluarga yang dikecualikan.", styles().body)]
    rules = [rule for rule, _ in recap.criteria]
    header = ["RW", "RT", *(label for _, label in recap.criteria)]
    rows = []
    for place in places:
        cells = recap.by_criterion[place]
        shown = [f"{_n(cells.get(r, Counts()).households)} ({_n(cells.get(r, Counts()).people)})"
                 for r in rules]  # fmt: skip
        rows.append([number(place[0]), number(place[1]), *shown])
    rest = WIDTH - 24 * mm
    widths = [12 * mm, 12 * mm, *[rest / len(rules)] * len(rules)]
    return long_table(header, rows, widths, RIGHT)


def _officers(recap: Recap) -> list[Flowable]:
    if not recap.officer_days:
        return [p("Belum ada pendaftaran yang dicatat di loket ini.", styles().body)]
    rows = [[day, officer, _n(count)] for officer, day, count in recap.officer_days]
    rows.append(["Jumlah", "", _n(sum(count for _o, _d, count in recap.officer_days))])
    widths = [35 * mm, WIDTH - 65 * mm, 30 * mm]
    return long_table(["Tanggal (WIB)", "Petugas", "Pendaftaran"], rows, widths, RIGHT)


def _incomplete(recap: Recap) -> list[Flowable]:
    if not recap.incomplete:
        return [p("Semua draf sudah lengkap.", styles().body)]
    rows = [[number(rw), number(rt), _n(count)] for (rw, rt), count in sorted(
        recap.incomplete.items(), key=lambda item: tuple(-1 if v is None else v
                                                        for v in item[0]))]  # fmt: skip
    rows.append(["Jumlah", "", _n(recap.incomplete_total)])
    return long_table(["RW", "RT", "Draf belum lengkap (KK)"], rows, [20 * mm] * 2 + [50 * mm],
                      RIGHT)  # fmt: skip


def story(recap: Recap) -> list[Flowable]:
    s = styles()
    return [
        p(TITLE, s.title),
        p(f"Kelurahan {recap.kelurahan}", s.center),
        p(f"Keadaan per {datetime_long(recap.made_at)}", s.center),
        Spacer(1, 5 * mm),
        p("1. Jumlah keluarga (KK) dan jiwa menurut status", s.section),
        *_summary(recap),
        p("2. Keluarga (KK) per RW menurut status", s.section),
        _chart(recap),
        p("3. Keluarga (KK) per RW dan RT menurut status", s.section),
        *_per_place(recap, people=False),
        p("4. Jiwa per RW dan RT menurut status", s.section),
        *_per_place(recap, people=True),
        p(
            "5. Keluarga dikecualikan per kriteria, KK (jiwa); satu keluarga dapat memenuhi "
            "lebih dari satu kriteria",
            s.section,
        ),  # fmt: skip
        *_criteria(recap),
        p("6. Pendaftaran per petugas per hari", s.section),
        *_officers(recap),
        p("7. Draf dengan jawaban belum lengkap per RW dan RT", s.section),
        *_incomplete(recap),
    ]


def render_recap(recap: Recap) -> bytes:
    footer = f"{TITLE} · keadaan per {datetime_long(recap.made_at)}"
    return build(story(recap), TITLE, footer)
