"""The penetapan document and the SIKS-NG export of a locked daftar sasaran tetap (issue 19;
the list itself: app/services/target_lists.py). Role `target_list.manage`; printing or saving
the penetapan is audited `target_list.print` (number and verification code), the export as
every export (`export.personal`, which it needs too: the file holds full NIKs)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from app.db import audit
from app.db.connection import database
from app.paths import AppPaths
from app.receipts.formatting import parse_date
from app.receipts.penetapan import Group, Line, PenetapanPaper
from app.services import dinsos_status, exports, outputs
from app.services.actions import Officer, require
from app.services.target_lists import ACTION, show

PROFILE = "siks-ng-usulan-v1"  # the SIKS-NG export profile the list is typed in from


def paper(number: str, officer: Officer | None) -> PenetapanPaper:
    """What the penetapan document says, from the locked list."""
    found = show(number, officer)
    t = found.target_list
    groups = []
    for count in found.per_kelurahan:
        lines = [
            Line(m.registration_number or "-", m.head_name or "-", m.head_nik_masked or "-",
                 m.address or "-", m.rw, m.rt, m.members)
            for m in found.members
            if m.village_code == count.code
        ]  # fmt: skip
        groups.append(Group(count.code, count.kecamatan, count.kelurahan, lines))
    day = parse_date(t.date)
    assert day is not None  # stored by lock from a checked date
    return PenetapanPaper(
        office=dinsos_status.sender(),
        kota=found.kota_name,
        number=t.number,
        date=day,
        groups=groups,
        signatory_title=t.signatory_title,
        signatory_name=t.signatory_name,
        signatory_nip=t.signatory_nip,
        verification=t.verification,
    )


def render_pdf(number: str, officer: Officer | None) -> bytes:
    """The penetapan PDF (nothing written; reportlab loads on first use)."""
    made = paper(number, officer)
    render = import_module("app.receipts.penetapan_pdf").render_penetapan
    return bytes(render(made))


def write_pdf(
    number: str,
    target: str | Path,
    officer: Officer | None,
    *,
    data: bytes | None = None,
    force: bool = False,
    paths: AppPaths | None = None,
) -> Path:
    """Save the penetapan PDF (rendered now, or `data` a preview rendered) and audit it."""
    officer = require(officer, ACTION)
    outputs.check_output(target, force=force, paths=paths)
    pdf = data if data is not None else render_pdf(number, officer)
    with database.atomic():
        note_printed(number, officer)
        with outputs.staged_output(target, pdf, force=force, paths=paths) as path:
            pass
    return path


def note_printed(number: str, officer: Officer | None) -> None:
    """Audit that the penetapan was printed or saved (the GUI's preview wrote it itself)."""
    officer = require(officer, ACTION)
    found = show(number, officer).target_list
    detail = {"number": found.number, "verification": found.verification}
    audit.append("target_list.print", officer=officer.username, detail=detail)


def export_siks_ng(
    number: str,
    fmt: str,
    target: str | Path,
    officer: Officer | None,
    *,
    force: bool = False,
    paths: AppPaths | None = None,
) -> exports.ExportResult:
    """The list's households through the SIKS-NG export profile (audited as every export)."""
    found = show(number, officer)
    ids = [m.household_id for m in found.members]
    return exports.export(PROFILE, fmt, target, officer, force=force, paths=paths,
                          household_ids=ids, selection=f"target_list:{number}")  # fmt: skip
