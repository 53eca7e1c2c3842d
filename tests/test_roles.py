"""Every role action is decided in the service layer (issue 13): each service that needs a role
is called directly, by every role that may not do it and by nobody logged in, and refuses with
AuthError leaving the store as it was. A new action in app/services/actions.py needs a case."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ADMIN_OFFICER, FAST_KDF
from helpers.households import complete

from app.core.document import new_member
from app.db import audit as audit_log
from app.db import households as stored_households
from app.services import attachments as attachment_service
from app.services import audit as audit_service
from app.services import (
    auth,
    backups,
    cross_duplicates,
    exports,
    households,
    installation,
    marks,
    musyawarah,
    musyawarah_lock,
    outcomes,
    overrides,
    overview,
    pemadanan,
    recaps,
    target_lists,
)
from app.services import receipts as receipt_service
from app.services import restore as restore_service
from app.services.actions import AUDIT_LABELS, ROLE_ACTIONS, ROLES, AuthError, Officer, may
from app.services.sync import conflicts, imports
from app.services.sync import keys as sync_keys
from app.services.sync.export import export_bundle

APP = Path(__file__).resolve().parent.parent / "app"


class Scene:
    """A store with a household saved as final (it owns a car: an exclusion to override), a
    backup and a would-be bundle file."""

    def __init__(self, paths, tmp_path: Path):
        self.paths = paths
        doc = households.new_household()
        doc["no_kk"] = "3174010101260001"
        doc["members"] = [new_member(nik="3174015708850003", name="Dewi Lestari", relationship=1)]
        doc["assets"]["car"] = True
        self.doc = households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)
        self.id = self.doc["household_id"]
        self.backup = backups.create_backup(paths, "manual").path
        self.bundle = tmp_path / "x.bundle"
        self.out = tmp_path / "out.bundle"


CASES: dict[str, Callable[[Scene, Officer | None], object]] = {
    "household.register": lambda s, o: households.save_household(
        households.new_household(), final=False, officer=o
    ),
    "household.view": lambda s, o: households.view_household(s.id, o),
    "receipt.print": lambda s, o: receipt_service.print_receipt(s.id, o),
    "musyawarah.decide": lambda s, o: households.save_household(
        {**s.doc, "musyawarah": {**s.doc["musyawarah"], "decision": "not_poor"}},
        final=True,
        officer=o,
    ),
    "musyawarah.plan": lambda s, o: musyawarah.create_meeting("2026-12-07", "Aula", o),
    "musyawarah.lock": lambda s, o: musyawarah_lock.lock_meeting("no-such-meeting", o),
    "exclusion.override": lambda s, o: overrides.override_exclusion(
        s.id, "car", "Mobil sudah dijual tahun lalu, ada bukti.", "AJB 12/2026", o
    ),
    "conflict.resolve": lambda s, o: conflicts.resolve(s.id, s.doc, o),
    "household.delete": lambda s, o: households.delete_household(
        s.id, "Data ganda, salah ketik", o
    ),
    "matching.record": lambda s, o: households.record_matching(s.id, o, car=False),
    "pemadanan.import": lambda s, o: pemadanan.apply(s.bundle, "bapenda", o),
    "dinsos.status": lambda s, o: outcomes.apply(s.bundle, "siks-ng", o),
    "household.withdraw": lambda s, o: marks.withdraw_household(
        s.id, "Salah daftar, keluarga ganda", o
    ),
    # the scene's household was registered by the admin, not by `o`
    "household.withdraw.any": lambda s, o: marks.withdraw_household(
        s.id, "Salah daftar, keluarga ganda", o
    ),
    "household.reinstate": lambda s, o: marks.reinstate_household(s.id, "Ditarik karena keliru", o),
    "duplicate.accept": lambda s, o: households.save_household(
        {**households.new_household(), "no_kk": s.doc["no_kk"]},
        final=True,
        officer=o,
        accept_duplicates="Pecah KK sedang diproses",
    ),
    "bundle.export": lambda s, o: export_bundle("kelurahan", s.out, o),
    "bundle.import": lambda s, o: imports.import_bundles(s.paths, [s.bundle], o),
    "officer.manage": lambda s, o: auth.create_officer(
        "eve", "Eve", "admin", "rahasia-eve-1", o, FAST_KDF
    ),
    "backup.create": lambda s, o: backups.take_backup(s.paths, o),
    "backup.restore": lambda s, o: restore_service.restore_backup(s.paths, s.backup, o),
    "installation.configure": lambda s, o: installation.set_village("31.74.01.1002", o),
    "audit.view": lambda s, o: audit_service.verify(o),
    "peer.trust": lambda s, o: sync_keys.trust_peer(sync_keys.own_public_key(), "saya", o),
    "database.rekey": lambda s, o: auth.change_database_key(o),
    "report.recap": lambda s, o: recaps.write_recap(o, "pdf", s.out.with_suffix(".pdf")),
    "report.worklist": lambda s, o: recaps.write_worklist(o, 1, s.out.with_suffix(".pdf")),
    "attachment.add": lambda s, o: attachment_service.add_attachment(
        s.id, b"%PDF-1.4\n%%EOF\n", "ktp", o
    ),
    "attachment.view": lambda s, o: attachment_service.list_attachments(s.id, o),
    "attachment.delete": lambda s, o: attachment_service.delete_attachment("no-such-id", o),
    "dinsos.overview": lambda s, o: overview.overview(o),
    "target_list.manage": lambda s, o: target_lists.draft("31.74", o),
    "duplicates.cross": lambda s, o: cross_duplicates.find(o),
    "export.personal": lambda s, o: exports.export(
        "daftar-keluarga-v1", "xlsx", s.out.with_suffix(".xlsx"), o
    ),
}


def refusing(action: str) -> list[str | None]:
    return [role for role in ROLES if not may(role, action)] + [None]


def test_every_role_action_has_a_case():
    assert set(CASES) == set(ROLE_ACTIONS)


@pytest.mark.parametrize(
    ("action", "role"),
    [(action, role) for action in ROLE_ACTIONS for role in refusing(action)],
)
def test_a_role_that_may_not_is_refused_by_the_service(store, tmp_path, action, role):
    scene = Scene(store, tmp_path)
    officer = None if role is None else Officer(f"u-{role}", role.title(), role)
    entries, village = audit_log.verify()[0], installation.village_code()
    before = stored_households.load(scene.id)

    with pytest.raises(AuthError, match="tidak berwenang|belum masuk"):
        CASES[action](scene, officer)

    assert audit_log.verify() == (entries, None)  # nothing was recorded, nothing changed
    assert stored_households.load(scene.id) == before
    assert installation.village_code() == village
    assert not scene.out.exists()


def test_admin_may_do_everything():
    assert all(may("admin", action) for action in ROLE_ACTIONS)
    assert not any(may("petugas", a) for a in ("musyawarah.decide", "officer.manage"))


def test_every_audit_action_written_has_an_indonesian_label():
    """Each action the code writes to the audit log is named in Indonesian on the audit screen
    (the bundle actions are written as `bundle.<export|import>.<households|ack>`)."""
    source = "\n".join(p.read_text() for p in APP.rglob("*.py"))
    written = set(re.findall(r'audit\.append\(\s*"([a-z_.]+)"', source))
    written |= {
        f"bundle.{way}.{kind}" for way in ("export", "import") for kind in ("households", "ack")
    }
    assert "receipt.print" in source  # written through a constant
    written.add("receipt.print")
    assert len(written) > 20
    assert sorted(written - set(AUDIT_LABELS)) == []
