"""Synthetic Jakarta households for demos and benchmarks (CLI `demo`).

Deterministic: the same seed, count and day give the same documents, ids included. Ids are
UUIDv7 whose time part is the household's creation time and whose random part comes from the
seeded generator, so keys ascend in insertion order (index locality, DESIGN §9).

Realistic for a poor Jakarta neighbourhood: families of 1-8 (head, spouse, children, sometimes
a married child with spouse and grandchildren, or an elderly parent); ages, schooling and work
that fit together; NIKs that agree with birth date and sex and were issued in the household's
kecamatan, elsewhere in Jakarta or, for about one adult in seven, in another province. About 6%
of households carry one exclusion fact (DESIGN §4) so the demo exercises the rules.

Names and streets come from Faker's id_ID locale, drawn into pools once per seed and sampled
with the seeded random.Random: calling Faker per person would dominate the run time.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from faker import Faker

from app import rules, services
from app.db import audit, households
from app.db.connection import database
from app.db.models import RegistrationCounter
from app.db.registration import format_number
from app.document import Document, new_household, new_member
from app.paths import resource
from app.revisions import next_revision
from app.rules import nik as nik_rules

DEFAULT_VILLAGE = "31.74.01.1001"  # Kelurahan Tebet Timur, Kecamatan Tebet, Jakarta Selatan
JAKARTA = "31"
DRAFT_SHARE = 0.05  # households saved as draft (no registration number yet)
EXCLUSION_SHARE = 0.06  # households given one exclusion fact
MAX_MEMBERS = 8
MINUTES_APART = 3  # average time between two registrations at the counter
MALE, FEMALE = nik_rules.MALE, nik_rules.FEMALE
HEAD, SPOUSE, CHILD, CHILD_IN_LAW, GRANDCHILD, PARENT = 1, 2, 3, 4, 5, 6  # 409
NEVER, IN_SCHOOL, NO_LONGER = 1, 2, 3  # 412
OWNED = 1  # 301a: milik sendiri
BOTTLED_WATER = 1  # 306a: air kemasan bermerk
PLN_METERED = 1  # 307a: listrik PLN dengan meteran
PRIVATE_EMPLOYEE, CIVIL_SERVICE = 4, 5  # 418: karyawan swasta; PNS/TNI/Polri/BUMN/BUMD


def _bag(weights: dict[Any, int]) -> tuple:
    """Each value repeated by its integer weight: `rng.choice(bag)` is a fast weighted draw."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


# Questionnaire codes with frequencies plausible for households registering for FMOTM.
TENURE = _bag({1: 35, 2: 45, 3: 8, 6: 10, 5: 2})  # own, rent, rent-free, shared, other
FLOOR = _bag({2: 55, 4: 15, 6: 22, 5: 5, 3: 2, 8: 1})  # tiles, terrazzo, cement, wood, vinyl, earth
WALL = _bag({1: 85, 3: 9, 2: 4, 4: 2})  # brick, board/gypsum, plastered bamboo, woven bamboo
ROOF = _bag({2: 35, 3: 28, 4: 27, 1: 10})  # clay tile, zinc, asbestos, concrete
DRINKING_WATER = _bag({2: 62, 3: 20, 4: 14, 5: 4})  # refill, piped (PDAM), bore well, well
LIGHTING = _bag({1: 88, 2: 10, 3: 2})  # PLN metered, PLN via a neighbour, non-PLN
POWER_VA = _bag({450: 45, 900: 45, 1300: 9, 2200: 1})
COOKING_FUEL = _bag({4: 88, 2: 3, 7: 2, 1: 2, 12: 5})  # LPG 3 kg, 5.5 kg, kerosene, electric, none
TOILET = _bag({1: 58, 2: 18, 3: 14, 4: 10})  # own, shared, communal, public
SEWAGE = _bag({1: 72, 2: 3, 3: 15, 4: 10})  # septic tank, IPAL, river, pit
ASSET_ODDS = {
    "gas_cylinder_5kg": 0.08, "refrigerator": 0.45, "air_conditioner": 0.03,
    "water_heater": 0.01, "landline": 0.02, "television": 0.8, "gold_10g": 0.04,
    "computer": 0.06, "motorcycle": 0.45, "bicycle": 0.15, "car": 0.0, "boat": 0.002,
    "motorboat": 0.001, "smartphone": 0.78, "other_land": 0.02, "other_house": 0.01,
}  # fmt: skip
EDUCATION_ADULT = _bag({None: 6, 3: 28, 4: 2, 8: 24, 9: 2, 13: 20, 14: 2, 15: 10, 18: 3, 19: 3})
EDUCATION_OLDER = _bag({None: 18, 3: 45, 8: 17, 13: 12, 15: 3, 18: 2, 19: 3})  # 55 and over
WORK = _bag({None: 22, 1: 20, 2: 3, 4: 28, 7: 22, 8: 5})
WORK_HOMEMAKER = _bag({None: 55, 1: 20, 4: 10, 7: 10, 8: 5})  # wives: often a warung at home
WORK_ELDERLY = _bag({None: 70, 1: 15, 7: 10, 8: 5})  # 65 and over
ILLNESS_YOUNG = _bag({1: 98, 4: 2})  # under 30: asthma
ILLNESS_ADULT = _bag({1: 85, 2: 7, 6: 3, 4: 2, 5: 1, 13: 2})
ILLNESS_ELDERLY = _bag({1: 55, 2: 22, 6: 9, 5: 5, 3: 4, 8: 3, 13: 2})  # 60 and over
DISABILITY = _bag(
    {"none": 975, "physical": 10, "sensory": 6, "intellectual": 4, "mental": 3, "multiple": 2}
)
CHILDREN = _bag({0: 8, 1: 17, 2: 30, 3: 25, 4: 13, 5: 7})
EXCLUDING_POSTS = _bag({"pns": 4, "tni": 2, "polri": 2, "bumn": 2, "dprd": 1})
EXCLUSION_FACTS = _bag({"public_post": 35, "car": 25, "bottled_water": 25, "njop": 15})
MIGRANT_ORIGINS = _bag({"32": 30, "33": 28, "35": 12, "36": 10, None: 20})  # None: anywhere
PHONE_PREFIXES = (
    "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0856", "0857", "0858",
    "0877", "0878", "0838", "0831", "0881", "0882", "0895", "0896", "0897", "0898",
)  # fmt: skip


class _Role(NamedTuple):
    relationship: int
    sex: int
    age: int
    married: bool


@dataclass(frozen=True)
class _Regions:
    districts: dict[str, list[str]]  # province code -> its district codes ("32.01.01")
    places: dict[str, str]  # city code -> place of birth as written on a KTP ("Bogor")


@cache
def _regions() -> _Regions:
    districts: dict[str, list[str]] = defaultdict(list)
    places = {}
    with resource("regions", "indonesia_prov_city_district.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["level"] == "district":
                districts[row["code"][:2]].append(row["code"])
            elif row["level"] == "city":
                places[row["code"]] = row["name"].removeprefix("Kabupaten ").removeprefix("Kota ")
    return _Regions(dict(districts), places)


def _pool(draw: Callable[[], str], draws: int = 1000) -> list[str]:
    """Distinct values of a Faker draw, sorted so the pool does not depend on hash order."""
    return sorted({draw() for _ in range(draws)})


def _street_base(name: str) -> str:
    for prefix in ("Jl. ", "Jalan ", "Gg. ", "Gang "):
        name = name.removeprefix(prefix)
    return name


class _Pools:
    """Names, places and streets drawn once per seed from Faker's id_ID locale."""

    def __init__(self, seed: int):
        fake = Faker("id_ID")
        fake.seed_instance(seed)
        self.first = {MALE: _pool(fake.first_name_male), FEMALE: _pool(fake.first_name_female)}
        self.second = {MALE: _pool(fake.last_name_male), FEMALE: _pool(fake.last_name_female)}
        self.cities = [c for c in _pool(fake.city_name, 300) if "Jakarta" not in c]
        self.streets = _pool(lambda: _street_base(fake.street_name()), 600)


def _uuid7(millis: int, rng: random.Random) -> str:
    """A UUIDv7 (RFC 9562) for the given Unix time in ms, its random bits from `rng`."""
    rand_a, rand_b = rng.getrandbits(12), rng.getrandbits(62)
    h = f"{millis:012x}7{rand_a:03x}{(0b10 << 62) | rand_b:016x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Generator:
    def __init__(self, seed: int, village_code: str, today: dt.date):
        self.rng = random.Random(seed)
        self.pools = _Pools(seed)
        self.regions = _regions()
        self.village_code = village_code
        self.district = village_code[:8]
        self.today = today
        self.serials: Counter[Any] = Counter()  # NIK / No. KK prefix -> last serial used
        self.rw_streets = {  # a few streets per RW, as in a real neighbourhood
            rw: self.rng.sample(self.pools.streets, 3) for rw in range(1, 16)
        }

    # --- family -------------------------------------------------------------------------------

    def family(self) -> list[_Role]:
        """Who lives in the household: head first, then spouse, children, in-laws, others."""
        rng = self.rng
        head_sex = MALE if rng.random() < 0.8 else FEMALE
        head_age = int(rng.triangular(21, 86, 40))
        has_wife = head_sex == MALE and rng.random() < 0.85
        roles = [_Role(HEAD, head_sex, head_age, has_wife)]
        parent_age = head_age
        if has_wife:
            wife_age = max(18, head_age + rng.randint(-10, 2))
            roles.append(_Role(SPOUSE, FEMALE, wife_age, True))
            parent_age = min(head_age, wife_age)
        roles += self._children(CHILD, parent_age, rng.choice(CHILDREN))
        married = [r for r in roles if r.relationship == CHILD and r.married]
        if married:
            roles += self._young_couple(married[0])
        elif head_age >= 50 and rng.random() < 0.08:  # a grandchild left with the grandparents
            roles.append(_Role(GRANDCHILD, rng.choice((MALE, FEMALE)), rng.randint(0, 12), False))
        if head_age <= 55 and rng.random() < 0.08:
            age = min(95, head_age + rng.randint(20, 32))
            sex = FEMALE if rng.random() < 0.7 else MALE
            roles.append(_Role(PARENT, sex, age, rng.random() < 0.2))
        return roles[:MAX_MEMBERS]

    def _children(self, relationship: int, parent_age: int, count: int) -> list[_Role]:
        """Up to `count` children born one to six years apart while the younger parent was
        19 to 44; those over 40 have moved out."""
        rng = self.rng
        parent_at_birth = rng.randint(19, 32)
        children = []
        for _ in range(count):
            age = parent_age - parent_at_birth
            if age < 0 or parent_at_birth > 44:
                break
            if age <= 40:
                married = relationship == CHILD and age >= 22 and rng.random() < 0.25
                children.append(_Role(relationship, rng.choice((MALE, FEMALE)), age, married))
            parent_at_birth += rng.randint(1, 6)
        return children

    def _young_couple(self, child: _Role) -> list[_Role]:
        """A married child's spouse and their children, living with the parents."""
        rng = self.rng
        in_law_age = max(18, child.age + rng.randint(-4, 4))
        in_law = _Role(CHILD_IN_LAW, FEMALE if child.sex == MALE else MALE, in_law_age, True)
        grandchildren = self._children(
            GRANDCHILD, min(child.age, in_law_age), rng.choice((0, 1, 1, 2))
        )
        return [in_law, *grandchildren]

    # --- members ------------------------------------------------------------------------------

    def member(self, role: _Role, household_millis: int, position: int) -> Document:
        rng = self.rng
        born = self.today - dt.timedelta(days=int((role.age + rng.random()) * 365.2425))
        district = self._nik_district(role.age)
        schooling, education = self._schooling(role.age)
        illnesses = (
            ILLNESS_YOUNG if role.age < 30 else ILLNESS_ADULT if role.age < 60 else ILLNESS_ELDERLY
        )
        expecting = role.sex == FEMALE and role.married and 18 <= role.age <= 42
        return new_member(
            member_id=_uuid7(household_millis + 1 + position, rng),
            nik=self._nik(district, born, role.sex),
            name=self._name(role.sex),
            sex=role.sex,
            birth_place=self._birth_place(district, role.age),
            birth_date=born.isoformat(),
            relationship=role.relationship,
            marital_status=self._marital_status(role),
            school_participation=schooling,
            education_level=education,
            employment_position=self._work(role, schooling == IN_SCHOOL),
            disability=rng.choice(DISABILITY),
            chronic_illness=rng.choice(illnesses),
            pregnant=expecting and rng.random() < 0.06,
        )

    def _name(self, sex: int) -> str:
        first = self.rng.choice(self.pools.first[sex])
        if self.rng.random() < 0.4:
            return first
        return f"{first} {self.rng.choice(self.pools.second[sex])}"

    def _nik_district(self, age: int) -> str:
        """Where the NIK was issued: children here; adults mostly here, some elsewhere in
        Jakarta, and one in seven in another province (they came to Jakarta as adults)."""
        rng = self.rng
        draw = rng.random()
        if age < 17 or draw < 0.7:
            return self.district
        if draw < 0.85:
            return rng.choice(self.regions.districts[JAKARTA])
        province = rng.choice(MIGRANT_ORIGINS) or rng.choice(
            [p for p in sorted(self.regions.districts) if p != JAKARTA]
        )
        return rng.choice(self.regions.districts[province])

    def _nik(self, district: str, born: dt.date, sex: int) -> str:
        """A NIK unique in this run: the serial counts up per region, birth date and sex (ages
        stay under 96, so no two birth dates here share the NIK's two-digit year)."""
        key = (district, born, sex)
        self.serials[key] += 1
        return nik_rules.build(district, born, sex, self.serials[key])

    def _birth_place(self, district: str, age: int) -> str:
        if not district.startswith(JAKARTA):
            return self.regions.places[district[:5]]
        if age >= 17 and self.rng.random() < 0.15:
            return self.rng.choice(self.pools.cities)
        return "Jakarta"

    def _marital_status(self, role: _Role) -> int:
        """408: 1 belum kawin, 2 kawin, 3 cerai hidup, 4 cerai mati."""
        rng = self.rng
        if role.married:
            return 2
        if role.relationship == HEAD and role.age >= 30:
            return 4 if rng.random() < 0.6 else 3
        if role.relationship == PARENT:
            return 4
        return 3 if role.age >= 25 and rng.random() < 0.1 else 1

    def _schooling(self, age: int) -> tuple[int, int | None]:
        """412 school participation and 413 level (the current one, or the last attended)."""
        rng = self.rng
        if age < 7:
            return (IN_SCHOOL if age >= 5 and rng.random() < 0.5 else NEVER), None
        for upto, levels, enrolled, left_after in (
            (12, (3, 3, 3, 4), 0.97, 3),  # SD / MI
            (15, (8, 8, 8, 9), 0.92, 3),  # SMP / MTs; those not enrolled left after SD
            (18, (13, 13, 15, 15, 14), 0.75, 8),  # SMA / SMK / MA
        ):
            if age <= upto:
                if rng.random() < enrolled:
                    return IN_SCHOOL, rng.choice(levels)
                return NO_LONGER, left_after
        if age <= 24 and rng.random() < 0.12:
            return IN_SCHOOL, rng.choice((18, 19, 19))  # D3 / S1
        level = rng.choice(EDUCATION_OLDER if age >= 55 else EDUCATION_ADULT)
        return (NEVER, None) if level is None else (NO_LONGER, level)

    def _work(self, role: _Role, in_school: bool) -> int | None:
        """418 position at work; None when not working."""
        if role.age < 15 or in_school:
            return None
        if role.age >= 65:
            return self.rng.choice(WORK_ELDERLY)
        if role.sex == FEMALE and role.relationship in (SPOUSE, CHILD_IN_LAW):
            return self.rng.choice(WORK_HOMEMAKER)
        return self.rng.choice(WORK)

    # --- household ----------------------------------------------------------------------------

    def household(self, created: dt.datetime) -> Document:
        rng = self.rng
        millis = int(created.timestamp() * 1000)
        members = [self.member(role, millis, i) for i, role in enumerate(self.family())]
        if rng.random() < 0.01:  # a contract BUMN or a BUMD employee: not excluded
            self._give_public_post(members, rng.choice(("bumn", "bumd")), permanent=False)
        rw = rng.randint(1, 15)
        housing = self._housing()
        doc = new_household(
            self.village_code,
            household_id=_uuid7(millis, rng),
            no_kk=self._no_kk(members),
            rw=rw,
            rt=rng.randint(1, 20),
            address=self._address(rw),
            phone=self._phone(),
            housing=housing,
            assets=self._assets(owner=housing["tenure"] == OWNED),
            members=members,
            created_at=_iso(created),
            updated_at=_iso(created),
        )
        if rng.random() < EXCLUSION_SHARE:
            self._add_exclusion_fact(doc)
        return doc

    def _no_kk(self, members: list[Document]) -> str:
        """Kecamatan code, issue date DDMMYY (after the youngest member's birth, within the
        last 15 years) and a serial."""
        youngest = max(dt.date.fromisoformat(m["birth_date"]) for m in members)
        earliest = max(youngest, self.today - dt.timedelta(days=15 * 365))
        issued = earliest + dt.timedelta(days=self.rng.randrange((self.today - earliest).days + 1))
        prefix = self.district.replace(".", "") + f"{issued:%d%m%y}"
        self.serials[prefix] += 1
        return f"{prefix}{self.serials[prefix]:04d}"

    def _address(self, rw: int) -> str:
        rng = self.rng
        address = f"Jl. {rng.choice(self.rw_streets[rw])} No. {rng.randint(1, 150)}"
        if rng.random() < 0.45:
            address += f", Gg. {rng.choice(self.pools.streets)}"
        return address

    def _phone(self) -> str | None:
        rng = self.rng
        if rng.random() < 0.08:
            return None
        digits = rng.randint(7, 8)
        return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**digits):0{digits}d}"

    def _housing(self) -> Document:
        rng = self.rng
        lighting = rng.choice(LIGHTING)
        return {
            "tenure": rng.choice(TENURE),
            "floor_area_m2": int(rng.triangular(8, 90, 24)),
            "floor": rng.choice(FLOOR),
            "wall": rng.choice(WALL),
            "roof": rng.choice(ROOF),
            "drinking_water": rng.choice(DRINKING_WATER),
            "lighting": lighting,
            "power_va": [rng.choice(POWER_VA)] if lighting == PLN_METERED else [],
            "cooking_fuel": rng.choice(COOKING_FUEL),
            "toilet": rng.choice(TOILET),
            "sewage": rng.choice(SEWAGE),
        }

    def _assets(self, owner: bool) -> Document:
        rng = self.rng
        assets: Document = {key: rng.random() < odds for key, odds in ASSET_ODDS.items()}
        known = owner and rng.random() < 0.75  # an owner who knows the house's NJOP
        assets["land_building_njop_idr"] = rng.randint(60, 950) * 1_000_000 if known else None
        return assets

    def _add_exclusion_fact(self, doc: Document) -> None:
        fact = self.rng.choice(EXCLUSION_FACTS)
        if fact == "car":
            doc["assets"]["car"] = True
        elif fact == "bottled_water":
            doc["housing"]["drinking_water"] = BOTTLED_WATER
        elif fact == "njop":
            doc["housing"]["tenure"] = OWNED
            doc["assets"]["land_building_njop_idr"] = self.rng.randint(1_001, 2_500) * 1_000_000
        else:
            self._give_public_post(doc["members"], self.rng.choice(EXCLUDING_POSTS), True)

    def _give_public_post(self, members: list[Document], post: str, permanent: bool) -> None:
        """Give the post to a working-age adult not in school, if the household has one."""
        adults = [
            m
            for m in members
            if 21 <= (self.today - dt.date.fromisoformat(m["birth_date"])).days / 365.25 < 58
            and m["school_participation"] != IN_SCHOOL
        ]
        if adults:
            self.rng.choice(adults).update(
                public_post=post,
                permanent_employee=permanent,
                employment_position=CIVIL_SERVICE if permanent else PRIVATE_EMPLOYEE,
            )

    def draft(self, doc: Document) -> None:
        """Saved as draft before the house section was reached (the form's order: KK,
        members, house, assets): no housing or assets yet, no registration number."""
        empty = new_household(self.village_code)
        doc.update(status="draft", housing=empty["housing"], assets=empty["assets"])


def _exclusions(doc: Document, today: dt.date) -> list[str]:
    """Contract ids of the exclusion criteria that apply (DESIGN §4), as a final save sets them."""
    return rules.evaluate(doc, today=today).exclusions


def generate(
    count: int, seed: int, village_code: str, today: dt.date | None = None
) -> Iterator[Document]:
    """`count` household documents as the app saves them: about 95% final (registered, or
    excluded with the criteria that apply), the rest drafts; registered one every few minutes
    until `today`, oldest first. Registration numbers and revisions are left to `load_demo`."""
    today = today or dt.date.today()
    gen = _Generator(seed, village_code, today)
    start = dt.datetime.combine(today, dt.time(), dt.UTC) - dt.timedelta(
        minutes=MINUTES_APART * count
    )
    for index in range(count):
        jitter = dt.timedelta(seconds=gen.rng.randrange(MINUTES_APART * 60 - 10))
        doc = gen.household(start + dt.timedelta(minutes=MINUTES_APART * index) + jitter)
        if gen.rng.random() < DRAFT_SHARE:
            gen.draft(doc)
        else:
            doc["exclusions"] = _exclusions(doc, today)
            doc["status"] = "excluded" if doc["exclusions"] else "registered"
        yield doc


# --- loading into the open store ------------------------------------------------------------


def _last_number(village_code: str, device_code: str) -> int:
    counter = RegistrationCounter.get_or_none(village_code=village_code, device_code=device_code)
    return counter.last if counter else 0


def _set_last_number(village_code: str, device_code: str, last: int) -> None:
    RegistrationCounter.insert(
        village_code=village_code, device_code=device_code, last=last
    ).on_conflict_replace().execute()


def _refuse_repeat(first: Document) -> None:
    """The same seed, count and day give the same ids: say so rather than fail on a key."""
    if households.exists(first["household_id"]):
        raise services.ServiceError(
            "Data demo dengan seed dan jumlah ini sudah dimuat hari ini; gunakan seed lain."
        )


def _as_saved(
    docs: Iterable[Document], village_code: str, device_code: str, tally: Counter[str]
) -> Iterator[Document]:
    """The documents as a save leaves them: final ones numbered after this device's last
    number, each with its first revision. Counts statuses, members and numbers in `tally`."""
    sequence = _last_number(village_code, device_code)
    for index, doc in enumerate(docs):
        if index == 0:
            _refuse_repeat(doc)
        if doc["status"] != "draft":
            sequence += 1
            doc["registration_number"] = format_number(village_code, device_code, sequence)
            tally["last_number"] = sequence
        tally["households"] += 1
        tally["members"] += len(doc["members"])
        tally[doc["status"]] += 1
        yield next_revision(doc)


def load_demo(count: int, seed: int) -> dict:
    """Add `count` demo households to the open store in one transaction, streaming (memory
    stays bounded), choosing a kelurahan when none is set; the registration counter then
    continues after the demo's last number, and one audit entry records the load. Returns a
    summary."""
    started = time.perf_counter()
    if services.village_code() is None:
        services.set_village(DEFAULT_VILLAGE)
    village = services.village_code()
    device = services.device_code()
    tally: Counter[str] = Counter()
    with database.atomic():
        households.insert_many(_as_saved(generate(count, seed, village), village, device, tally))
        if tally["last_number"]:
            _set_last_number(village, device, tally["last_number"])
        audit.append("demo.load", detail={"seed": seed, "households": tally["households"]})
    return {
        "village_code": village,
        "households": tally["households"],
        "members": tally["members"],
        "registered": tally["registered"],
        "excluded": tally["excluded"],
        "drafts": tally["draft"],
        "seconds": round(time.perf_counter() - started, 2),
    }
