"""What the penetapan of a kota's daftar sasaran tetap says (issue 19): pure values, filled by
app/services/target_lists.py from the locked list and drawn by app/receipts/penetapan_pdf.py
(reportlab loads only there).

The document lists per kelurahan each household's registration number, the head's full name,
address and RW/RT, and the head's NIK **masked** (`3174********0003`, app/rules/nik.mask): the
penetapan is filed and shown outside the encrypted database, the name and address identify the
family for the reader, and SIKS-NG gets the full NIKs from the list's export, not from paper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    registration_number: str
    head_name: str
    head_nik_masked: str
    address: str
    rw: int | None
    rt: int | None
    members: int

    @property
    def rt_rw(self) -> str:
        rt = "-" if self.rt is None else f"{self.rt:03d}"
        rw = "-" if self.rw is None else f"{self.rw:03d}"
        return f"{rt}/{rw}"


@dataclass(frozen=True)
class Group:
    """One kelurahan's households on the list."""

    code: str
    kecamatan: str
    kelurahan: str
    lines: list[Line]

    @property
    def people(self) -> int:
        return sum(line.members for line in self.lines)


@dataclass(frozen=True)
class PenetapanPaper:
    office: str  # "Suku Dinas Sosial Kota Administrasi Jakarta Selatan"
    kota: str
    number: str
    date: dt.date
    groups: list[Group]
    signatory_title: str
    signatory_name: str | None  # None: a line to write the name on
    signatory_nip: str | None
    verification: str

    @property
    def households(self) -> int:
        return sum(len(g.lines) for g in self.groups)

    @property
    def people(self) -> int:
        return sum(g.people for g in self.groups)
