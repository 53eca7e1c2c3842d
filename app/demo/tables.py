"""Demo data tables: questionnaire codes with plausible frequencies, name and street pools
drawn from Faker id_ID, region lists and id helpers (used by app/demo/families.py)."""

from __future__ import annotations

import csv
import datetime as dt
import random
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from faker import Faker

from app.paths import resource
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


def _bag[T](weights: dict[T, int]) -> tuple[T, ...]:
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


ELSEWHERE_DEPTH = 12  # NIKs per region, birth date and sex one run may issue outside its kecamatan
SERIALS = 9999  # a NIK's / No. KK's four-digit serial, never 0000


@cache
def _jakarta_villages() -> dict[str, list[str]]:
    """Jakarta's kelurahan codes per kecamatan, ordered (the app's reference file)."""
    found: dict[str, list[str]] = defaultdict(list)
    with resource("regions", "jakarta_regions.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "village":
                found[row["parent_code"]].append(row["code"])
    return {district: sorted(codes) for district, codes in found.items()}


class _Serials:
    """The NIK and No. KK serials of one demo run, disjoint from every other kelurahan's.

    Real serials are unique in the country; if every run counted from 0001, two kelurahan
    would give the same NIK to people born the same day in the same kecamatan (at Dinsos, ~4
    false possible-duplicate pairs per household, issue 20). So the k-th serial (k from 0) of
    a key (region, birth date, sex; kecamatan and issue date for a No. KK) is:
    - a NIK issued in another kecamatan (adults who moved in), a key any kelurahan may use:
      1 + the kelurahan's place among Jakarta's 267 + 267 k, for k < ELSEWHERE_DEPTH;
    - a NIK issued in its own kecamatan (all children, most adults): above those, and
    - a No. KK: from 1, each interleaved with the other kelurahan of the kecamatan (at most
      11): base + its place in the kecamatan + 11 k.
    Two runs for the same kelurahan (other seeds) share serials; a code outside the reference
    file takes places from its CRC (not guaranteed disjoint)."""

    def __init__(self, village_code: str):
        by_district = _jakarta_villages()
        everyone = sorted(code for codes in by_district.values() for code in codes)
        self.width = max(len(codes) for codes in by_district.values())  # 11
        self.count = len(everyone)  # 267
        neighbours = by_district.get(village_code[:8], [])
        crc = zlib.crc32(village_code.encode())
        known = village_code in neighbours
        self.place = everyone.index(village_code) if known else crc % self.count
        self.local_place = neighbours.index(village_code) if known else crc % self.width
        self.local_base = 1 + self.count * ELSEWHERE_DEPTH

    def nik(self, own_kecamatan: bool, k: int) -> int:
        if own_kecamatan:
            return self._local(self.local_base, k)
        if k >= ELSEWHERE_DEPTH:
            raise ValueError("demo: too many NIKs from another kecamatan for one birth date")
        return 1 + self.place + self.count * k

    def no_kk(self, k: int) -> int:
        return self._local(1, k)

    def _local(self, base: int, k: int) -> int:
        serial = base + self.local_place + self.width * k
        if serial > SERIALS:
            raise ValueError("demo: no serial left for one birth or issue date in a kecamatan")
        return serial


def _pool(draw: Callable[[], str], draws: int = 1000) -> list[str]:
    """Distinct values of a Faker draw, sorted so the pool does not depend on hash order."""
    return sorted({draw() for _ in range(draws)})


# Streets of Jakarta's five kota (Faker's id_ID streets are mostly Bandung's).
JAKARTA_STREETS = (
    "Bangka",
    "Bendungan Hilir",
    "Casablanca",
    "Cawang",
    "Cempaka Putih",
    "Cikini Raya",
    "Cilandak",
    "Ciledug Raya",
    "Cilincing",
    "Ciracas",
    "Condet",
    "Daan Mogot",
    "Dewi Sartika",
    "Duren Sawit",
    "Duren Tiga",
    "Fatmawati",
    "Galur",
    "Gunung Sahari",
    "Hayam Wuruk",
    "Jagakarsa",
    "Jatinegara Barat",
    "Johar Baru",
    "Joglo Raya",
    "Kalibata",
    "Kalimalang",
    "Kamal Raya",
    "Kapuk Raya",
    "Kayu Putih",
    "Kebon Bawang",
    "Kebon Baru",
    "Kebon Jeruk",
    "Kebon Kacang",
    "Kedoya Raya",
    "Kelapa Gading",
    "Kemang Raya",
    "Kemayoran",
    "Klender",
    "Kramat Jati",
    "Kramat Raya",
    "Kwitang",
    "Kyai Tapa",
    "Latumenten",
    "Lenteng Agung",
    "Mampang Prapatan",
    "Mangga Besar",
    "Matraman Raya",
    "Menteng Dalam",
    "Meruya Ilir",
    "Muara Karang",
    "Otto Iskandardinata",
    "Palmerah",
    "Pancoran",
    "Pasar Minggu",
    "Pejompongan",
    "Pemuda",
    "Penjernihan",
    "Percetakan Negara",
    "Plumpang",
    "Pluit Raya",
    "Pondok Kopi",
    "Pondok Labu",
    "Pramuka",
    "Pulo Gadung",
    "Pulomas",
    "Ragunan",
    "Rawa Badak",
    "Rawamangun",
    "Sabang",
    "Saharjo",
    "Salemba Raya",
    "Semanan",
    "Senen Raya",
    "Soepomo",
    "Srengseng",
    "Sunter",
    "Tanah Abang",
    "Tanah Tinggi",
    "Tanjung Priok",
    "Tebet Barat Dalam",
    "Tebet Timur Dalam",
    "Tegal Alur",
    "Tubagus Angke",
    "Utan Panjang",
    "Warakas",
    "Warung Buncit",
    "Yos Sudarso",
)


class _Pools:
    """Names and places drawn once per seed from Faker's id_ID locale; Jakarta's streets."""

    def __init__(self, seed: int):
        fake = Faker("id_ID")
        fake.seed_instance(seed)
        self.first = {MALE: _pool(fake.first_name_male), FEMALE: _pool(fake.first_name_female)}
        self.second = {MALE: _pool(fake.last_name_male), FEMALE: _pool(fake.last_name_female)}
        self.cities = [c for c in _pool(fake.city_name, 300) if "Jakarta" not in c]
        self.streets = list(JAKARTA_STREETS)


def _uuid7(millis: int, rng: random.Random) -> str:
    """A UUIDv7 (RFC 9562) for the given Unix time in ms, its random bits from `rng`."""
    rand_a, rand_b = rng.getrandbits(12), rng.getrandbits(62)
    h = f"{millis:012x}7{rand_a:03x}{(0b10 << 62) | rand_b:016x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
