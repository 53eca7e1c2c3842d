"""Registration numbers unique across devices: <kelurahan code>-<device code>-<sequence>."""

from __future__ import annotations

from app.db.connection import database
from app.db.models import RegistrationCounter


def next_number(village_code: str, device_code: str) -> str:
    """Take the next number for this kelurahan and device (call inside the save transaction)."""
    with database.atomic():
        RegistrationCounter.insert(
            village_code=village_code, device_code=device_code, last=1
        ).on_conflict(
            conflict_target=[RegistrationCounter.village_code, RegistrationCounter.device_code],
            update={RegistrationCounter.last: RegistrationCounter.last + 1},
        ).execute()
        last = RegistrationCounter.get(
            (RegistrationCounter.village_code == village_code)
            & (RegistrationCounter.device_code == device_code)
        ).last
    return format_number(village_code, device_code, last)


def format_number(village_code: str, device_code: str, sequence: int) -> str:
    return f"{village_code.replace('.', '')}-{device_code}-{sequence:06d}"


def last_number(village_code: str, device_code: str) -> int:
    """The last sequence number taken for this kelurahan and device (0 before the first)."""
    counter = RegistrationCounter.get_or_none(village_code=village_code, device_code=device_code)
    return counter.last if counter else 0


def set_last_number(village_code: str, device_code: str, last: int) -> None:
    """Move the counter to `last` (bulk loads that number their households themselves)."""
    RegistrationCounter.insert(
        village_code=village_code, device_code=device_code, last=last
    ).on_conflict_replace().execute()
