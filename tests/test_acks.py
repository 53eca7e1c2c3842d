"""Acknowledgements are believed only about what was sent to their sender (issue 15): a trusted
peer once acknowledged another peer's bundle and households it was never sent."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sync_support import Installation, exchange, register

from app.bundle import file as bundle_file
from app.bundle.keys import fingerprint, from_file
from app.core.document import now_iso
from app.db import bundle_log
from app.services.sync import keys as service
from app.services.sync import peer_status as sync_status
from app.services.sync.export import export_ack


@pytest.fixture
def other(tmp_path):
    return Installation(tmp_path, "kelurahan-lain")


def bundle_id(path: Path) -> str:
    return str(bundle_file.read_manifest(path)[0]["bundle_id"])


def forged_ack(sender: Installation, to: Installation, acknowledges, records) -> Path:
    """An acknowledgement `sender` really signed, saying what we choose."""
    with sender:
        identity, own = service.identity(), service.own_public_key()
    peer = from_file(to.key_file)
    fields = {
        "format": bundle_file.FORMAT,
        "format_version": bundle_file.FORMAT_VERSION,
        "schema_version": 1,
        "kind": "ack",
        "bundle_id": str(uuid.uuid4()),
        "created_at": now_iso(),
        "sender": {
            "device_id": own.device_id,
            "fingerprint": fingerprint(own),
            "name": sender.name,
            "kelurahan": own.kelurahan,
        },
        "recipients": [fingerprint(peer), fingerprint(own)],
        "kelurahan": own.kelurahan,
        "sequence": 1,
        "previous": None,
        "counts": {"bundles": len(acknowledges), "records": len(records)},
        "acknowledges": acknowledges,
    }
    path = sender.outbox / f"forged-{fields['bundle_id']}.bundle"
    to_ = [peer.age_recipient, own.age_recipient]
    bundle_file.write(path, fields, records, identity.signing_key, to_)
    return path


def peer_status(name: str) -> sync_status.PeerStatus:
    return next(p for p in sync_status.status() if p.name == name)


def test_an_ack_for_another_peers_bundle_or_households_never_sent_is_ignored(
    laptop, kelurahan, other
):
    exchange((laptop, kelurahan), (laptop, other))
    with laptop:
        ani, budi = register("Ani"), register("Budi")
        to_kelurahan = laptop.export(kelurahan)
        to_other = laptop.export(other)
    ours, theirs = bundle_id(to_kelurahan), bundle_id(to_other)

    def outcome(bundle, household_id, rev, result):
        return {
            "bundle_id": bundle,
            "household_id": household_id,
            "rev": rev,
            "outcome": result,
            "reason": None,
        }

    forged = forged_ack(
        kelurahan,
        laptop,
        [ours, theirs, str(uuid.uuid4())],
        [
            outcome(ours, ani["household_id"], ani["rev"], "new"),  # true, and sent to it
            outcome(ours, str(uuid.uuid4()), "1-" + "0" * 32, "rejected"),  # never sent
            outcome(ours, budi["household_id"], "9-" + "f" * 32, "conflict"),  # a made-up rev
            outcome(theirs, budi["household_id"], budi["rev"], "rejected"),  # not its bundle
            outcome(str(uuid.uuid4()), ani["household_id"], ani["rev"], "new"),  # unknown
        ],
    )
    with laptop:
        [report] = laptop.take(forged)
        assert report.counts == {
            "new": 1,
            "updated": 0,
            "unchanged": 0,
            "conflict": 0,
            "rejected": 0,
        }
        [warning] = report.warnings  # `theirs` and the unknown bundle; four records
        assert "2 bundle(s) not sent to this peer and 4 household record(s)" in warning
        assert ani["household_id"] not in warning and "Ani" not in warning
        assert bundle_log.outcomes(ours) == [(ani["household_id"], ani["rev"], "new", None)]
        assert bundle_log.outcomes(theirs) == []
        assert bundle_log.get(ours).ack_counts["new"] == 1
        assert bundle_log.get(ours).ack_counts["conflict"] == 0
        assert bundle_log.get(theirs).acknowledged_at is None  # still waits for `other`
        assert peer_status("kelurahan-lain").unacknowledged == 1
        assert peer_status("kelurahan").unacknowledged == 0


def test_a_genuine_ack_is_taken_whole_and_a_peer_cannot_ack_for_another(laptop, kelurahan, other):
    exchange((laptop, kelurahan), (laptop, other), (kelurahan, other))
    with laptop:
        register("Ani")
        register("Budi", village_code="31.74.01.1002")  # the kelurahan rejects it
        to_kelurahan = laptop.export(kelurahan)
    with kelurahan:
        kelurahan.take(to_kelurahan)
        ack = kelurahan.outbox / "ack.bundle"
        export_ack("laptop", ack, kelurahan.officer)
    # `other` replays the kelurahan's outcomes as its own acknowledgement
    outcomes = []
    with kelurahan:
        for hid, rev, result, reason in bundle_log.outcomes(bundle_id(to_kelurahan)):
            outcomes.append(
                {
                    "bundle_id": bundle_id(to_kelurahan),
                    "household_id": hid,
                    "rev": rev,
                    "outcome": result,
                    "reason": reason,
                }
            )
    assert len(outcomes) == 2
    impostor = forged_ack(other, laptop, [bundle_id(to_kelurahan)], outcomes)
    with laptop:
        [report] = laptop.take(impostor)
        assert sum(report.counts.values()) == 0
        assert report.warnings == [
            "the acknowledgement spoke of 1 bundle(s) not sent to this peer and 2 household"
            " record(s) not sent in the bundles it acknowledges: ignored"
        ]
        assert peer_status("kelurahan").unacknowledged == 1
        [report] = laptop.take(ack)  # the kelurahan's own acknowledgement
        assert report.warnings == []
        assert report.counts["new"] == 1 and report.counts["rejected"] == 1
        assert peer_status("kelurahan").unacknowledged == 0
        assert len(bundle_log.outcomes(bundle_id(to_kelurahan))) == 2


def test_a_bundle_sent_notes_what_it_carried(laptop, kelurahan):
    exchange((laptop, kelurahan))
    with laptop:
        ani = register("Ani")
        sent = laptop.export(kelurahan)
        assert bundle_log.content(bundle_id(sent)) == {(ani["household_id"], ani["rev"])}
