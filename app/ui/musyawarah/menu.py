"""The main window's "Musyawarah kelurahan" menu (issue 17): the list of meetings, a new plan,
and the meeting screen. Each screen calls the services, which hold the roles (petugas plan,
supervisors decide and lock)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from app.services import musyawarah
from app.ui.host import MenuHost
from app.ui.musyawarah.meeting_screen import MeetingScreen
from app.ui.musyawarah.meetings_dialog import MeetingsDialog
from app.ui.musyawarah.plan_dialog import PlanDialog


class MusyawarahMenu(QObject):
    def __init__(self, window: MenuHost):
        super().__init__(window.widget())
        self.main = window
        self.dialog: QDialog | None = None  # the screen opened last
        self.meetings: MeetingsDialog | None = None
        officer = window.officer
        menu = window.menuBar().addMenu("&Musyawarah kelurahan")
        self.list_action = QAction(
            "&Daftar musyawarah…", window.widget(), triggered=self.open_meetings
        )
        self.plan_action = QAction(
            "&Rencanakan musyawarah baru…", window.widget(), triggered=lambda: self.open_plan(None)
        )
        for action in (self.list_action, self.plan_action):
            action.setEnabled(officer is not None and officer.may("musyawarah.plan"))
            menu.addAction(action)

    def open_meetings(self) -> None:
        dialog = MeetingsDialog(self.main.runner, self.main.officer, self.main.widget())
        dialog.open_requested.connect(self.open_meeting)
        dialog.plan_requested.connect(self.open_plan)
        self.meetings = dialog
        self._open(dialog)

    def open_plan(self, meeting_id: str | None) -> None:
        parent = self.meetings if self.meetings is not None else self.main.widget()
        dialog = PlanDialog(self.main.runner, self.main.officer, meeting_id, parent)
        if self.meetings is not None:
            dialog.saved.connect(lambda _id: self.meetings and self.meetings.reload())
        self._open(dialog)

    def open_meeting(self, meeting_id: str) -> MeetingScreen:
        self.main.show_list()  # saves the open form's draft first
        screen = MeetingScreen(self.main.runner, self.main.officer, meeting_id, self.main.widget())
        screen.changed.connect(self._changed)
        self._open(screen)
        return screen

    def open_decided(self, meeting_id: str) -> None:
        """*Buka musyawarah* of the household form: the meeting's screen; a meeting received from
        another device has none here, so the meetings list, which shows it, opens instead."""
        if musyawarah.held_here(meeting_id):
            self.open_meeting(meeting_id)
            return
        self.open_meetings()
        self.main.statusBar().showMessage(
            "Musyawarah ini diputuskan di perangkat lain: lihat Musyawarah diterima", 15000
        )

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _changed(self) -> None:
        self.main.refresh_list()
        if self.meetings is not None:
            self.meetings.reload()
        self.main.statusBar().showMessage("Hasil musyawarah dikunci dan dicatat ke keluarga", 15000)
