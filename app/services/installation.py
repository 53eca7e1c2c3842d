"""This installation: the kelurahan it serves, its device id and code, its settings."""

from __future__ import annotations

import uuid

from app.core.errors import UserError
from app.db import audit, regions, settings
from app.db.connection import database
from app.services.actions import Officer, require

VILLAGE_KEY = "village_code"
IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 5
DEVICE_KEY = "device_id"
KIND_KEY = "installation_kind"  # "kelurahan" (default) or "dinsos" (issue 19)
AREA_KEY = "dinsos_area"  # "31" (Dinas Sosial DKI Jakarta) or a kota code (Suku Dinas)
PROVINCE_CODE = "31"


def village_code() -> str | None:
    return settings.get(VILLAGE_KEY)


def set_village(code: str, officer: Officer | None) -> regions.Village:
    """Choose the kelurahan this installation serves (which households it registers and
    accepts); audited."""
    officer = require(officer, "installation.configure")
    chosen = regions.village(code)
    if chosen is None:
        raise UserError(f"Kode kelurahan {code} tidak dikenal")
    with database.atomic():
        settings.put(VILLAGE_KEY, code)
        audit.append("installation.village", officer=officer.username, detail={"code": code})
    return chosen


def kind() -> str:
    """ "dinsos" for a Dinas Sosial installation, else "kelurahan"."""
    return settings.get(KIND_KEY) or "kelurahan"


def is_dinsos() -> bool:
    return kind() == "dinsos"


def dinsos_area() -> str | None:
    """The area a Dinsos installation serves: "31" (province) or a kota code such as "31.74"."""
    return settings.get(AREA_KEY) if is_dinsos() else None


def kota_codes() -> dict[str, str]:
    """Kota code -> kota name, for the Suku Dinas choice."""
    return {v.code[:5]: v.city for v in regions.villages()}


def area_label(area: str) -> str:
    if area == PROVINCE_CODE:
        return "Dinas Sosial Provinsi DKI Jakarta"
    return f"Suku Dinas Sosial {kota_codes().get(area, area)}"


def set_dinsos(kota: str | None, officer: Officer | None) -> str:
    """Make this installation a Dinas Sosial one (the province, or one kota's Suku Dinas):
    its kind and area are stored; the sync scope (app/services/sync/imports.scope) follows
    the area unless `bundle scope` set another.
    Returns the area code; audited."""
    officer = require(officer, "installation.configure")
    area = kota or PROVINCE_CODE
    if area != PROVINCE_CODE and area not in kota_codes():
        raise UserError(f"Kode kota {area} tidak dikenal")
    with database.atomic():
        settings.put(KIND_KEY, "dinsos")
        settings.put(AREA_KEY, area)
        audit.append("installation.dinsos", officer=officer.username, detail={"area": area})
    return area


def village(code: str) -> regions.Village | None:
    """The kelurahan with this code, or None."""
    return regions.village(code)


def current_village() -> regions.Village | None:
    code = village_code()
    return regions.village(code) if code else None


def villages() -> list[regions.Village]:
    return regions.villages()


def device_id() -> str:
    """This installation's id, made on first use."""
    with database.atomic():
        value = settings.get(DEVICE_KEY)
        if value is None:
            value = str(uuid.uuid4())
            settings.put(DEVICE_KEY, value)
    return value


def device_code() -> str:
    """Short device code used in registration numbers (8 hex digits of the device id)."""
    return device_id().replace("-", "")[:8].upper()


def idle_lock_minutes() -> float:
    """Minutes without input before the window locks (setting `idle_lock_minutes`, default 5)."""
    return float(settings.get(IDLE_LOCK_KEY) or DEFAULT_IDLE_LOCK_MINUTES)
