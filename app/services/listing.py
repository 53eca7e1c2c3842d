"""The household list and its search (issue 16): which households, in which order, and their
rows a page at a time. Reading only; the list shows no more than the officer's role may see
of a household (masked NIK in the UI)."""

from __future__ import annotations

from collections.abc import Sequence

from app.db import list_query, listing
from app.db.list_query import SEARCH_LIMIT as SEARCH_LIMIT
from app.db.list_query import SORT_KEYS as SORT_KEYS
from app.db.list_query import Listing as Listing
from app.db.list_query import ListQuery as ListQuery
from app.db.listing import HouseholdRow as HouseholdRow


def find_households(query: ListQuery) -> Listing:
    """The ids of the households the list shows for `query`, in its order (a search: the
    first SEARCH_LIMIT found, and whether there were more)."""
    return list_query.find(query)


def household_rows(household_ids: Sequence[str]) -> list[HouseholdRow]:
    """The list rows of these households, in the order given."""
    return listing.rows(household_ids)


def places() -> list[tuple[int, int | None]]:
    """Every (RW, RT) that households of the list have, for its filters."""
    return list_query.places()


def household_count() -> int:
    return listing.count()


def household_page(after: tuple[str, str] | None = None, limit: int = 200) -> list[HouseholdRow]:
    return listing.page(after, limit)


def search_households(text: str, limit: int = SEARCH_LIMIT) -> list[HouseholdRow]:
    """The rows a search finds, newest change first (at most `limit`; negative: all)."""
    return listing.search(text, limit)
