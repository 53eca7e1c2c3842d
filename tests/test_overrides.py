"""Exclusion overrides (issue 4): a supervisor sets aside an exclusion that rests on wrong data,
with a reason and a document reference; the household becomes proposable, the override shows
in the findings and the receipt, and the audit log has old and new values."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ADMIN_OFFICER, FAST_KDF, OFFICER_PASSWORD, officer_named
from helpers.households import complete

from app.core.document import new_member
from app.core.errors import UserError
from app.db import audit
from app.rules import rulesets
from app.services import auth, checks, households, overrides
from app.services import receipts as receipt_service

REASON = "Mobil sudah dijual pada Maret 2026, tercatat di Samsat."
REFERENCE = "AJB No. 12/2026"


def excluded_household() -> dict:
    doc = households.new_household()
    doc["no_kk"] = "3174010101260001"
    doc["members"] = [new_member(nik="3174015708850003", name="Nur Hasanah", relationship=1)]
    doc["assets"]["car"] = True
    saved = households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)
    assert saved["status"] == "excluded" and saved["exclusions"] == ["car"]
    return saved


@pytest.fixture
def officers(admin):
    make = auth.create_officer
    return {
        "petugas": make("budi", "Budi", "petugas", OFFICER_PASSWORD, admin, FAST_KDF),
        "supervisor": make("ani", "Ani Wijaya", "supervisor", OFFICER_PASSWORD, admin, FAST_KDF),
    }


def test_rules_turn_an_overridden_exclusion_into_a_shown_but_harmless_finding():
    doc = {"members": [], "assets": {"car": True}, "exclusion_overrides": [
        {"rule": "car", "reason": REASON, "reference": REFERENCE, "by": "ani", "at": "x"},
        {"rule": "bottled_water", "reason": REASON, "reference": REFERENCE, "by": "ani", "at": "x"},
    ]}  # fmt: skip
    evaluation = rulesets.evaluate(doc)
    [car] = [f for f in evaluation.findings if f.rule == "car"]
    assert car.kind == "overridden" and REFERENCE in car.message and "ani" in car.message
    assert "car" not in evaluation.exclusions
    unused = [f for f in evaluation.findings if f.rule == "override_not_needed"]
    assert unused and unused[0].kind == "hint" and "bottled_water" in unused[0].message


def test_a_supervisor_overrides_with_reason_and_document_and_the_status_follows(store, officers):
    saved = excluded_household()
    with pytest.raises(auth.AuthError, match="tidak berwenang"):
        overrides.override_exclusion(
            saved["household_id"], "car", REASON, REFERENCE, officers["petugas"]
        )
    with pytest.raises(UserError, match="minimal 20"):
        overrides.override_exclusion(
            saved["household_id"], "car", "sudah dijual", REFERENCE, officers["supervisor"]
        )
    with pytest.raises(UserError, match="dokumen"):
        overrides.override_exclusion(
            saved["household_id"], "car", REASON, " ", officers["supervisor"]
        )
    with pytest.raises(UserError, match="tidak berlaku"):
        overrides.override_exclusion(
            saved["household_id"], "njop_over_1b", REASON, REFERENCE, officers["supervisor"]
        )

    done = overrides.override_exclusion(
        saved["household_id"], "car", REASON, REFERENCE, officers["supervisor"]
    )
    assert done["status"] == "registered" and done["exclusions"] == []
    stored = households.load_household(saved["household_id"])
    assert stored["exclusion_overrides"][0]["by"] == "ani"
    assert checks.evaluate(stored).proposable
    [entry] = [e for e in audit.entries(saved["household_id"]) if e.officer == "ani"]
    old, new = entry.detail["changes"]["exclusion_overrides"]
    assert old is None and new[0]["reference"] == REFERENCE and new[0]["reason"] == REASON
    assert entry.detail["changes"]["status"] == ["excluded", "registered"]

    # an ordinary save cannot add or remove overrides
    stored["exclusion_overrides"] = []
    with pytest.raises(UserError, match="supervisor"):
        households.save_household(stored, final=True, officer=officer_named("budi"))

    # the receipt says the exclusion was set aside, with the document
    receipt = receipt_service.prepare_receipt(saved["household_id"], officers["supervisor"])
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=receipt.pdf, capture_output=True, check=True
    ).stdout.decode()
    assert REFERENCE in " ".join(text.split()) and "BELUM DAPAT" not in text

    back = overrides.withdraw_override(saved["household_id"], "car", officers["supervisor"])
    assert back["status"] == "excluded" and back["exclusions"] == ["car"]
