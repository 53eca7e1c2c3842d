"""A household's pemadanan result (what Bapenda and Dukcapil said, DESIGN §11: Dinsos-owned) as
a document change: one household (`households.record_matching`, `household match ID`) or a
whole result file (`pemadanan.apply`) build it here, so both record the same thing."""

from __future__ import annotations

from collections.abc import Sequence

from app.core import document
from app.core.document import Document
from app.core.errors import UserError
from app.services import checks


def with_matching(
    doc: Document,
    source: str,
    *,
    car: bool | None,
    njop_idr: int | None,
    nik_not_found: Sequence[str],
    status: str,
) -> Document:
    """The household with this matching recorded (by `source`, the officer's name), its status
    and the exclusions that follow from it (the rules: a car or an NJOP above Rp 1 miliar per
    Bapenda excludes): a new document, `doc` is left as it is."""
    unknown = [n for n in nik_not_found if n not in {m["nik"] for m in doc["members"]}]
    if unknown:
        raise UserError(f"{len(unknown)} NIK bukan anggota keluarga ini (tidak ada yang dicatat).")
    matching = {
        "checked_at": document.now_iso(),
        "source": source,
        "car_per_bapenda": car,
        "njop_per_bapenda_idr": njop_idr,
        "nik_not_found": sorted(set(nik_not_found)),
    }
    doc = {**doc, "matching": matching, "status": status}
    doc["exclusions"] = checks.evaluate(doc).exclusions
    return doc
