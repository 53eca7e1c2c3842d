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

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from app import rules
from app.core.document import Document
from app.core.errors import UserError
from app.core.revisions import next_revision
from app.db import audit, demo_data, households
from app.db.connection import database
from app.db.registration import format_number, last_number, set_last_number
from app.demo.families import HouseholdGenerator
from app.demo.tables import DEFAULT_VILLAGE, DRAFT_SHARE, MINUTES_APART
from app.services import installation
from app.services.actions import Officer


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
    gen = HouseholdGenerator(seed, village_code, today)
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


def _refuse_repeat(first: Document) -> None:
    """The same seed, count and day give the same ids: say so rather than fail on a key."""
    if households.exists(first["household_id"]):
        raise UserError(
            "Data demo dengan seed dan jumlah ini sudah dimuat hari ini; gunakan seed lain."
        )


def _refuse_real_data() -> None:
    """Demo data never goes into a home that holds households of its own: they would mix with
    (and be sent along with) real registrations. Households are real unless a demo load
    added them."""
    real = demo_data.household_rows() - demo_data.demo_households()
    if real > 0:
        raise UserError(
            f"Loket ini sudah menyimpan {real} data keluarga yang bukan data demo; data demo "
            "hanya dimuat ke loket baru atau loket latihan.",
            f"refused: this home holds {real} households that are not demo data; load demo "
            "data into a new home (--home)",
        )


def _as_saved(
    docs: Iterable[Document], village_code: str, device_code: str, tally: Counter[str]
) -> Iterator[Document]:
    """The documents as a save leaves them: final ones numbered after this device's last
    number, each with its first revision. Counts statuses, members and numbers in `tally`."""
    sequence = last_number(village_code, device_code)
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


def load_demo(count: int, seed: int, officer: Officer) -> dict[str, Any]:
    """Add `count` demo households to the open store in one transaction, streaming (memory
    stays bounded), choosing a kelurahan when none is set; the registration counter then
    continues after the demo's last number, and one audit entry, naming the `officer`,
    records the load. Returns a summary. Choosing the kelurahan needs an `officer` who may
    configure the installation."""
    started = time.perf_counter()
    _refuse_real_data()
    if installation.village_code() is None:
        installation.set_village(DEFAULT_VILLAGE, officer)
    village = installation.village_code()
    assert village is not None  # set just above, or set_village raised
    device = installation.device_code()
    tally: Counter[str] = Counter()
    with database.atomic():
        households.insert_many(_as_saved(generate(count, seed, village), village, device, tally))
        if tally["last_number"]:
            set_last_number(village, device, tally["last_number"])
        audit.append(
            "demo.load",
            officer=officer.username,
            detail={"seed": seed, "households": tally["households"]},
        )
    return {
        "village_code": village,
        "households": tally["households"],
        "members": tally["members"],
        "registered": tally["registered"],
        "excluded": tally["excluded"],
        "drafts": tally["draft"],
        "seconds": round(time.perf_counter() - started, 2),
    }
