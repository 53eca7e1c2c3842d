"""The audit screen's service (issue 4): a filtered page of the audit log, in Indonesian words.

Only roles with `audit.view` (supervisor, admin) read it. Filters are by officer, by local
calendar dates (converted here to the UTC times the log stores) and by household (registration
number or id). NIKs and No. KK are already masked in the log itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from app.core import codes
from app.core.errors import UserError
from app.db import audit
from app.services import auth
from app.services.actions import audit_label

PAGE = 200
DETAIL_LABELS = {  # other detail keys, as the table names them
    "at": "waktu",
    "backup": "cadangan",
    "lost": "keluarga hilang",
    "kept_in": "basis data lama di",
    "households": "keluarga",
}
_MEMBER_PATH = re.compile(r"^members\[[^\]]*\]\.(.+)$")
SHOWN_CHANGES = 3


@dataclass(frozen=True)
class AuditFilter:
    officer: str | None = None
    date_from: dt.date | None = None  # local calendar dates, both inclusive
    date_to: dt.date | None = None
    household: str | None = None  # registration number or household id


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: str  # UTC ISO, as stored
    officer: str | None
    action: str
    action_label: str
    household_id: str | None
    registration_number: str | None
    summary: str  # one line for the table
    detail: dict[str, Any]  # everything, for a tooltip


def _utc_start_of(day: dt.date) -> str:
    """Midnight of a local calendar day, as the log's UTC ISO text."""
    moment = dt.datetime.combine(day, dt.time.min).astimezone(dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def field_title(path: str) -> str:
    """'members[<id>].name' -> 'Nama lengkap (anggota)'; 'housing.floor' -> its title."""
    member = _MEMBER_PATH.match(path)
    section, field = ("members", member.group(1)) if member else ("household", path)
    if not member and "." in path:
        section, field = path.split(".", 1)
    try:
        title = codes.title(section, field)
    except KeyError:
        title = field
    return f"{title} (anggota)" if member else title


def summarize(action: str, detail: dict[str, Any]) -> str:
    """One line about an entry's detail, for the table."""
    parts = []
    if "final" in detail:
        parts.append("final" if detail["final"] else "draf")
    if detail.get("status"):
        parts.append(f"status {codes.label('household', 'status', detail['status'])}")
    if "new" in detail:
        parts.append("baru" if detail["new"] else "perubahan")
    if detail.get("username"):
        parts.append(f"akun {detail['username']}")
    if detail.get("role"):
        parts.append(f"peran {auth.ROLES.get(detail['role'], detail['role'])}")
    for key, value in detail.items():
        if key not in {"final", "status", "new", "username", "role", "changes"}:
            parts.append(f"{DETAIL_LABELS.get(key, key)}: {value}")
    changes = detail.get("changes") or {}
    if changes and all(old is None for old, _new in changes.values()):
        parts.append(f"data baru: {len(changes)} isian")
    elif changes:
        titles = sorted({field_title(path) for path in changes})
        shown = ", ".join(titles[:SHOWN_CHANGES])
        more = f" dan {len(titles) - SHOWN_CHANGES} lainnya" if len(titles) > SHOWN_CHANGES else ""
        parts.append(f"diubah: {shown}{more}")
    return "; ".join(parts)


def describe_changes(detail: dict[str, Any]) -> str:
    """Every change as 'title: old → new', one per line (NIK and No. KK masked in the log)."""
    lines = []
    for path, (old, new) in sorted((detail.get("changes") or {}).items()):
        lines.append(f"{field_title(path)}: {_value(old)} → {_value(new)}")
    return "\n".join(lines)


def _value(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def audit_page(
    by: auth.Officer | None,
    filters: AuditFilter = AuditFilter(),
    before_seq: int | None = None,
    limit: int = PAGE,
) -> list[AuditLine]:
    """Entries matching `filters`, newest first, at most `limit`; `before_seq` (the last seq
    shown) gives the next page."""
    auth.require(by, "audit.view")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise UserError("Tanggal 'dari' lebih akhir daripada tanggal 'sampai'.")
    until = filters.date_to + dt.timedelta(days=1) if filters.date_to else None
    entries = audit.page(
        officer=filters.officer or None,
        since=_utc_start_of(filters.date_from) if filters.date_from else None,
        until=_utc_start_of(until) if until else None,
        household=(filters.household or "").strip() or None,
        before_seq=before_seq,
        limit=limit,
    )
    return [
        AuditLine(
            e.seq,
            e.at,
            e.officer,
            e.action,
            audit_label(e.action),
            e.household_id,
            e.registration_number,
            summarize(e.action, e.detail),
            e.detail,
        )
        for e in entries
    ]


def verify(by: auth.Officer | None) -> tuple[int, str | None]:
    """The hash-chain check, for the audit screen's button: (entries checked, problem)."""
    auth.require(by, "audit.view")
    return audit.verify()


# app/db/audit.py `verify` words its findings in English (for the CLI); the screen says them so
_PROBLEMS = [
    (re.compile(r"entry (\d+) is missing \(next entry is (\d+)\)"),
     "entri nomor {0} hilang (entri berikutnya nomor {1})"),
    (re.compile(r"entry (\d+) does not follow entry (\d+)"),
     "entri nomor {0} tidak menyambung ke entri nomor {1} (rantai putus)"),
    (re.compile(r"entry (\d+) has been altered"), "entri nomor {0} telah diubah"),
    (re.compile(r"entries after (\d+) have been deleted"),
     "entri sesudah nomor {0} telah dihapus"),
]  # fmt: skip


def verify_message(checked: int, problem: str | None) -> str:
    """The result of `verify` in Indonesian, for the screen."""
    if problem is None:
        return f"Log audit utuh: {checked} entri diperiksa, tidak ada yang diubah atau dihapus."
    for pattern, words in _PROBLEMS:
        found = pattern.match(problem)
        if found:
            problem = words.format(*found.groups())
            break
    return (
        f"Log audit TIDAK utuh: {problem}. Ada entri yang diubah atau dihapus di luar "
        "aplikasi; laporkan ke supervisor dan simpan salinan basis data ini."
    )
