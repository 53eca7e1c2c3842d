"""Synthetic Jakarta households for demos and benchmarks (CLI `demo`).

Content is deterministic for a seed (Faker id_ID name pools sampled with one random.Random);
ids are time-ordered UUIDv7 made from the clock, so loading the same seed twice adds new
households rather than clashing. NIKs agree with each member's birth date, sex and a real
region (about 10% migrants keep a NIK from elsewhere in Indonesia).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator

from faker import Faker

from app import rules, services
from app.db import households
from app.db.connection import database
from app.db.models import RegistrationCounter
from app.db.registration import format_number
from app.document import Document, new_household, new_member
from app.paths import resource
from app.revisions import next_revision
from app.rules import nik as nik_rules

DEFAULT_VILLAGE = "31.74.01.1001"  # Tebet Timur, Jakarta Selatan
MIGRANT_SHARE = 0.10
DRAFT_SHARE = 0.05
CHUNK = 2_000


class _Pools:
    """Names and streets drawn once per seed from Faker's id_ID locale."""

    def __init__(self, seed: int):
        fake = Faker("id_ID")
        fake.seed_instance(seed)
        self.male = sorted({fake.first_name_male() for _ in range(600)})
        self.female = sorted({fake.first_name_female() for _ in range(600)})
        self.last = sorted({fake.last_name() for _ in range(600)})
        self.streets = sorted({fake.street_name() for _ in range(300)})
        self.places = ["Jakarta"] * 12 + sorted({fake.city_name() for _ in range(80)})


def _districts_outside_jakarta() -> list[str]:
    with resource("regions", "indonesia_prov_city_district.csv").open(encoding="utf-8") as f:
        return [
            r["code"]
            for r in csv.DictReader(f)
            if r["level"] == "district" and not r["code"].startswith("31.")
        ]


def _uuid7(rng: random.Random, millis: int) -> str:
    value = (
        (millis << 80)
        | (0x7 << 76)
        | (rng.getrandbits(12) << 64)
        | (0b10 << 62)
        | rng.getrandbits(62)
    )
    return str(uuid.UUID(int=value))


class _Generator:
    def __init__(self, seed: int, village_code: str, today: dt.date):
        self.rng = random.Random(seed)
        self.pools = _Pools(seed)
        self.village_code = village_code
        self.district = village_code[:8]
        self.today = today
        self.outside = _districts_outside_jakarta()
        self.serials: Counter[str] = Counter()
        self.clock = int(time.time() * 1000)

    def _id(self) -> str:
        self.clock += 1
        return _uuid7(self.rng, self.clock)

    def _serial(self, key: str) -> int:
        self.serials[key] += 1
        return self.serials[key]

    def _birth(self, age: int) -> dt.date:
        year = self.today.year - age - 1
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def _nik(self, birth: dt.date, sex: int, migrant: bool) -> str:
        district = self.rng.choice(self.outside) if migrant else self.district
        prefix = nik_rules.build(district, birth, sex, 1)[:12]
        return prefix + f"{self._serial(prefix):04d}"

    def _member(self, relationship: int, sex: int, age: int, last_name: str) -> Document:
        rng = self.rng
        birth = self._birth(age)
        first = rng.choice(self.pools.male if sex == 1 else self.pools.female)
        member = new_member(
            member_id=self._id(),
            nik=self._nik(birth, sex, rng.random() < MIGRANT_SHARE),
            name=f"{first} {last_name}" if rng.random() < 0.7 else first,
            sex=sex,
            birth_place=rng.choice(self.pools.places),
            birth_date=birth.isoformat(),
            relationship=relationship,
            marital_status=2
            if relationship in (1, 2)
            else (1 if age < 20 else rng.choice((1, 2, 3, 4))),
            chronic_illness=rng.choices((1, 2, 6, 5, 4), (80, 9, 5, 3, 3))[0] if age >= 15 else 1,
            disability=rng.choices(
                ("none", "physical", "sensory", "intellectual", "mental"), (95, 2, 1, 1, 1)
            )[0],
            pregnant=sex == 2
            and relationship in (1, 2)
            and 20 <= age <= 40
            and rng.random() < 0.06,
        )
        member.update(self._schooling(age))
        if age >= 18:
            member["employment_position"] = rng.choices(
                (1, 4, 6, 7, 8, None), (20, 35, 2, 25, 8, 10)
            )[0]
        return member

    def _schooling(self, age: int) -> dict:
        rng = self.rng
        if age < 7:
            return {
                "school_participation": 1 if age < 5 else rng.choice((1, 2)),
                "education_level": None,
            }
        for upto, level in ((12, 3), (15, 8), (18, rng.choice((13, 15)))):
            if age <= upto:
                return {"school_participation": 2, "education_level": level}
        if age <= 22 and rng.random() < 0.15:
            return {"school_participation": 2, "education_level": 19}
        level = rng.choices((3, 8, 13, 15, 18, 19, None), (25, 25, 25, 10, 3, 4, 8))[0]
        return {"school_participation": 3 if level else 1, "education_level": level}

    def _members(self) -> list[Document]:
        rng = self.rng
        last = rng.choice(self.pools.last)
        head_sex = 1 if rng.random() < 0.78 else 2
        head_age = rng.randint(24, 78)
        members = [self._member(1, head_sex, head_age, last)]
        if head_sex == 1 and rng.random() < 0.82:
            members.append(self._member(2, 2, max(19, head_age + rng.randint(-8, 3)), last))
        for _ in range(rng.choices((0, 1, 2, 3, 4), (12, 22, 32, 22, 12))[0]):
            child_age = rng.randint(0, max(0, min(head_age - 19, 30)))
            members.append(self._member(3, rng.choice((1, 2)), child_age, last))
        if head_age < 50 and rng.random() < 0.08:
            members.append(
                self._member(6, rng.choice((1, 2)), head_age + rng.randint(22, 30), last)
            )
        if head_age > 55 and rng.random() < 0.15:
            members.append(self._member(5, rng.choice((1, 2)), rng.randint(0, 10), last))
        return members

    def _housing(self) -> Document:
        rng = self.rng
        lighting = rng.choices((1, 2, 3), (92, 6, 2))[0]
        return {
            "tenure": rng.choices((1, 2, 3, 6), (35, 45, 10, 10))[0],
            "floor_area_m2": rng.randint(9, 72),
            "floor": rng.choices((2, 4, 6, 5), (55, 20, 20, 5))[0],
            "wall": rng.choices((1, 3, 2), (85, 10, 5))[0],
            "roof": rng.choices((2, 3, 4, 1), (35, 30, 25, 10))[0],
            "drinking_water": rng.choices((2, 3, 4, 1), (60, 25, 12, 3))[0],
            "lighting": lighting,
            "power_va": [rng.choices((450, 900, 1300), (40, 50, 10))[0]] if lighting == 1 else [],
            "cooking_fuel": rng.choices((4, 2, 7, 12), (85, 5, 3, 7))[0],
            "toilet": rng.choices((1, 2, 3, 4), (60, 20, 12, 8))[0],
            "sewage": rng.choices((1, 2, 3, 4), (70, 5, 15, 10))[0],
        }

    def _assets(self) -> Document:
        rng = self.rng
        odds = {"television": 0.8, "smartphone": 0.75, "motorcycle": 0.5, "refrigerator": 0.4,
                "gas_cylinder_5kg": 0.1, "bicycle": 0.15, "computer": 0.08, "gold_10g": 0.05,
                "air_conditioner": 0.03, "car": 0.02}  # fmt: skip
        assets = {
            key: rng.random() < odds.get(key, 0.01)
            for key in new_household("31.74.01.1001")["assets"]
        }
        owner = rng.random() < 0.35
        assets["land_building_njop_idr"] = (
            rng.choice((rng.randint(80, 900) * 1_000_000, rng.randint(1_001, 1_800) * 1_000_000))
            if owner and rng.random() < 0.05
            else (rng.randint(60, 900) * 1_000_000 if owner else None)
        )
        return assets

    def household(self, index: int) -> Document:
        rng = self.rng
        members = self._members()
        if rng.random() < 0.02:  # a permanent civil servant in the family: excluded
            members[0].update(public_post="pns", permanent_employee=True, employment_position=5)
        issued = self._birth(rng.randint(0, 15))
        kk_prefix = self.district.replace(".", "") + f"{issued:%d%m%y}"
        stamp = dt.datetime.combine(self.today, dt.time(8), dt.UTC) - dt.timedelta(
            minutes=index * 3 + rng.randrange(3)
        )
        iso = stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        street = rng.choice(self.pools.streets).removeprefix("Jl. ").removeprefix("Jalan ")
        street = street.removeprefix("Gg. ").removeprefix("Gang ")
        return new_household(
            self.village_code,
            household_id=self._id(),
            no_kk=kk_prefix + f"{self._serial(kk_prefix):04d}",
            rw=rng.randint(1, 15),
            rt=rng.randint(1, 20),
            address=f"Jl. {street} No. {rng.randint(1, 120)}"
            + (f", Gg. {rng.randint(1, 12)}" if rng.random() < 0.4 else ""),
            phone="08" + "".join(str(rng.randrange(10)) for _ in range(rng.randint(9, 11))),
            housing=self._housing(),
            assets=self._assets(),
            members=members,
            created_at=iso,
            updated_at=iso,
        )


def generate(
    count: int, seed: int, village_code: str, today: dt.date | None = None
) -> Iterator[Document]:
    """`count` household documents as saved by the app: mostly final (registered or excluded),
    some drafts. Registration numbers are left to `load_demo`."""
    gen = _Generator(seed, village_code, today or dt.date.today())
    for index in range(count):
        doc = gen.household(index)
        if gen.rng.random() < DRAFT_SHARE:
            doc["status"] = "draft"
        else:
            doc["exclusions"] = rules.evaluate(doc, today=gen.today).exclusions
            doc["status"] = "excluded" if doc["exclusions"] else "registered"
        yield doc


def _set_counter(village_code: str, device_code: str, last: int) -> None:
    RegistrationCounter.insert(
        village_code=village_code, device_code=device_code, last=last
    ).on_conflict_replace().execute()


def load_demo(count: int, seed: int) -> dict:
    """Add `count` demo households to the open store (choosing a kelurahan when none is set)."""
    started = time.perf_counter()
    if services.village_code() is None:
        services.set_village(DEFAULT_VILLAGE)
    village = services.village_code()
    device = services.device_code()
    counter = RegistrationCounter.get_or_none(village_code=village, device_code=device)
    sequence = (counter.last if counter else 0) + 1
    statuses: Counter[str] = Counter()
    members = 0

    def numbered() -> Iterator[Document]:
        nonlocal sequence, members
        for doc in generate(count, seed, village):
            if doc["status"] != "draft":
                doc["registration_number"] = format_number(village, device, sequence)
                sequence += 1
            statuses[doc["status"]] += 1
            members += len(doc["members"])
            yield next_revision(doc)

    with database.atomic():
        households.insert_many(numbered())
        _set_counter(village, device, sequence - 1)
    return {
        "village_code": village,
        "households": count,
        "members": members,
        "registered": statuses["registered"],
        "excluded": statuses["excluded"],
        "drafts": statuses["draft"],
        "seconds": round(time.perf_counter() - started, 2),
    }
