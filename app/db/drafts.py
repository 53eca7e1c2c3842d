"""Autosaved household forms: the form as last typed, kept until it is saved or discarded."""

from __future__ import annotations

from app.core.document import Document, now_iso
from app.core.upgrade import upgrade
from app.db.models import Draft


def put(doc: Document) -> None:
    Draft.insert(
        household_id=doc["household_id"], document=doc, updated_at=now_iso()
    ).on_conflict_replace().execute()


def get(household_id: str) -> Document | None:
    row = Draft.get_or_none(Draft.household_id == household_id)
    return None if row is None else upgrade(row.document)  # a draft typed before schema v2


def all_drafts() -> list[Document]:
    return [upgrade(row.document) for row in Draft.select().order_by(Draft.updated_at.desc())]


def discard(household_id: str) -> None:
    Draft.delete().where(Draft.household_id == household_id).execute()
