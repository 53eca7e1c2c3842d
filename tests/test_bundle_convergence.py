"""Three installations edit, delete, export and import in random order, with bundles duplicated
and dropped on the way (issue 6). After everything is exchanged, all three hold the same
winners and no edit is lost: every revision ever made is a winner, an ancestor of one, or a
kept conflict version."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import ADMIN_OFFICER
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sync_support import Installation, exchange, register

from app.core import merge
from app.db import conflicts, households
from app.services import households as hh_service
from app.services.sync import conflicts as conflict_service

NAMES = ("laptop", "kelurahan", "dinsos")
who = st.sampled_from(NAMES)


class ThreeInstallations(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="loket-sync-"))
        # each trusted as a kelurahan: its bundles may change all that these rules change (a
        # laptop's deletion would be rejected by design, DESIGN §11: tests/test_peer_kinds.py)
        self.sites = {name: Installation(self.root, name, kind="kelurahan") for name in NAMES}
        a, b, c = self.sites.values()
        exchange((a, b), (b, c), (a, c))
        self.households: list[str] = []
        self.made: set[str] = set()  # every revision ever saved anywhere
        self.in_flight: list[tuple[str, Path]] = []  # (recipient, bundle file) on the USB stick

    def teardown(self):
        try:
            self.exchange_everything_and_compare()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    @initialize()
    def shared_households(self):
        """Two households every installation holds, so that edits meet and conflict."""
        laptop = self.sites["laptop"]
        with laptop:
            for name in ("Eko", "Fitri"):
                self.register_at(laptop, name)
            files = {to: laptop.export(self.sites[to]) for to in ("kelurahan", "dinsos")}
        for to, path in files.items():
            with self.sites[to] as inst:
                inst.take(path)

    def register_at(self, inst, name) -> None:
        doc = register(name)
        self.households.append(doc["household_id"])
        self._saved(doc)

    def _saved(self, doc) -> None:
        self.made.add(doc["rev"])

    @rule(site=who, name=st.sampled_from(["Ani", "Budi", "Citra", "Dewi"]))
    def register(self, site, name):
        with self.sites[site] as inst:
            self.register_at(inst, name)

    @rule(site=who, pick=st.integers(0, 50), address=st.sampled_from(["Jl. A", "Jl. B", "Gg. C"]))
    def edit(self, site, pick, address):
        hid = self.households[pick % len(self.households)]
        with self.sites[site]:
            doc = households.load(hid)
            if doc is None or doc["deleted"]:
                return
            self._saved(
                hh_service.save_household(
                    {**doc, "address": address}, final=False, officer=ADMIN_OFFICER
                )
            )

    @rule(site=who, pick=st.integers(0, 50))
    def delete(self, site, pick):
        hid = self.households[pick % len(self.households)]
        inst = self.sites[site]
        with inst:
            doc = households.load(hid)
            if doc is None or doc["deleted"]:
                return
            self._saved(hh_service.delete_household(hid, "Terdaftar ganda", inst.officer))

    @rule(site=who, pick=st.integers(0, 50), take_other=st.booleans())
    def resolve(self, site, pick, take_other):
        hid = self.households[pick % len(self.households)]
        inst = self.sites[site]
        with inst:
            if households.load(hid) is None or not conflicts.versions(hid):
                return
            winner, kept = conflict_service.versions(hid)
            fields = merge.differing_fields(winner, kept[0]) if take_other else []
            chosen = merge.take_fields(winner, kept[0], fields)
            self._saved(conflict_service.resolve(hid, chosen, inst.officer))
        event("a conflict was resolved")

    @rule(source=who, to=who, full=st.booleans())
    def export(self, source, to, full):
        if source == to:
            return
        with self.sites[source] as inst:
            self.in_flight.append((to, inst.export(self.sites[to], full=full)))

    @rule(source=who, to=who)
    def carry(self, source, to):
        """Export and import straight away (the common case)."""
        self.export(source, to, full=False)
        if source != to:
            self.deliver(len(self.in_flight) - 1, drop=False)

    @precondition(lambda self: self.in_flight)
    @rule(pick=st.integers(0, 50), drop=st.booleans())
    def deliver(self, pick, drop):
        """Import a bundle from the stick; it stays there (so it may come again) unless dropped."""
        target, path = self.in_flight[pick % len(self.in_flight)]
        if drop:
            self.in_flight.remove((target, path))
        with self.sites[target] as inst:
            [report] = inst.take(path)
        if report.counts.get("conflict"):
            event("a bundle brought a conflict")

    @invariant()
    def every_edit_is_held_somewhere(self):
        held = set()
        for inst in self.sites.values():
            with inst:
                held |= revisions_held()
        assert self.made <= held

    def exchange_everything_and_compare(self):
        for _round in range(2):
            for source in self.sites.values():
                for target in self.sites.values():
                    if source is not target:
                        with source:
                            path = source.export(target, full=True)
                        with target:
                            target.take(path)
        seen = {}
        for name, inst in self.sites.items():
            with inst:
                seen[name] = leaves()
                assert self.made <= revisions_held(), name
        assert seen["laptop"] == seen["kelurahan"] == seen["dinsos"]


def leaves() -> dict[str, tuple[str, frozenset[str]]]:
    """(winner revision, kept revisions) of every household."""
    found = {}
    for change, doc in households.changed_since(0):
        assert change
        kept = frozenset(v["rev"] for v in conflicts.versions(doc["household_id"]))
        found[doc["household_id"]] = (doc["rev"], kept)
    return found


def revisions_held() -> set[str]:
    held = set()
    for _change, doc in households.changed_since(0):
        held.update(doc["revs"])
        for version in conflicts.versions(doc["household_id"]):
            held.update(version["revs"])
    return held


TestThreeInstallations = ThreeInstallations.TestCase
TestThreeInstallations.settings = settings(
    max_examples=10,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
