"""The officer table, signed (issue 15): an edited role is refused at login.

Every officer's password opens the one database key, so anyone holding it can edit the
`officer` table with any SQLite tool (make themselves admin, reopen a closed account). So the
table (user name, full name, role, active, signing public keys) is signed, each time the app
changes it, with the personal key of the officer logged in, who must be an active officer that
may manage officers (admin or supervisor, app/services/actions.py) in the table they sign.

At login (`check_login`): a signature that does not verify, or one the audit log says was made
but which is gone, refuses every login; an officer whose own row differs from the signed one is
refused; rows of others that differ are audited, and a manager's login (or the next change)
puts them back as signed. A table never signed (a database from before version 13) is signed
by the first manager who logs in, as it stands (trust on first use).

What this does not stop, locally: someone with the database key who also signs a table of their
own with their own key (the table they write says they are admin). ARCHITECTURE's threat model
says what peers see of that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.core import signatures
from app.core.document import now_iso
from app.db import audit, officers
from app.db import signatures as stored
from app.db.connection import database
from app.db.officers import OfficerRow
from app.services import signing
from app.services.actions import AuthError, Officer, may, require
from app.services.signing import DecisionCheck

KIND = "officer.roster"
MANAGE = "officer.manage"
EDITED = (
    "Peran atau status akun ini diubah di luar aplikasi (tidak sesuai daftar petugas yang"
    " ditandatangani): masuk ditolak."
)
BROKEN = (
    "Daftar petugas diubah di luar aplikasi (tanda tangannya tidak cocok): masuk ditolak;"
    " admin memulihkan dengan kunci pemulihan."
)


@dataclass(frozen=True)
class RosterState:
    status: str  # "signed", "unsigned" (never signed) or "broken"
    signed: dict[str, OfficerRow] = field(default_factory=dict)  # the table as signed
    signer: str = ""
    fingerprint: str = ""  # of the signer's key
    edited: list[str] = field(default_factory=list)  # rows that differ from the signed ones


def _entry(row: OfficerRow) -> dict[str, Any]:
    return {"full_name": row.full_name, "role": row.role, "active": row.active,
            "signing_keys": list(row.signing_keys)}  # fmt: skip


def _rows(payload: dict[str, Any]) -> dict[str, OfficerRow]:
    return {
        name: OfficerRow(name, e["full_name"], e["role"], e["active"], tuple(e["signing_keys"]))
        for name, e in payload["officers"].items()
    }


def _facts(row: OfficerRow | None) -> tuple[str, str, bool] | None:
    return None if row is None else (row.full_name, row.role, row.active)


def _statement(payload: dict[str, Any], signer: str, at: str) -> dict[str, Any]:
    return {"roster": payload, "signer": signer, "at": at}


def state() -> RosterState:
    """The signed table, whether its signature holds, and which rows differ from it now."""
    signed = stored.roster()
    if signed is None:
        return RosterState("broken" if stored.ever_signed() else "unsigned")
    try:
        rows = _rows(signed.payload)
    except (KeyError, TypeError, AttributeError):
        return RosterState("broken")
    by = rows.get(signed.signer)
    holds = signatures.verifies(
        signed.signer_key, signed.signature, KIND,
        _statement(signed.payload, signed.signer, signed.signed_at),
    ) and by is not None and by.active and may(by.role, MANAGE) and (
        signed.signer_key in by.signing_keys
    )  # fmt: skip
    if not holds:
        return RosterState("broken")
    current = {r.username: r for r in officers.all_officers()}
    edited = sorted(u for u in {*current, *rows} if _facts(current.get(u)) != _facts(rows.get(u)))
    fingerprint = signatures.fingerprint(signed.signer_key)
    return RosterState("signed", rows, signed.signer, fingerprint, edited)


def sign(changed: str | None, reason: str, *, audited: bool = True) -> str | None:
    """Sign the officer table after the app changed the row of `changed` (None: no change),
    with the key of the officer logged in. Rows edited outside the app go back to their signed
    version first, so they are never signed in; other officers' keys are taken as signed.
    Returns the signing key's fingerprint (audited unless the caller's own entry carries it as
    `roster_key`); None (nothing signed) without the key of an active manager of the table."""
    held = signing.holder()
    if held is None:
        return None
    username, private = held
    public = signatures.public_of(private)
    before = state()
    with database.atomic():
        if before.status == "signed":
            _restore(before, keep=changed)
        rows = officers.all_officers()
        entries = {r.username: _entry(r) for r in rows}
        for name, entry in entries.items():
            if name not in (changed, username) and name in before.signed:
                entry["signing_keys"] = list(before.signed[name].signing_keys)
        me = entries.get(username)
        if me is None or not me["active"] or not may(me["role"], MANAGE):
            return None
        if public not in me["signing_keys"]:
            return None
        payload, at = {"officers": entries}, now_iso()
        signature = signatures.sign(private, KIND, _statement(payload, username, at))
        stored.store_roster(signatures.canonical(payload), username, public, signature, at)
        fingerprint = signatures.fingerprint(public)
        if audited:
            audit.append(stored.ROSTER_SIGNED, officer=username,
                         detail={"reason": reason, "roster_key": fingerprint})  # fmt: skip
    return fingerprint


def _restore(before: RosterState, keep: str | None) -> None:
    """Put rows edited outside the app back as signed; a row the signed table lacks is closed."""
    edited = [u for u in before.edited if u != keep]
    for name in edited:
        row = before.signed.get(name) or officers.get(name)
        if row is not None:
            closed = name not in before.signed
            officers.restore(OfficerRow(row.username, row.full_name, row.role,
                                        row.active and not closed, row.signing_keys))  # fmt: skip
    if edited:
        audit.append("officer.roster_restore", detail={"officers": edited})


def start(username: str, private: bytes) -> None:
    """The officer who logged in: hold their signing key for the session; its public key joins
    their row (certified by the next signature of a manager)."""
    signing.hold(username, private)
    officers.add_signing_key(username, signatures.public_of(private))


def check_login(username: str, private: bytes | None) -> None:
    """After the database opened for `username`: hold the officer's signing key (its public
    key joins the row), then refuse the login (AuthError, audited) when the signed table says
    otherwise; a manager's login re-signs (restoring others' edited rows, certifying its key)."""
    if private is not None:
        start(username, private)
    now = state()
    if now.status == "broken":
        audit.append("officer.roster_invalid", officer=username, detail={"signature": False})
        raise AuthError(BROKEN, "officer table signature missing or invalid")
    if now.status == "unsigned":
        row = officers.get(username)
        if row is not None and may(row.role, MANAGE):
            sign(None, "first signature")
        return
    if now.edited:
        audit.append("officer.roster_invalid", officer=username, detail={"edited": now.edited})
    if username in now.edited:
        raise AuthError(EDITED, f"officer row of {username} differs from the signed table")
    mine = now.signed[username]
    own_key = None if private is None else signatures.public_of(private)
    if may(mine.role, MANAGE) and (now.edited or own_key not in mine.signing_keys):
        sign(None, "login")


def certified_keys() -> dict[str, set[str]]:
    """The signing keys the signed officer table gives each officer (none when it is broken)."""
    now = state()
    return {name: set(row.signing_keys) for name, row in now.signed.items()}


def verify_decisions(
    officer: Officer | None, subject: str | None = None
) -> tuple[RosterState, list[DecisionCheck]]:
    """The signed officer table's state and every signed decision (of one household or
    officer, when `subject` is given), checked against it."""
    require(officer, "audit.view")
    now = state()
    keys = {name: set(row.signing_keys) for name, row in now.signed.items()}
    return now, [signing.check_decision(d, keys) for d in stored.decisions(subject)]


# --- another installation's table, as a bundle carries it (issue 15: "Dinsos can verify") ------


def holds(
    text: str, signer: str, signer_key: str, signature: str, at: str
) -> dict[str, set[str]] | None:
    """A signed officer table sent by a peer: the signing keys it gives each officer when its
    signature verifies and its signer is an active manager in it with that key, else None."""
    try:
        payload = signatures_json(text)
        rows = _rows(payload)
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    by = rows.get(signer)
    valid = signatures.verifies(signer_key, signature, KIND, _statement(payload, signer, at))
    if not valid or by is None or not by.active or not may(by.role, MANAGE):
        return None
    if signer_key not in by.signing_keys:
        return None
    return {name: set(row.signing_keys) for name, row in rows.items()}


def manager_keys(text: str) -> set[str]:
    """The keys of the active officers who may sign the table, in a table as signed."""
    try:
        rows = _rows(signatures_json(text))
    except (KeyError, TypeError, AttributeError, ValueError):
        return set()
    return {k for r in rows.values() if r.active and may(r.role, MANAGE) for k in r.signing_keys}


def signatures_json(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value
