"""peewee models. The household document is rebuilt from these rows (app/db/households.py).

Tables are created by numbered migrations (app/db/migrations.py), not by `create_tables`,
so the models describe the current schema and the migrations say how each version got there.
"""

from __future__ import annotations

from typing import Any

import orjson
from peewee import (
    AutoField,
    BooleanField,
    CompositeKey,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from app.db.connection import database


class JsonField(TextField):
    """JSON stored as text (orjson); queryable with SQLite's json_extract."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else orjson.dumps(value).decode()

    def python_value(self, value: str | None) -> Any:
        return None if value is None else orjson.loads(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    name = TextField()
    applied_at = TextField()


class Setting(BaseModel):
    key = TextField(primary_key=True)
    value = TextField()


class Region(BaseModel):
    code = TextField(primary_key=True)
    level = TextField()  # province, city, district, village
    name = TextField()
    parent_code = TextField(null=True)


class Household(BaseModel):
    id = TextField(primary_key=True)  # UUIDv7
    no_kk = TextField(null=True, index=True)
    village_code = TextField()
    rw = IntegerField(null=True)
    rt = IntegerField(null=True)
    address = TextField(null=True)
    phone = TextField(null=True)
    dtks_id = TextField(null=True)  # schema v2 (issue 18)
    house_photo = BooleanField(default=False)  # schema v2: a photo of the house front exists
    housing = JsonField()
    assets = JsonField()
    musyawarah = JsonField()
    status = TextField()
    registration_number = TextField(null=True, unique=True)
    exclusions = JsonField()
    exclusion_overrides = JsonField()
    matching = JsonField(null=True)  # Dinsos's matching results (Dukcapil, Bapenda)
    dinsos_events = JsonField(default=list)  # Dinsos' news (issue 19, migration 19)
    withdrawal = JsonField(null=True)  # registration cancelled: reason, by, at, into (issue 14)
    duplicate_acceptances = JsonField()  # kept despite another's No. KK / NIK (issue 14)
    created_at = TextField()
    updated_at = TextField()
    rev = TextField(null=True)
    revs = JsonField()
    deleted = BooleanField(default=False)
    change_seq = IntegerField(default=0, index=True)  # local order of changes (sync export)


class Member(BaseModel):
    pk = AutoField()  # integer rowid: the FTS5 index points at it
    id = TextField(unique=True)  # member_id, UUIDv7
    household = ForeignKeyField(
        Household, backref="members", on_delete="CASCADE", column_name="household_id"
    )
    position = IntegerField()
    nik = TextField(null=True, index=True)
    name = TextField(null=True)
    sex = IntegerField(null=True)
    birth_place = TextField(null=True)
    birth_date = TextField(null=True)
    mother_name = TextField(null=True)  # schema v2 (issue 18): nama ibu kandung
    relationship = IntegerField(null=True)
    marital_status = IntegerField(null=True)
    school_participation = IntegerField(null=True)
    education_level = IntegerField(null=True)
    employment_position = IntegerField(null=True)
    occupation = TextField(null=True)  # schema v2: pekerjaan, free text
    public_post = TextField()
    permanent_employee = BooleanField()
    disability = TextField()
    chronic_illness = IntegerField(null=True)
    pregnant = BooleanField()
    dtks_id = TextField(null=True)  # schema v2: ID DTKS
    presence = TextField(null=True)  # schema v2: keberadaan (present, moved, deceased, new)


class Draft(BaseModel):
    """The household form as last typed, autosaved so a crash or power cut loses nothing."""

    household_id = TextField(primary_key=True)
    document = JsonField()
    updated_at = TextField()


class RegistrationCounter(BaseModel):
    village_code = TextField()
    device_code = TextField()
    last = IntegerField()

    class Meta:
        primary_key = CompositeKey("village_code", "device_code")


class PossibleDuplicate(BaseModel):
    """A household taken in from a bundle whose No. KK or NIK another household holds, for a
    supervisor to merge or keep (issue 14; app/db/duplicates.py)."""

    household_id = TextField()
    other_id = TextField(index=True)
    matched = JsonField()  # what the two share, masked: ["No. KK 3174********0001", ...]
    bundle_id = TextField()
    found_at = TextField()

    class Meta:
        primary_key = CompositeKey("household_id", "other_id")
