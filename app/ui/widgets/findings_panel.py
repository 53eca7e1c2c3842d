"""Beside the form: the badge (Tidak dapat diusulkan / Belum lengkap / Dapat diusulkan) and
the findings of the checks. The verdict is the rules' (app/rules/findings.py `Evaluation`);
this panel only words and colours it.

Each finding shows its message and the regulation it comes from; activating it (click or
Enter) asks the form to put the cursor in the field concerned, and a finding that links to
another household offers to open it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

KIND_LABELS = {
    "exclusion": "Pengecualian",
    "overridden": "Pengecualian diabaikan",
    "error": "Kesalahan",
    "warning": "Peringatan",
    "hint": "Program",
}
KIND_COLOURS = {
    "exclusion": "#fde2e1",
    "overridden": "#e6e9f5",
    "error": "#fde2e1",
    "warning": "#fff4c2",
    "hint": "#e3f1e6",
}
BADGE_COLOURS = {"excluded": "#b3261e", "incomplete": "#5f6368", "proposable": "#1e7b34"}
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
LINK_ROLE = Qt.ItemDataRole.UserRole + 2


class FindingsPanel(QWidget):
    field_requested = Signal(str)  # a document path such as "members[2].nik"
    household_requested = Signal(str)  # household_id of a linked household
    override_requested = Signal()  # a supervisor wants to set an exclusion aside

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.badge = QLabel()
        self.badge.setObjectName("badge")
        self.badge.setWordWrap(True)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setAccessibleName("Hasil pemeriksaan")
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.badge)
        layout.addWidget(QLabel("<b>Hasil pemeriksaan</b>"))
        layout.addWidget(self.list)
        self.override_button = QPushButton("Abaikan pengecualian…")
        self.override_button.setToolTip(
            "Supervisor: abaikan pengecualian yang didasarkan pada data keliru, dengan alasan "
            "dan dokumen pendukung"
        )
        self.override_button.clicked.connect(self.override_requested)
        self.override_button.hide()  # shown by set_override_allowed for supervisors
        layout.addWidget(self.override_button)
        self.setMinimumWidth(260)

    def set_override_allowed(self, allowed: bool) -> None:
        self.override_button.setVisible(allowed)

    def show_evaluation(self, evaluation) -> None:
        """Show an app.rules Evaluation (findings sorted: exclusions, errors, warnings, hints)."""
        self._show_badge(evaluation)
        self.override_button.setEnabled(bool(evaluation.exclusions))
        self.list.clear()
        order = list(KIND_LABELS)
        for finding in sorted(evaluation.findings, key=lambda f: order.index(f.kind)):
            text = f"{KIND_LABELS[finding.kind]}: {finding.message}"
            if getattr(finding, "link", None):
                text += "\n(klik untuk membuka keluarga tersebut)"
            if finding.source:
                text += f"\nDasar: {finding.source}"
            item = QListWidgetItem(text)
            item.setBackground(QBrush(QColor(KIND_COLOURS[finding.kind])))
            item.setData(PATH_ROLE, finding.fields[0] if finding.fields else None)
            item.setData(LINK_ROLE, getattr(finding, "link", None))
            self.list.addItem(item)

    def _show_badge(self, evaluation) -> None:
        """An exclusion: red; otherwise, while answers are missing, neutral grey (never
        "Dapat diusulkan" before the household is complete); then green."""
        tip = ""
        if not evaluation.proposable:
            reasons = [f.message for f in evaluation.findings if f.kind == "exclusion"]
            text, state = "Tidak dapat diusulkan: " + "; ".join(reasons), "excluded"
        elif not evaluation.complete:
            text, state = f"Belum lengkap: {len(evaluation.missing)} isian", "incomplete"
            tip = "Lengkapi isian yang ditandai sebelum simpan final; draf boleh belum lengkap."
        else:
            text, state = "Dapat diusulkan", "proposable"
            if evaluation.of_kind("overridden"):
                text += " (dengan pengecualian diabaikan)"
            if evaluation.has_errors:
                text += " (perbaiki kesalahan sebelum simpan final)"
        self.badge.setText(text)
        self.badge.setToolTip(tip)
        self.badge.setProperty("state", state)
        self.badge.setStyleSheet(
            f"background: {BADGE_COLOURS[state]}; color: white; font-weight: bold; padding: 8px;"
            " border-radius: 4px;"
        )

    def messages(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _activated(self, item: QListWidgetItem) -> None:
        link = item.data(LINK_ROLE)
        if link:
            self.household_requested.emit(link)
        elif item.data(PATH_ROLE):
            self.field_requested.emit(item.data(PATH_ROLE))
