"""One synthetic household at a time: family, ages, schooling, work, NIKs, house and assets
(the generator behind app/services/demo.py)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from app.core.document import Document, new_household, new_member
from app.demo.tables import (
    ASSET_ODDS,
    BOTTLED_WATER,
    CHILD,
    CHILD_IN_LAW,
    CHILDREN,
    CIVIL_SERVICE,
    COOKING_FUEL,
    DISABILITY,
    DRINKING_WATER,
    EDUCATION_ADULT,
    EDUCATION_OLDER,
    EXCLUDING_POSTS,
    EXCLUSION_FACTS,
    EXCLUSION_SHARE,
    FEMALE,
    FLOOR,
    GRANDCHILD,
    HEAD,
    ILLNESS_ADULT,
    ILLNESS_ELDERLY,
    ILLNESS_YOUNG,
    IN_SCHOOL,
    JAKARTA,
    LIGHTING,
    MALE,
    MAX_MEMBERS,
    MIGRANT_ORIGINS,
    NEVER,
    NO_LONGER,
    OWNED,
    PARENT,
    PHONE_PREFIXES,
    PLN_METERED,
    POWER_VA,
    PRIVATE_EMPLOYEE,
    ROOF,
    SEWAGE,
    SPOUSE,
    TENURE,
    TOILET,
    WALL,
    WORK,
    WORK_ELDERLY,
    WORK_HOMEMAKER,
    _iso,
    _Pools,
    _regions,
    _Role,
    _Serials,
    _uuid7,
)
from app.rules import nik as nik_rules


class HouseholdGenerator:
    def __init__(self, seed: int, village_code: str, today: dt.date):
        self.rng = random.Random(seed)
        self.pools = _Pools(seed)
        self.regions = _regions()
        self.village_code = village_code
        self.district = village_code[:8]
        self.today = today
        self.serials: Counter[Any] = Counter()  # NIK / No. KK prefix -> serials used
        self.plan = _Serials(village_code)  # which serials are this kelurahan's
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
        nik = self._nik(district, born, role.sex)
        return new_member(
            member_id=_uuid7(household_millis + 1 + position, rng),
            nik=nik,
            name=self._name(role.sex),
            sex=role.sex,
            birth_place=self._birth_place(district, role.age),
            birth_date=born.isoformat(),
            mother_name=self._mother_name(nik),
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

    def _mother_name(self, nik: str) -> str:
        """Nama ibu kandung (schema v2), drawn from its own generator seeded with the NIK, so
        the rest of the demo data stays what the same seed made before it had mothers."""
        own = random.Random(nik)
        first = own.choice(self.pools.first[FEMALE])
        return first if own.random() < 0.5 else f"{first} {own.choice(self.pools.second[FEMALE])}"

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
        """A NIK unique in this run and among all kelurahan (tables._Serials): the serial
        counts per region, birth date and sex (ages stay under 96, so no two birth dates here
        share the NIK's two-digit year)."""
        key = (district, born, sex)
        serial = self.plan.nik(district == self.district, self.serials[key])
        self.serials[key] += 1
        return nik_rules.build(district, born, sex, serial)

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
        last 15 years) and a serial unique among the kecamatan's kelurahan."""
        youngest = max(dt.date.fromisoformat(m["birth_date"]) for m in members)
        earliest = max(youngest, self.today - dt.timedelta(days=15 * 365))
        issued = earliest + dt.timedelta(days=self.rng.randrange((self.today - earliest).days + 1))
        prefix = self.district.replace(".", "") + f"{issued:%d%m%y}"
        serial = self.plan.no_kk(self.serials[prefix])
        self.serials[prefix] += 1
        return f"{prefix}{serial:04d}"

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
