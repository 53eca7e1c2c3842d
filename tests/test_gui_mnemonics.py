"""Alt keys (issue 16): within one window, the menus and every button and labelled field shown
together have different Alt keys; within one menu, its items do; every push button of a dialog
has one. Walks the real main window (list and form) and every dialog its menus open, plus the
dialogs opened outside the menus (login, first account, lock, officer forms, override ...)."""

from __future__ import annotations

import re
from collections import defaultdict
from pprint import pformat

from conftest import ADMIN_OFFICER
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabWidget,
    QWidget,
)

from app.services import installation, musyawarah
from app.ui.admin.officers_dialog import AddOfficerDialog, OfficersDialog
from app.ui.admin.restore_dialog import RestoreDialog
from app.ui.dinsos.area_dialog import DinsosAreaDialog
from app.ui.household.override_dialog import OverrideDialog
from app.ui.household.withdraw_dialog import ReasonDialog
from app.ui.login.dialogs import (
    EncryptLegacyDialog,
    FirstAdminDialog,
    LoginDialog,
    RecoveryKeyDialog,
    UnlockDialog,
)
from app.ui.musyawarah.meeting_screen import MeetingScreen
from app.ui.musyawarah.reason_dialog import NotPoorDialog
from app.ui.runner import Runner
from app.ui.sync.import_dialog import ImportDialog
from app.ui.widgets.village_picker import VillagePicker

MNEMONIC = re.compile(r"&([^&\s])")


def alt_key(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def shown_in(window: QWidget, widget: QWidget) -> bool:
    return widget.window() is window and widget.isVisibleTo(window)


def window_keys(window: QWidget) -> list[tuple[str, str]]:
    """(Alt key, text) of everything in `window` that is shown together and has one."""
    texts: list[str] = []
    if isinstance(window, QMainWindow):
        texts += [a.text() for a in window.menuBar().actions() if a.isVisible()]
    texts += [b.text() for b in window.findChildren(QAbstractButton) if shown_in(window, b)]
    texts += [
        label.text()
        for label in window.findChildren(QLabel)
        if label.buddy() is not None and shown_in(window, label)
    ]
    texts += [g.title() for g in window.findChildren(QGroupBox) if shown_in(window, g)]
    for tabs in window.findChildren(QTabWidget):
        if shown_in(window, tabs):
            texts += [tabs.tabText(i) for i in range(tabs.count())]
    return [(key, text) for text in texts if (key := alt_key(text))]


def clashes(keys: list[tuple[str, str]]) -> dict[str, list[str]]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for key, text in keys:
        by_key[key].append(text)
    return {key: texts for key, texts in by_key.items() if len(texts) > 1}


def menu_clashes(window: QMainWindow) -> dict[str, dict[str, list[str]]]:
    found = {}
    for menu in window.menuBar().findChildren(QMenu):
        keys = [(k, a.text()) for a in menu.actions() if a.isVisible() and (k := alt_key(a.text()))]
        if clashes(keys):
            found[menu.title()] = clashes(keys)
    return found


def without_key(dialog: QWidget) -> list[str]:
    """The push buttons of a dialog shown without an Alt key."""
    return [
        b.text()
        for b in dialog.findChildren(QPushButton)
        if shown_in(dialog, b) and b.text() and alt_key(b.text()) is None
    ]


def check(window: QWidget, problems: dict[str, object], name: str) -> None:
    if found := clashes(window_keys(window)):
        problems[f"{name}: same Alt key"] = found
    if isinstance(window, QDialog) and (missing := without_key(window)):
        problems[f"{name}: buttons without Alt key"] = missing


def open_dialogs() -> set[QWidget]:
    return {w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()}


def test_every_window_and_menu_has_unique_alt_keys(qtbot, window, store):
    problems: dict[str, object] = {}
    assert window.officer.role == "admin"  # every menu item enabled
    check(window, problems, "main window (list)")
    problems.update(menu_clashes(window))

    window.new_household()
    check(window, problems, "main window (form)")
    window.show_list()

    menus = {
        "Administrasi": ("officers_action", "audit_action"),
        "Sinkronisasi": (
            "export_action",
            "ack_action",
            "conflict_action",
            "status_action",
            "keys_action",
        ),
    }
    actions = [getattr(window.admin_menu, name) for name in menus["Administrasi"]]
    actions += [getattr(window.sync_menu, name) for name in menus["Sinkronisasi"]]
    actions += [window.musyawarah_menu.list_action, window.musyawarah_menu.plan_action]
    actions += [
        window.file_menu.actions[n] for n in ("print_privacy_notice", "show_possible_duplicates")
    ]
    actions.append(window.reports_menu.export_action)  # Laporan & ekspor (issue 18)
    actions.append(window.reports_menu.recap_action)
    help_menu = window.help_menu
    actions += [a for a in window.menuBar().actions()[-1].menu().actions()]
    for action in actions:
        before = open_dialogs()
        action.trigger()
        opened = open_dialogs() - before
        assert opened, action.text()
        for dialog in opened:
            check(dialog, problems, action.text())
            dialog.close()
    assert help_menu.dialog is not None

    outside_menus = [
        LoginDialog(store),
        FirstAdminDialog(store),
        EncryptLegacyDialog(store),
        UnlockDialog(ADMIN_OFFICER),
        RecoveryKeyDialog("ABCD-EFGH"),
        AddOfficerDialog(),
        OfficersDialog(Runner(synchronous=True), ADMIN_OFFICER),
        OverrideDialog([("E1", "Memiliki mobil")]),
        ReasonDialog("Batalkan pendaftaran", "Batalkan?", "&Batalkan pendaftaran"),
        ImportDialog(Runner(synchronous=True), store, ADMIN_OFFICER),
        RestoreDialog(Runner(synchronous=True), store, ADMIN_OFFICER),
        VillagePicker(installation.villages()),
        DinsosAreaDialog(installation.kota_codes()),
        NotPoorDialog("Nur Hasanah"),
        MeetingScreen(  # issue 17: the meeting screen opens from the list of meetings
            Runner(synchronous=True),
            ADMIN_OFFICER,
            musyawarah.create_meeting("2026-12-07", "Aula Kelurahan", ADMIN_OFFICER).id,
        ),
    ]
    for dialog in outside_menus:
        qtbot.addWidget(dialog)
        dialog.show()
        check(dialog, problems, type(dialog).__name__)
        dialog.hide()
    assert problems == {}, pformat(problems, width=100)


def test_the_walk_finds_a_clash():
    """The checker itself: two buttons with Alt+B in one window are a clash."""
    keys = [("b", "&Berkas"), ("b", "Keluarga &baru"), ("s", "&Simpan")]
    assert clashes(keys) == {"b": ["&Berkas", "Keluarga &baru"]}
    assert alt_key("Tom && Jerry") is None and alt_key("Ban&tuan") == "t"
