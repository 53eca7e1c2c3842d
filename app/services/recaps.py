"""Recaps (rekap) and working lists (issue 18), as user actions.

`recap` counts the kelurahan's households (KK) and people (jiwa) per RW and RT by status and
by exclusion criterion, registrations per officer and day, and households with missing answers
(the completeness rule, app/rules/completeness.py: a final save refuses missing answers, so
only drafts are evaluated). `write_recap` prints it as PDF or XLSX; `write_worklist` and
`write_drafts` print the field-visit list of an RW and the drafts left for more than N days.
Each needs its role (`report.recap`, `report.worklist`) and every file written is recorded in
the audit log (what, how many, the file's SHA-256; never a name or NIK).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import defaultdict
from pathlib import Path

import orjson

from app.core import status as status_words
from app.core.document import Document
from app.core.errors import EXIT_BAD_INPUT, UserError
from app.db import audit, canonical
from app.db import recaps as queries
from app.paths import AppPaths
from app.receipts.formatting import WIB
from app.receipts.recap_content import Counts, Place, Recap, WorklistItem, place_key
from app.rules import completeness
from app.rules.context import Context
from app.services import installation, outputs
from app.services.actions import Officer, require

FORMATS = ("pdf", "xlsx")
DRAFT = "draft"
WITHDRAWN = "withdrawn"


class ReportError(UserError):
    exit_code = EXIT_BAD_INPUT


def _kelurahan() -> tuple[str | None, str]:
    """(code, label) of this installation's kelurahan; every household when none is set."""
    village = installation.current_village()
    if village is None:
        return None, "Semua kelurahan"
    return village.code, village.label


def missing_answers(doc: Document, today: dt.date) -> list[str]:
    """The completeness rule's messages for the answers `doc` lacks ("Alamat belum diisi")."""
    ctx = Context(today, required=completeness.schema_requirements())
    return [finding.message for finding in completeness.answers_given(doc, ctx)]


def _incomplete(village: str | None, today: dt.date) -> dict[Place, int]:
    ctx = Context(today, required=completeness.schema_requirements())
    ids = queries.household_ids(village, statuses=(DRAFT,))
    found: dict[Place, int] = defaultdict(int)
    for start in range(0, len(ids), 2000):
        for doc in canonical.load_many(ids[start : start + 2000]).values():
            if next(completeness.answers_given(doc, ctx), None) is not None:  # one is enough
                found[(doc.get("rw"), doc.get("rt"))] += 1
    return dict(found)


def incomplete_drafts(officer: Officer | None) -> dict[Place, int]:
    """Drafts with missing answers per (RW, RT) (role `report.recap`): the slow part of a
    recap (each draft is read whole), so a screen may show the rest first."""
    require(officer, "report.recap")
    village, _label = _kelurahan()
    return _incomplete(village, dt.datetime.now(WIB).date())


def recap(officer: Officer | None, *, incomplete: bool = True) -> Recap:
    """The counts of this installation's kelurahan (role `report.recap`); without
    `incomplete`, the drafts with missing answers are left for `incomplete_drafts`."""
    require(officer, "report.recap")
    village, label = _kelurahan()
    now = dt.datetime.now(WIB)
    by_status: dict[Place, dict[str, Counts]] = defaultdict(dict)
    by_criterion: dict[Place, dict[str, Counts]] = defaultdict(dict)
    for row in queries.status_counts(village):
        place = (row.rw, row.rt)
        counts = Counts(row.households, row.people)
        cells = by_status[place]
        cells[row.status] = cells.get(row.status, Counts()) + counts
        if row.status == "excluded":
            for criterion in orjson.loads(row.exclusions or "[]"):
                per = by_criterion[place]
                per[criterion] = per.get(criterion, Counts()) + counts
    places = tuple(sorted(by_status, key=lambda p: (place_key(p[0]), place_key(p[1]))))
    criteria = tuple(
        (rule, status_words.household_status("excluded", [rule]).text)
        for rule in status_words.CRITERIA_SHORT
    )
    return Recap(
        kelurahan=label,
        made_at=now,
        statuses=tuple(status_words.status_choices()),
        criteria=criteria,
        places=places,
        by_status=dict(by_status),
        by_criterion=dict(by_criterion),
        officer_days=tuple(
            (row.officer or "-", row.day, row.households)
            for row in queries.registrations_per_officer_day(village)
        ),
        incomplete=_incomplete(village, now.date()) if incomplete else {},
    )


def _record(action: str, officer: Officer, data: bytes, detail: dict[str, object]) -> None:
    audit.append(
        action,
        officer=officer.username,
        detail={**detail, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)},
    )


def write_recap(
    officer: Officer | None,
    fmt: str,
    target: str | os.PathLike[str],
    *,
    force: bool = False,
    paths: AppPaths | None = None,
) -> Path:
    """Write the recap as PDF or XLSX to `target` (app/services/outputs.py decides where a
    file may go) and record it in the audit log."""
    acting = require(officer, "report.recap")
    if fmt not in FORMATS:
        raise ReportError(f"Format rekap tidak dikenal: {fmt}.", f"unknown recap format: {fmt}")
    outputs.check_output(target, force=force, paths=paths)
    counts = recap(acting)
    # the PDF and spreadsheet libraries load on first use, not when the app starts
    if fmt == "pdf":
        from app.receipts.recap_pdf import render_recap

        data = render_recap(counts)
    else:
        from app.receipts.recap_xlsx import render_recap_xlsx

        data = render_recap_xlsx(counts)
    with outputs.staged_output(target, data, force=force, paths=paths) as path:
        detail = {"format": fmt, "households": counts.grand_total.households}
        _record("report.recap", acting, data, detail)
    return path


def recap_pdf(officer: Officer | None) -> tuple[bytes, int]:
    """The recap as PDF bytes for printing, kept in memory (*Cetak* on the Ringkasan screen):
    (pdf, households counted). Recorded with `recap_printed` once it was printed."""
    from app.receipts.recap_pdf import render_recap

    counts = recap(require(officer, "report.recap"))
    return render_recap(counts), counts.grand_total.households


def recap_printed(officer: Officer | None, pdf: bytes, households_counted: int) -> None:
    """Record in the audit log that the recap `pdf` was sent to a printer."""
    acting = require(officer, "report.recap")
    _record("report.recap", acting, pdf, {"format": "print", "households": households_counted})


def _items(ids: list[str], today: dt.date, missing_only: bool) -> list[WorklistItem]:
    items: list[WorklistItem] = []
    rows = {row.household_id: row for row in queries.worklist_rows(ids)}
    # Only drafts can lack answers (a final save refuses them): only drafts are read whole.
    drafts = {i for i, row in rows.items() if row.status == DRAFT}
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        docs = canonical.load_many([i for i in chunk if i in drafts])
        for household_id in chunk:
            row, doc = rows.get(household_id), docs.get(household_id)
            if row is None:
                continue
            missing = missing_answers(doc, today) if doc is not None else []
            if missing_only and not missing:
                continue
            items.append(
                WorklistItem(
                    rw=row.rw,
                    rt=row.rt,
                    address=row.address or "",
                    head_name=row.head_name or "",
                    registration_number=row.registration_number or "",
                    status=status_words.household_status(row.status).text,
                    missing=tuple(missing),
                    updated_on=dt.datetime.fromisoformat(row.updated_at).astimezone(WIB).date(),
                )
            )
    return items


def worklist(officer: Officer | None, rw: int, *, missing_only: bool = False) -> list[WorklistItem]:
    """The households of RW `rw` (not withdrawn) for a field visit, with what each lacks."""
    require(officer, "report.worklist")
    village, _label = _kelurahan()
    statuses = tuple(code for code, _ in status_words.status_choices() if code != WITHDRAWN)
    ids = queries.household_ids(village, statuses=statuses, rw=rw)
    return _items(ids, dt.datetime.now(WIB).date(), missing_only)


def old_drafts(officer: Officer | None, older_than_days: int) -> list[WorklistItem]:
    """Drafts not changed for more than `older_than_days` days."""
    require(officer, "report.worklist")
    village, _label = _kelurahan()
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days)
    stamp = cutoff.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    ids = queries.household_ids(village, statuses=(DRAFT,), updated_before=stamp)
    return _items(ids, dt.datetime.now(WIB).date(), missing_only=False)


def _write_list(
    officer: Officer,
    items: list[WorklistItem],
    title: str,
    target: str | os.PathLike[str],
    detail: dict[str, object],
    force: bool,
    paths: AppPaths | None,
) -> tuple[Path, int]:
    _code, label = _kelurahan()
    from app.receipts.worklist_pdf import render_worklist  # loads reportlab on first use

    data = render_worklist(items, title, label, dt.datetime.now(WIB))
    with outputs.staged_output(target, data, force=force, paths=paths) as path:
        _record("report.worklist", officer, data, {**detail, "households": len(items)})
    return path, len(items)


def write_worklist(
    officer: Officer | None,
    rw: int,
    target: str | os.PathLike[str],
    *,
    missing_only: bool = False,
    force: bool = False,
    paths: AppPaths | None = None,
) -> tuple[Path, int]:
    """Print the field-visit list of RW `rw`; returns (file, households listed)."""
    acting = require(officer, "report.worklist")
    outputs.check_output(target, force=force, paths=paths)
    items = worklist(acting, rw, missing_only=missing_only)
    title = f"DAFTAR KUNJUNGAN LAPANGAN RW {rw:03d}"
    detail = {"list": "rw", "rw": rw, "missing_only": missing_only}
    return _write_list(acting, items, title, target, detail, force, paths)


def write_drafts(
    officer: Officer | None,
    older_than_days: int,
    target: str | os.PathLike[str],
    *,
    force: bool = False,
    paths: AppPaths | None = None,
) -> tuple[Path, int]:
    """Print the drafts left for more than `older_than_days` days; returns (file, count)."""
    acting = require(officer, "report.worklist")
    outputs.check_output(target, force=force, paths=paths)
    items = old_drafts(acting, older_than_days)
    title = f"DRAF LEBIH DARI {older_than_days} HARI"
    detail = {"list": "drafts", "older_than_days": older_than_days}
    return _write_list(acting, items, title, target, detail, force, paths)
