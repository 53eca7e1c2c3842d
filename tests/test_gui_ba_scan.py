"""The signed BA scan of one's own locked musyawarah from the GUI (issue 18): *Pindaian BA…*
(Alt+A) on the meeting screen opens the attachments dialog in meeting mode, where the scan is
added from a file by keyboard; stored encrypted on the meeting, audited; an open meeting has
the button disabled."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from test_attachments import small_pdf
from test_gui_mnemonics import check
from test_gui_musyawarah import SUPERVISOR, activate, alt, families, focused

from app.core import musyawarah as words
from app.db import audit
from app.services import attachments, musyawarah, musyawarah_docs, musyawarah_lock
from app.ui.household.attachments import AttachmentsDialog
from app.ui.musyawarah.meeting_screen import MeetingScreen
from app.ui.runner import Runner


def meeting(locked: bool) -> str:
    [made] = families(1)
    found = musyawarah.create_meeting(
        dt.date.today() + dt.timedelta(days=2), "Aula Kelurahan", SUPERVISOR
    )
    musyawarah.decide(found.id, made["household_id"], words.ELIGIBLE, SUPERVISOR)
    if locked:
        paper = musyawarah_docs.prepare_document(found.id, "berita-acara", SUPERVISOR)
        musyawarah_docs.issue_document(paper, SUPERVISOR)
        musyawarah_lock.lock_meeting(found.id, SUPERVISOR)
    return found.id


def screen_of(qtbot, meeting_id: str) -> MeetingScreen:
    screen = MeetingScreen(Runner(synchronous=True), SUPERVISOR, meeting_id)
    qtbot.addWidget(screen)
    with qtbot.waitActive(screen):
        screen.show()
    qtbot.waitUntil(lambda: screen.meeting is not None)
    return screen


def test_the_ba_scan_of_a_locked_meeting_is_added_by_keyboard(qtbot, store, tmp_path, monkeypatch):
    mid = meeting(locked=True)
    scan = tmp_path / "ba-ditandatangani.pdf"
    scan.write_bytes(small_pdf())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(scan), ""))
    screen = screen_of(qtbot, mid)
    assert screen.scan_button.isEnabled() and not screen.lock_button.isEnabled()
    problems: dict[str, object] = {}
    check(screen, problems, "meeting screen (locked)")
    alt(qtbot, screen, Qt.Key.Key_A)
    [dialog] = [d for d in screen.findChildren(AttachmentsDialog) if d.isVisible()]
    check(dialog, problems, "BA scan")
    assert problems == {}
    assert [dialog.kind.itemData(i) for i in range(dialog.kind.count())] == ["ba-scan"]
    assert dialog.add_button.isVisible() and dialog.add_button.isEnabled()
    assert dialog.error.text() == ""
    alt(qtbot, dialog, Qt.Key.Key_B)  # Tam&bah dari berkas…
    assert dialog.items.count() == 1, dialog.error.text()
    assert "Pindaian berita acara" in dialog.items.item(0).text()
    [stored] = attachments.list_attachments(mid, SUPERVISOR)
    assert (stored.kind, stored.meeting_id, stored.household_id) == ("ba-scan", mid, None)
    assert attachments.content(stored.id, SUPERVISOR)[1] == small_pdf()
    assert b"%PDF-1.4\n1 0 obj" not in store.db.read_bytes()  # encrypted
    [entry] = [e for e in audit.entries() if e.action == "attachment.add"]
    assert entry.officer == SUPERVISOR.username and entry.detail["meeting"] == mid
    dialog.close()
    activate(qtbot, screen)
    qtbot.waitUntil(lambda: screen.isAncestorOf(focused()))  # the keyboard goes on here


def test_an_open_meeting_has_no_scan_yet(qtbot, store):
    screen = screen_of(qtbot, meeting(locked=False))
    assert not screen.scan_button.isEnabled()
    assert screen.open_scan() is None
