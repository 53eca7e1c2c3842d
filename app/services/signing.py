"""Decisions signed by the officer who made them (issue 15): "Dinsos can verify who decided".

A decision that needs a role (a musyawarah decision, an exclusion override or its withdrawal,
an officer added, closed, reopened or given a new password) is stored with the deciding
officer's Ed25519 signature and public key (app/db/signatures.py). The private key is opened
by the officer's own password at login (app/db/keystore.py) and held here, in memory, for that
session only; nobody else's password opens it. A decision made by an officer whose key is not
held (no path of the app does that: every window and command acts as the officer who logged
in) is kept unsigned and listed as such.

`check_decision` checks a signature and whether its key is one the signed officer table gives
that officer (`roster.verify_decisions` lists them all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core import signatures
from app.core.document import now_iso
from app.db import signatures as stored
from app.services.actions import Officer

STATUS = {
    "": "sah",
    "unsigned": "tanpa tanda tangan",
    "tampered": "TIDAK SAH: isi atau tanda tangan diubah",
    "not_signers_key": "TIDAK SAH: kunci bukan milik penanda tangan menurut daftar petugas",
}
_held: dict[str, bytes] = {}  # username -> signing private key of the officer logged in


def hold(username: str, private: bytes) -> None:
    """The officer who just logged in: their signing key, for this session."""
    _held.clear()
    _held[username] = private


def forget() -> None:
    _held.clear()


def holder() -> tuple[str, bytes] | None:
    """The officer whose signing key this session holds, and the key."""
    return next(iter(_held.items()), None)


def _statement(decision: stored.Decision) -> dict[str, Any]:
    return {
        "subject": decision.subject,
        "payload": decision.payload,
        "signer": decision.signer,
        "at": decision.signed_at,
    }


def sign_decision(kind: str, subject: str, payload: dict[str, Any], officer: Officer) -> None:
    """Store a decision of `officer` (of `kind`, about `subject`) with their signature. Call it
    inside the transaction that makes the decision, so both stay or neither does."""
    private = _held.get(officer.username)
    decision = stored.Decision(0, kind, subject, payload, officer.username, None, None, now_iso())
    public = signature = None
    if private is not None:
        public = signatures.public_of(private)
        signature = signatures.sign(private, kind, _statement(decision))
    stored.add_decision(
        kind, subject, signatures.canonical(payload), officer.username, public, signature,
        decision.signed_at,
    )  # fmt: skip


@dataclass(frozen=True)
class DecisionCheck:
    id: int
    kind: str
    subject: str
    signer: str
    signed_at: str
    fingerprint: str  # of the signer's key, "" when unsigned
    problem: str  # "" (valid), "unsigned", "tampered" or "not_signers_key"
    status: str  # Indonesian, one line

    @property
    def valid(self) -> bool:
        return not self.problem


def check_decision(decision: stored.Decision, keys: dict[str, set[str]]) -> DecisionCheck:
    """Does the decision's signature verify, and is its key one of the signer's (`keys`: the
    signing keys the signed officer table gives each officer)?"""
    problem, fingerprint = "unsigned", ""
    if decision.signer_key and decision.signature:
        fingerprint = signatures.fingerprint(decision.signer_key)
        if not signatures.verifies(
            decision.signer_key, decision.signature, decision.kind, _statement(decision)
        ):
            problem = "tampered"
        elif decision.signer_key not in keys.get(decision.signer, set()):
            problem = "not_signers_key"
        else:
            problem = ""
    return DecisionCheck(
        decision.id, decision.kind, decision.subject, decision.signer, decision.signed_at,
        fingerprint, problem, STATUS[problem],
    )  # fmt: skip
