"""Receipts (tanda terima) as user actions (issue 5, DESIGN §6). Part of the service layer.

A receipt is first *prepared* (read the household, render the PDF: no writes, so a preview
that is closed unprinted leaves no trace) and then *issued* when it is printed or saved: the
receipt row and the audit entry `receipt.print` are written in one transaction. The first
receipt of a household is the original; every later one is a SALINAN with its reprint number
and time. `print_receipt` does both steps (the CLI).

*Petugas pendaftaran* on every copy is the officer who issued the original (at registration);
a SALINAN names the officer who reprints it apart. The preview (app/ui/widgets/receipt_preview.py)
issues a shown receipt once, whether it is saved, printed or both.
"""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass

import app.receipts as receipts_pdf  # its PDF functions load reportlab on first use
from app.core.document import now_iso
from app.core.errors import UserError
from app.db import audit, officers, receipts, settings
from app.db.connection import database
from app.receipts import DEFAULT_PAPER, PAPER_LABELS, receipt_content
from app.receipts.formatting import parse_date, parse_iso
from app.services import auth, households, installation

PAPER_KEY = "receipt_paper"
MUSYAWARAH_KEY = "musyawarah_next_date"
PROVINCE = "DKI Jakarta"
ACTION = "receipt.print"


@dataclass(frozen=True)
class Receipt:
    """A rendered receipt, ready to be issued (printed or saved)."""

    household_id: str
    registration_number: str
    copy: int  # 0: the original; n: the n-th reprint
    paper: str
    printed_at: str  # ISO, UTC
    verification: str
    pdf: bytes

    @property
    def is_reprint(self) -> bool:
        return self.copy > 0


# --- settings --------------------------------------------------------------------------------


def receipt_paper() -> str:
    """The paper receipts print on (setting `receipt_paper`: a5, a4 or thermal80)."""
    value = settings.get(PAPER_KEY)
    return value if value in PAPER_LABELS else DEFAULT_PAPER


def _known_paper(paper: str) -> str:
    if paper not in PAPER_LABELS:
        raise UserError(
            f"Ukuran kertas {paper!r} tidak dikenal. Pilihan: {', '.join(PAPER_LABELS)}."
        )
    return paper


def set_receipt_paper(paper: str) -> str:
    settings.put(PAPER_KEY, _known_paper(paper))
    return paper


def musyawarah_date() -> dt.date | None:
    """The date of the next musyawarah kelurahan when the kelurahan has set it; receipts
    otherwise print an estimate."""
    return parse_date(settings.get(MUSYAWARAH_KEY))  # a damaged setting reads as not set


def set_musyawarah_date(day: dt.date | None) -> None:
    settings.put(MUSYAWARAH_KEY, day.isoformat() if day else "")


# --- receipts --------------------------------------------------------------------------------


def _officer(officer: auth.Officer | str | None) -> auth.Officer:
    """The officer who prints, allowed to (`receipt.print`); a username is looked up."""
    if isinstance(officer, str):
        row = officers.get(officer)
        if row is None or not row.active:
            raise auth.AuthError(f"Petugas {officer} tidak ada atau tidak aktif.")
        officer = auth.Officer(row.username, row.full_name, row.role)
    return auth.require(officer, ACTION)


def _full_names(usernames: set[str]) -> dict[str, str]:
    found = {}
    for username in usernames:
        row = officers.get(username)
        if row is not None:
            found[username] = row.full_name
    return found


def prepare_receipt(
    household_id: str,
    officer: auth.Officer | str | None,
    paper: str | None = None,
) -> Receipt:
    """Render the next receipt of a household saved as final (the original, or a SALINAN
    when one was handed out before). Writes nothing."""
    who = _officer(officer)
    chosen = _known_paper(paper or receipt_paper())
    doc = households.load_household(household_id)
    if doc["status"] == "draft" or not doc.get("registration_number"):
        raise UserError("Tanda terima hanya untuk keluarga yang sudah disimpan final (Ctrl+S).")
    village = installation.current_village()
    if village is None:
        raise UserError("Kelurahan untuk instalasi ini belum dipilih")
    copy = receipts.printed_count(household_id)
    original = receipts.original(household_id)
    printed_at = now_iso()
    issued_at = _stored_time(original.printed_at) if original else parse_iso(printed_at)
    overriders = {o.get("by") for o in doc.get("exclusion_overrides") or [] if o.get("by")}
    registered_by = original.printed_by if original else None
    names = _full_names(overriders | ({registered_by} if registered_by else set()))
    content = receipt_content(
        doc,
        province=PROVINCE,
        kelurahan=village.name,
        kecamatan=village.district,
        kota=village.city,
        officer_name=_registering_officer(original, names, who),
        issued_at=issued_at,
        copy=copy,
        printed_at=parse_iso(printed_at) if copy else None,
        musyawarah=musyawarah_date(),
        officer_names=names,
        reprinted_by=who.full_name,
    )
    return Receipt(
        household_id,
        content.registration_number,
        copy,
        chosen,
        printed_at,
        content.verification,
        receipts_pdf.render_receipt(content, chosen),
    )


def _registering_officer(
    original: receipts.ReceiptRecord | None, names: dict[str, str], who: auth.Officer
) -> str:
    """Who issued the original: the officer printing it now, or for a SALINAN the original's
    officer (their full name; "-" when an old row does not say)."""
    if original is None:
        return who.full_name
    if not original.printed_by:
        return "-"
    return names.get(original.printed_by, original.printed_by)


def _stored_time(value: str) -> dt.datetime:
    """The stored time of the original receipt; a damaged one refuses the reprint cleanly."""
    try:
        return parse_iso(value)
    except (TypeError, ValueError):
        raise UserError(
            "Waktu tanda terima asli yang tersimpan rusak; tanda terima tidak dapat dicetak.",
            "the stored time of the original receipt is damaged; no receipt was made",
        ) from None


def issue_receipt(receipt: Receipt, officer: auth.Officer | str | None) -> receipts.ReceiptRecord:
    """Record that a prepared receipt was printed or saved, with its audit entry, in one
    transaction. Refused when another receipt of the household was issued meanwhile."""
    who = _officer(officer)
    username = who.username
    with database.atomic():
        if receipts.printed_count(receipt.household_id) != receipt.copy:
            raise UserError(
                "Tanda terima keluarga ini baru saja dicetak di tempat lain. Buka pratinjau lagi."
            )
        record = receipts.insert(
            receipt.household_id,
            receipt.registration_number,
            receipt.copy,
            receipt.paper,
            username,
            receipt.printed_at,
            receipt.verification,
        )
        audit.append(
            ACTION,
            officer=username,
            household_id=receipt.household_id,
            detail={
                "receipt": record.number,
                "registration_number": receipt.registration_number,
                "copy": receipt.copy,
                "paper": receipt.paper,
            },
        )
    return record


def print_receipt(
    household_id: str, officer: auth.Officer | str | None, paper: str | None = None
) -> Receipt:
    """Prepare and issue the next receipt of a household (the CLI's `receipt`)."""
    receipt = prepare_receipt(household_id, officer, paper)
    issue_receipt(receipt, officer)
    return receipt


def receipt_history(household_id: str) -> list[receipts.ReceiptRecord]:
    return receipts.of_household(household_id)


def recovery_sheet(recovery_key: str) -> bytes:
    """The recovery-key sheet (app/receipts/recovery.py) naming this kelurahan (blank to fill
    in by hand on the first start, which chooses it after the key), this installation, the
    computer and the time. The key is only laid out: nothing is stored or logged."""
    from app.receipts.recovery import RecoverySheet, render_recovery_sheet

    village = installation.current_village()
    return render_recovery_sheet(
        RecoverySheet(
            recovery_key=recovery_key,
            kelurahan=village.label if village else "",
            installation=f"{installation.device_code()} (id {installation.device_id()})",
            computer=socket.gethostname(),
            made_at=parse_iso(now_iso()),
        )
    )


def privacy_notice() -> bytes:
    """The counter's one-page privacy notice (UU PDP), naming this kelurahan."""
    village = installation.current_village()
    if village is None:
        raise UserError("Kelurahan untuk instalasi ini belum dipilih")
    # Loaded lazily through the package's __getattr__, so typed here.
    pdf: bytes = receipts_pdf.render_privacy_notice(village.name, village.district, village.city)
    return pdf
