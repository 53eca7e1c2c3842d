"""The household list and its search (issue 16): which households, in which order, and their
rows a page at a time. Reading only; the list shows no more than the officer's role may see
of a household (masked NIK in the UI)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.core import musyawarah as words
from app.db import households, list_query, listing, received
from app.db.list_query import SEARCH_LIMIT as SEARCH_LIMIT
from app.db.list_query import SORT_KEYS as SORT_KEYS
from app.db.list_query import Listing as Listing
from app.db.list_query import ListQuery as ListQuery
from app.db.listing import HouseholdRow as HouseholdRow

DECIDED = (words.ELIGIBLE, words.NOT_POOR)


def find_households(query: ListQuery) -> Listing:
    """The ids of the households the list shows for `query`, in its order (a search: the
    first SEARCH_LIMIT found, and whether there were more)."""
    return list_query.find(query)


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
    docs = households.load_many([hid for hid, h in decided.items() if h])
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


def places() -> list[tuple[int, int | None]]:
    """Every (RW, RT) that households of the list have, for its filters."""
    return list_query.places()


def household_count() -> int:
    return listing.count()


def household_page(after: tuple[str, str] | None = None, limit: int = 200) -> list[HouseholdRow]:
    return _flagged(listing.page(after, limit))


def search_households(text: str, limit: int = SEARCH_LIMIT) -> list[HouseholdRow]:
    """The rows a search finds, newest change first (at most `limit`; negative: all)."""
    return _flagged(listing.search(text, limit))
