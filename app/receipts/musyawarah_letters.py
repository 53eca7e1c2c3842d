"""The musyawarah kelurahan's other papers (issue 17), A4, in Indonesian: the undangan
(invitation letter), the daftar hadir (attendance sheet with a signature column) and the
pengumuman (the list for public posting, one page per RW: names and RW/RT, never a NIK)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from app.core import musyawarah as words
from app.receipts.formatting import DAYS, date_long, date_short, thousands
from app.receipts.musyawarah_content import MeetingPaper
from app.receipts.musyawarah_pdf import (
    WIDTH,
    Styles,
    build,
    key_values,
    letterhead,
    long_table,
    signature_blocks,
    styles,
)
from app.receipts.musyawarah_pdf import p as _p

BLANK_ROWS = 10  # lines left on the daftar hadir for those not listed
OBJECTION_DAYS = 7  # days the pengumuman stays up for objections (sanggahan)


def _when(paper: MeetingPaper) -> list[tuple[str, str]]:
    day = paper.date
    return [
        ("Hari, tanggal", f"{DAYS[day.weekday()]}, {date_short(day)}"),
        ("Waktu", f"pukul {paper.time} WIB s.d. selesai" if paper.time else "-"),
        ("Tempat", paper.place),
    ]


def _lurah(paper: MeetingPaper, s: Styles, place_date: str) -> Flowable:
    return KeepTogether(
        [
            Spacer(1, 8),
            signature_blocks([(f"{place_date}\nLurah {paper.kelurahan}", paper.chair)], s),
        ]
    )


def render_undangan(paper: MeetingPaper) -> bytes:
    s = styles()
    printed = paper.printed_at.date() if paper.printed_at else paper.date
    agenda = f"Musyawarah {paper.scope}: pembahasan usulan {thousands(len(paper.lines))} keluarga"
    story: list[Flowable] = [
        *letterhead(paper, s),
        key_values(
            [
                ("Nomor", "........../UND/MK"),
                ("Sifat", "Penting"),
                ("Lampiran", "-"),
                ("Perihal", "Undangan Musyawarah Kelurahan"),
            ],
            s,
            25 * mm,
        ),
        Spacer(1, 8),
        _p("Kepada Yth.", s.body),
    ]
    if paper.attendees:
        story += [_p(f"{i}. {a.name}, {a.role_label}", s.body)
                  for i, a in enumerate(paper.attendees, 1)]  # fmt: skip
    else:
        story.append(_p("Bapak/Ibu peserta Musyawarah Kelurahan", s.body))
    story += [
        _p("di tempat", s.body),
        Spacer(1, 8),
        _p("Dengan hormat,", s.body),
        Spacer(1, 4),
        _p(
            "Dalam rangka pengelolaan Data Terpadu Kesejahteraan Sosial (DTKS) sesuai "
            "Peraturan Menteri Sosial Nomor 3 Tahun 2021 dan Instruksi Sekretaris Daerah "
            "Provinsi DKI Jakarta Nomor 54 Tahun 2021, kami mengundang Bapak/Ibu untuk hadir "
            "dalam musyawarah kelurahan pada:",
            s.body,
        ),
        Spacer(1, 4),
        key_values([*_when(paper), ("Acara", agenda)], s, 30 * mm),
        Spacer(1, 6),
        _p(
            "Mengingat pentingnya acara tersebut, kami mohon Bapak/Ibu hadir tepat waktu. "
            "Atas perhatian dan kehadiran Bapak/Ibu, kami ucapkan terima kasih.",
            s.body,
        ),
        _lurah(paper, s, f"{paper.kelurahan}, {date_long(printed)}"),
    ]
    return build(story, "Undangan Musyawarah Kelurahan", f"Undangan musyawarah {paper.scope}")


def render_daftar_hadir(paper: MeetingPaper) -> bytes:
    s = styles()
    rows = [
        [str(i), _p(a.name, s.cell), _p(a.role_label, s.cell), ""]
        for i, a in enumerate(paper.attendees, 1)
    ]
    start = len(rows) + 1
    rows += [[str(i), "", "", ""] for i in range(start, start + BLANK_ROWS)]
    widths = [10 * mm, 62 * mm, 55 * mm]
    widths.append(WIDTH - sum(widths))
    tall = [("TOPPADDING", (0, 1), (-1, -1), 9), ("BOTTOMPADDING", (0, 1), (-1, -1), 9)]
    story: list[Flowable] = [
        *letterhead(paper, s),
        _p("DAFTAR HADIR", s.title),
        _p(f"MUSYAWARAH {paper.scope.upper()}", s.title),
        Spacer(1, 8),
        key_values([*_when(paper), ("Berita acara", paper.minutes_number or "-")], s, 30 * mm),
        Spacer(1, 8),
        *long_table(["No.", "Nama", "Unsur / jabatan", "Tanda tangan"], rows, widths, tall),
        _lurah(paper, s, f"{paper.kelurahan}, {date_long(paper.date)}"),
    ]
    return build(story, "Daftar Hadir Musyawarah Kelurahan", f"Daftar hadir {paper.scope}")


def render_pengumuman(paper: MeetingPaper, rw: int | None = None) -> bytes:
    """One page (or more) per RW listing the households the meeting found eligible, by name
    and RW/RT, for public posting and objections; `rw`: that RW only."""
    s = styles()
    groups = paper.by_rw(words.ELIGIBLE)
    if rw is not None:
        groups = {rw: groups.get(rw, [])}
    if not groups:
        groups = {paper.rw or 0: []}
    story: list[Flowable] = []
    for index, (number, lines) in enumerate(groups.items()):
        if index:
            story.append(PageBreak())
        rows = [[str(i), _p(line.head_name, s.body), line.rw_rt] for i, line in enumerate(lines, 1)]
        story += [
            *letterhead(paper, s),
            _p("PENGUMUMAN", s.title),
            _p(f"HASIL MUSYAWARAH KELURAHAN — RW {number:02d}", s.title),
            Spacer(1, 8),
            _p(
                f"Berdasarkan musyawarah kelurahan pada {date_long(paper.date)} (Berita Acara "
                f"Nomor {paper.minutes_number or '-'}), keluarga berikut dinilai layak diusulkan "
                "ke dalam Data Terpadu Kesejahteraan Sosial (DTKS). Warga yang mengetahui "
                "keadaan keluarga yang tidak sesuai dapat menyampaikan sanggahan ke kantor "
                f"Kelurahan {paper.kelurahan} paling lambat {OBJECTION_DAYS} hari sejak "
                "pengumuman ini ditempel.",
                s.body,
            ),
            Spacer(1, 6),
        ]
        if rows:
            widths = [12 * mm, WIDTH - 42 * mm, 30 * mm]
            large = [("FONTSIZE", (0, 1), (-1, -1), 10), ("TOPPADDING", (0, 1), (-1, -1), 3)]
            story += long_table(["No.", "Kepala keluarga", "RW/RT"], rows, widths, large)
        else:
            story.append(_p("Tidak ada keluarga yang diusulkan dari RW ini.", s.body))
        story.append(_lurah(paper, s, f"{paper.kelurahan}, {date_long(paper.date)}"))
    return build(story, "Pengumuman Hasil Musyawarah Kelurahan", f"Pengumuman {paper.scope}")
