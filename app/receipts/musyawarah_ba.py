"""The berita acara (BA) of a musyawarah kelurahan (issue 17), A4, in Indonesian: where and when,
who attended, the legal basis, the counts, every household decided (head, address, RW/RT,
decision, reason: never a NIK), signature blocks, and the verification code (a hash of exactly
the decided list, app/core/musyawarah.py) in words and as a QR code."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app.core import musyawarah as words
from app.receipts.formatting import DAYS, date_long, date_short, thousands
from app.receipts.musyawarah_content import MeetingPaper
from app.receipts.musyawarah_pdf import (
    WIDTH,
    Styles,
    build,
    cell,
    key_values,
    letterhead,
    long_table,
    signature_blocks,
    styles,
)
from app.receipts.musyawarah_pdf import p as _p
from app.receipts.qr import QrCode

TITLE = "BERITA ACARA MUSYAWARAH KELURAHAN"
MAX_SIGNERS = 6  # besides the Lurah
DEFAULT_SIGNERS = ("lpm", "ketua_rw", "tksk", "psm")


def _opening(paper: MeetingPaper, s: Styles) -> list[Flowable]:
    day = paper.date
    when = f"hari {DAYS[day.weekday()]}, tanggal {date_short(day)}"
    if paper.time:
        when += f", pukul {paper.time} WIB"
    text = (
        f"Pada {when}, bertempat di {paper.place}, telah dilaksanakan Musyawarah "
        f"{paper.scope}, Kecamatan {paper.kecamatan}, {paper.kota}, untuk membahas usulan "
        "keluarga ke dalam Data Terpadu Kesejahteraan Sosial (DTKS) dan menilai keluarga yang "
        "tidak miskin menurut masyarakat setempat."
    )
    story: list[Flowable] = [_p(text, s.body), Spacer(1, 4)]
    if paper.corrects_number:
        story += [
            _p(
                f"Berita acara ini mengoreksi Berita Acara Nomor {paper.corrects_number}; "
                "keputusan di bawah ini menggantikan keputusan yang sama di sana.",
                s.body,
            ),
            Spacer(1, 4),
        ]
    story.append(_p("Dasar hukum:", s.section))
    story += [_p(f"{i}. {basis}", s.body) for i, basis in enumerate(words.LEGAL_BASIS, 1)]
    return story


def _attendees(paper: MeetingPaper, s: Styles) -> list[Flowable]:
    chair = paper.chair or "Lurah"
    story: list[Flowable] = [
        _p(f"Musyawarah dipimpin oleh {chair}, Lurah {paper.kelurahan}, dan dihadiri oleh:", s.body)
    ]
    if not paper.attendees:
        return [*story, _p("(sesuai daftar hadir terlampir)", s.body)]
    rows = [
        [str(i), _p(a.name, s.cell), _p(a.role_label, s.cell)]
        for i, a in enumerate(paper.attendees, 1)
    ]
    return [
        *story,
        Spacer(1, 3),
        *long_table(["No.", "Nama", "Unsur"], rows, [10 * mm, 75 * mm, WIDTH - 85 * mm]),
    ]


def _counts(paper: MeetingPaper, s: Styles) -> Flowable:
    counts = words.counts([line.decision for line in paper.decided if line.decision], 0)
    decided = counts[words.ELIGIBLE] + counts[words.NOT_POOR] + counts[words.POSTPONE]
    pairs = [
        ("Layak diusulkan", f"{thousands(counts[words.ELIGIBLE])} keluarga"),
        ("Tidak miskin", f"{thousands(counts[words.NOT_POOR])} keluarga"),
        ("Ditunda", f"{thousands(counts[words.POSTPONE])} keluarga"),
        ("Jumlah diputuskan", f"{thousands(decided)} keluarga"),
    ]
    undecided = len(paper.lines) - decided
    if undecided > 0:
        pairs.append(("Belum diputuskan", f"{thousands(undecided)} keluarga"))
    return key_values(pairs, s, 45 * mm)


def _number(number: str | None) -> str:
    """A registration number on two lines: the kelurahan code, then device and sequence."""
    if not number:
        return "-"
    first, _sep, rest = number.partition("-")
    return f"{first}-\n{rest}" if rest else number


def _decided(paper: MeetingPaper, s: Styles) -> list[Flowable]:
    decided = paper.decided
    if not decided:
        return [_p("Tidak ada keluarga yang diputuskan.", s.body)]
    widths = [8 * mm, 29 * mm, 34 * mm, 36 * mm, 15 * mm, 21 * mm]
    widths.append(WIDTH - sum(widths))
    rows = [
        [
            str(i),
            _number(line.registration_number),
            cell(line.head_name, widths[2], s),
            cell(line.address or "-", widths[3], s),
            line.rw_rt,
            cell(line.decision_label, widths[5], s),
            cell(line.reason or "", widths[6], s),
        ]
        for i, line in enumerate(decided, 1)
    ]
    header = ["No.", "No. pendaftaran", "Kepala keluarga", "Alamat", "RW/RT", "Keputusan", "Alasan"]
    small = [("FONTSIZE", (1, 1), (1, -1), 7.5), ("LEADING", (1, 1), (1, -1), 9),
             ("FONTSIZE", (4, 1), (4, -1), 8)]  # fmt: skip
    return long_table(header, rows, widths, small)


def _signers(paper: MeetingPaper) -> list[tuple[str, str | None]]:
    blocks: list[tuple[str, str | None]] = [(f"Lurah {paper.kelurahan}", paper.chair)]
    others = [a for a in paper.attendees if a.role != words.CHAIR_ROLE][:MAX_SIGNERS]
    if others:
        blocks += [(a.role_label, a.name) for a in others]
    else:
        blocks += [(f"Perwakilan {words.PARTICIPANT_ROLES[r]}", None) for r in DEFAULT_SIGNERS]
    return blocks


def _verification(paper: MeetingPaper, s: Styles) -> Flowable:
    size = 30 * mm
    text = [
        _p(f"Kode verifikasi: {paper.verification}", s.section),
        _p(
            "Kode ini dihitung dari daftar keputusan di atas (setiap keluarga, keputusan dan "
            "alasannya). Perubahan apa pun pada daftar menghasilkan kode lain; kode yang sama "
            "tercatat saat hasil musyawarah dikunci dan dikirim ke Dinas Sosial.",
            s.small,
        ),
    ]
    return Table(
        [[text, QrCode(paper.qr_payload, size)]],
        colWidths=[WIDTH - size, size],
        style=TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        ),
    )


def story(paper: MeetingPaper) -> list[Flowable]:
    s = styles()
    number = paper.minutes_number or "...................."
    return [
        *letterhead(paper, s),
        _p(TITLE, s.title),
        _p("PENGUSULAN DATA TERPADU KESEJAHTERAAN SOSIAL (DTKS)", s.title),
        _p(f"Nomor: {number}", s.center),
        Spacer(1, 8),
        *_opening(paper, s),
        Spacer(1, 6),
        *_attendees(paper, s),
        _p("Hasil musyawarah:", s.section),
        _counts(paper, s),
        _p("Daftar keluarga yang diputuskan (nama dan alamat):", s.section),
        *_decided(paper, s),
        Spacer(1, 6),
        _p(
            "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana "
            "mestinya.",
            s.body,
        ),
        Spacer(1, 4),
        KeepTogether(
            [
                _p(f"{paper.kelurahan}, {date_long(paper.date)}", s.center),
                Spacer(1, 4),
                signature_blocks(_signers(paper), s),
            ]
        ),
        Spacer(1, 6),
        KeepTogether([_verification(paper, s)]),
    ]


def render_berita_acara(paper: MeetingPaper) -> bytes:
    footer = f"Berita Acara {paper.minutes_number or '-'} · Kode verifikasi {paper.verification}"
    return build(story(paper), TITLE.title(), footer)
