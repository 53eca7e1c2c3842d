"""Settings of this installation (its kelurahan, its device id, ...), as key/value rows."""

from __future__ import annotations

from app.db.models import Setting


def get(key: str, default: str | None = None) -> str | None:
    row = Setting.get_or_none(Setting.key == key)
    return default if row is None else row.value


def put(key: str, value: str) -> None:
    Setting.insert(key=key, value=value).on_conflict_replace().execute()
