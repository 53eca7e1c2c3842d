"""The household list and its search (issue 16): which households, in which order, and their
rows a page at a time. Reading only; the list shows no more than the officer's role may see
of a household (masked NIK in the UI)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.core import musyawarah as words
from app.core.errors import UserError
from app.db import canonical, list_query, listing, received
from app.db.list_query import SEARCH_LIMIT as SEARCH_LIMIT
from app.db.list_query import SORT_KEYS as SORT_KEYS
from app.db.list_query import Listing as Listing
from app.db.list_query import ListQuery as ListQuery
from app.db.listing import HouseholdRow as HouseholdRow
from app.services import installation

DECIDED = (words.ELIGIBLE, words.NOT_POOR)
# The orders a Dinsos installation lists its whole area in (no kelurahan, no search): the one
# an index gives. Any other order of 640,000 households takes 5-27 s on the one database thread
# (saves wait behind it); within one kelurahan every order takes under 0.1 s.
WHOLE_AREA_SORTS = frozenset({list_query.DEFAULT_SORT})
WHOLE_AREA_REFUSAL = "Urutan ini hanya untuk satu kelurahan: pilih kelurahan dulu."


def whole_area_sort_refused(query: ListQuery) -> bool:
    """Whether `query` asks a Dinsos installation for its whole area in an order it refuses."""
    return (
        query.village is None
        and not query.text.strip()
        and query.sort not in WHOLE_AREA_SORTS
        and installation.is_dinsos()
    )


def find_households(query: ListQuery) -> Listing:
    """The ids of the households `query` asks for, in its order (a search: the first
    SEARCH_LIMIT found, and whether there were more)."""
    return list_query.find(query)


def list_households(query: ListQuery) -> Listing:
    """`find_households` for the list on screen: a Dinsos installation's whole area only in
    the orders of WHOLE_AREA_SORTS (else UserError), so that no click holds the database
    thread for half a minute. An export reads its households in any order."""
    if whole_area_sort_refused(query):
        raise UserError(WHOLE_AREA_REFUSAL)
    return find_households(query)


def household_rows(household_ids: Sequence[str]) -> list[HouseholdRow]:
    """The list rows of these households, in the order given."""
    return _flagged(listing.rows(household_ids))


def changed_after_decision(household_id: str) -> bool:
    """ "Diubah setelah musyawarah" (issue 17): app/services/musyawarah_lock.py says how."""
    return bool(_flagged(listing.rows([household_id]))[0].changed_after_decision)


def _flagged(rows: list[HouseholdRow]) -> list[HouseholdRow]:
    """The rows, a decided household whose data changed after its decision marked so (the data
    hash the meeting kept, locked here or received, against the data now), and one not yet
    decided whose latest musyawarah decision is *tunda* marked postponed (one query a page)."""
    decided = {r.id: received.decided_hash(r.id) for r in rows if r.status in DECIDED}
    docs = canonical.load_many([hid for hid, h in decided.items() if h])
    waiting = listing.postponed([r.id for r in rows if r.status in words.PROPOSABLE_STATUSES])
    return [
        replace(
            r,
            changed_after_decision=r.id in docs and words.data_hash(docs[r.id]) != decided[r.id],
            postponed=r.id in waiting,
        )
        if r.id in docs or r.id in waiting
        else r
        for r in rows
    ]


def places(village: str | None = None) -> list[tuple[int, int | None]]:
    """Every (RW, RT) that households of the list (of one kelurahan) have, for its filters."""
    return list_query.places(village)


def villages() -> list[tuple[str, str]]:
    """The kelurahan of a Dinsos installation's area as (code, "name, Kec. …, kota"), by name,
    for the list's kelurahan filter (issue 19); none on a kelurahan installation."""
    area = installation.dinsos_area()
    if area is None:
        return []
    found = sorted((v for v in installation.villages() if v.code.startswith(area)),
                   key=lambda v: (v.name, v.code))  # fmt: skip
    return [(v.code, v.label) for v in found]


def household_count() -> int:
    return listing.count()


def household_page(after: tuple[str, str] | None = None, limit: int = 200) -> list[HouseholdRow]:
    return _flagged(listing.page(after, limit))


def search_households(text: str, limit: int = SEARCH_LIMIT) -> list[HouseholdRow]:
    """The rows a search finds, newest change first (at most `limit`; negative: all)."""
    return _flagged(listing.search(text, limit))
