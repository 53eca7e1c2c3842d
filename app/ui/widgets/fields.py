"""Input widgets that hold document values: each has `value()`, `set_value(v)` and an
`edited` signal emitted only on user edits (not when the program sets a value).

Nothing typed is lost or silently changed (issue 14): a drop-down changes only to a choice
that matches what was typed, and a date that cannot be read stays in its field as typed,
marked as an error.

Every field can be made read-only (`set_read_only`): it still takes the focus, so Tab reaches
it and a screen reader reads it, but no key, click or wheel changes its value (issue 16).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QRegularExpression,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QToolTip, QWidget

from app.core import codes
from app.ui.widgets.choice_search import MIN_SEARCH_PAUSE_MS, best_match

NONE_LABEL = "— pilih —"
# A field is marked the way the household form marks the fields its findings point at
# (app/ui/household/form.py `_highlight`): the dynamic property "finding" names the kind and
# the widget's style sheet gives the background; this is the form's colour for "error".
FINDING_PROPERTY = "finding"
ERROR_BACKGROUND = "#f9c9c6"
# One look for every read-only field (issue 16), set by the form on the page of its fields: a
# grey box, no drop-down arrow (properties: QLineEdit's `readOnly`, CodeCombo's `readOnlyField`)
READ_ONLY_PROPERTY = "readOnlyField"
READ_ONLY_STYLE = (
    'QLineEdit[readOnly="true"], QComboBox[readOnlyField="true"] {'
    " background: #eef1f5; color: #1f1f1f; border: 1px solid #b9c0ca; border-radius: 2px;"
    " padding: 2px 4px; }"
    ' QComboBox[readOnlyField="true"]::drop-down { width: 0px; border: none; }'
    ' QComboBox[readOnlyField="true"]::down-arrow { image: none; }'
)


def _repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a property it selects on changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class CodeCombo(QComboBox):
    """A choice among the questionnaire's codes, shown with their Indonesian labels.

    Typing searches the labels (see `best_match`): any part of a label, in any case, spaces
    included, or the code number. The choice changes only to an item that matches the text
    typed so far; text that matches nothing leaves the choice as it is and says so in a
    tooltip. Backspace edits the search, Space never opens the list (Alt+Down or F4 does), and
    the search starts over after a pause or when the field loses the focus. The list, when
    open, searches the same way. The value is always one of the codes, or None."""

    edited = Signal()

    def __init__(
        self, section: str, field: str, nullable: bool = True, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.section, self.field = section, field  # which code list (app.core.codes)
        if nullable:
            self.addItem(NONE_LABEL, None)
        for code, text in codes.choices(section, field):
            self.addItem(text, code)
        self.setAccessibleName(codes.title(section, field))
        # long labels must not force the form wider than a 1366-pixel counter screen
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        # ... so the box names its whole choice in a tooltip (*Kedudukan dalam pekerjaan*)
        self.currentTextChanged.connect(self.setToolTip)
        # user changes only: set_value blocks the signals (covers choosing by typing too)
        self.currentIndexChanged.connect(lambda _index: self.edited.emit())
        self._search = ""
        self._search_pause = QTimer(self, singleShot=True)
        self._search_pause.setInterval(
            max(QApplication.keyboardInputInterval(), MIN_SEARCH_PAUSE_MS)
        )
        self._search_pause.timeout.connect(self._end_search)
        self.view().installEventFilter(self)  # the open list searches the same way
        self._read_only = False
        # the mouse wheel does not give it the focus: scrolling the form over a closed
        # drop-down scrolls the form and leaves the answer as it is (see wheelEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_read_only(self, read_only: bool) -> None:
        if read_only != self._read_only:
            self._read_only = read_only
            self.setProperty(READ_ONLY_PROPERTY, read_only)
            _repolish(self)

    def is_read_only(self) -> bool:
        return self._read_only

    def showPopup(self) -> None:
        if not self._read_only:
            super().showPopup()

    def wheelEvent(self, event: Any) -> None:
        """Only a drop-down the officer is in changes with the wheel; over any other (or a
        read-only one) the wheel scrolls the form, as it would anywhere else on the page."""
        if self._read_only or not self.hasFocus():
            event.ignore()  # the scroll area scrolls instead
        else:
            super().wheelEvent(event)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self):
            self.setCurrentIndex(max(self.findData(value), 0))
        self.setToolTip(self.currentText())

    def search_text(self) -> str:
        """What has been typed since the search last started over."""
        return self._search

    # --- typing to search -----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._read_only:
            event.ignore()  # Tab and the window's shortcuts still work
            return
        row = self._search_key(event)
        if row is None:
            self._end_search()  # arrows, Home, F4...: the search starts over
            super().keyPressEvent(event)
            return
        event.accept()
        if row >= 0 and row != self.currentIndex():
            self.setCurrentIndex(row)  # emits edited
            self.activated.emit(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view() and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            row = self._search_key(event)
            if row is not None:
                if row >= 0:
                    self.view().setCurrentIndex(self.model().index(row, 0))
                return True
        return super().eventFilter(watched, event)

    def focusOutEvent(self, event: Any) -> None:
        self._end_search()
        super().focusOutEvent(event)

    def _search_key(self, event: QKeyEvent) -> int | None:
        """Feed a key press to the search. None: not a search key (let Qt handle it);
        otherwise the row the search picks, or -1 to keep the current one."""
        modifiers = event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        text = event.text()
        if modifiers != Qt.KeyboardModifier.NoModifier:
            return None
        if event.key() == Qt.Key.Key_Backspace:
            if not self._search:
                return -1
            self._search = self._search[:-1]
        elif text and text.isprintable():
            if not self._search and text.isspace():
                return -1  # nothing to search yet; a space must not open the list either
            self._search += text
        else:
            return None
        self._search_pause.start()
        return self._find()

    def _find(self) -> int:
        if not self._search:
            QToolTip.hideText()
            return -1
        first = 1 if self.itemData(0) is None else 0
        choices = [(self.itemData(i), self.itemText(i)) for i in range(first, self.count())]
        match = best_match(choices, self._search)
        if match is None:
            message = (
                f"Tidak ada pilihan yang cocok dengan “{self._search}”; pilihan tidak diubah "
                "(Backspace untuk menghapus huruf)"
            )
        else:
            message = f"Cari: “{self._search}”"
        QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self)
        return -1 if match is None else match + first

    def _end_search(self) -> None:
        if self._search:
            self._search = ""
            QToolTip.hideText()


class TextField(QLineEdit):
    """Free text; an empty field is None."""

    edited = Signal()

    def __init__(
        self, max_length: int = 200, pattern: str | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setMaxLength(max_length)
        if pattern:
            self.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self.textEdited.connect(self._user_edited)

    def _user_edited(self, _text: str) -> None:
        self.edited.emit()

    def value(self) -> str | None:
        text = self.text().strip()
        return text or None

    def set_value(self, value: str | None) -> None:
        self.setText(value or "")

    def set_read_only(self, read_only: bool) -> None:
        self.setReadOnly(read_only)

    def is_read_only(self) -> bool:
        return self.isReadOnly()


class DigitsField(TextField):
    """Digits only (NIK, No. KK, phone)."""

    def __init__(self, max_length: int, parent: QWidget | None = None):
        super().__init__(max_length, rf"\d{{0,{max_length}}}", parent)


class IntField(TextField):
    """A whole number; the thousands separators an officer may type (dots) are ignored."""

    def __init__(self, max_digits: int = 15, parent: QWidget | None = None):
        super().__init__(
            max_digits + max_digits // 3, rf"[\d.]{{0,{max_digits + max_digits // 3}}}", parent
        )

    def value(self) -> int | None:
        digits = self.text().replace(".", "")
        return int(digits) if digits else None

    def set_value(self, value: int | None) -> None:
        self.setText("" if value is None else f"{value:,}".replace(",", "."))


DATE_HINT = "tulis hari-bulan-tahun, mis. 06-04-1965"
_DAY_FIRST = re.compile(r"(\d{2})(\d{2})(\d{4})|(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_EXACT = re.compile(r"\d{4}-\d{2}-\d{2}")  # as the document stores dates
_ISO_COMPLETE = re.compile(r"\d{4}-\d{1,2}-\d{2}")


def parse_date(text: str) -> dt.date | None:
    """The date in `text`, day first as Indonesians write it: 06041965, 6-4-1965, 06/04/1965,
    06.04.1965, or ISO 1965-04-06. None when the text is not a date that exists."""
    text = text.strip()
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (group for group in match.groups() if group is not None)
    elif match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _complete(text: str) -> bool:
    """Whether `text` has all the digits of one of the written forms, so that a date that
    does not exist (31-02-1980) is shown as such before the field is left (an ISO date needs
    its two day digits: 1965-04-0 is still being typed)."""
    text = text.strip()
    return bool(_DAY_FIRST.fullmatch(text) or _ISO_COMPLETE.fullmatch(text))


class DateField(TextField):
    """A date typed day first (see `parse_date`); its value is ISO YYYY-MM-DD, or None when
    empty.

    Text that is not a date that exists (31-02-1980, 6-4-65) is never dropped: the field keeps
    it as typed, marks it as an error with a tooltip (at once when the text looks complete,
    else when the field is left), and `value()` returns that text itself, a string that is
    not an ISO date, so the autosaved draft keeps it and the checks report it; `set_value`
    shows such a string unchanged. An ISO date is shown as DD-MM-YYYY."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(10, r"[\d/.-]{0,10}", parent)
        self.setPlaceholderText("HH-BB-TTTT")
        self._hint = f"Tanggal: {DATE_HINT}"
        self.setToolTip(self._hint)
        self._invalid = False  # shown as an error now
        self.editingFinished.connect(lambda: self._show_validity(finished=True))

    def value(self) -> str | None:
        text = self.text().strip()
        if not text:
            return None
        date = parse_date(text)
        return text if date is None else date.isoformat()

    def set_value(self, value: str | None) -> None:
        text = "" if value is None else str(value)
        try:
            date = dt.date.fromisoformat(text) if _ISO_EXACT.fullmatch(text) else None
        except ValueError:
            date = None
        if date is None:
            self.setText(text)
        else:
            self.setText(f"{date.day:02d}-{date.month:02d}-{date.year:04d}")
        self._show_validity(finished=True)

    def is_invalid(self) -> bool:
        """Whether the field shows its text as a date that cannot be read."""
        return self._invalid

    def _user_edited(self, text: str) -> None:
        self._show_validity(finished=False)  # before the form re-runs its checks
        super()._user_edited(text)

    def _show_validity(self, finished: bool) -> None:
        text = self.text().strip()
        if not text or parse_date(text) is not None:
            if self._invalid:
                self._invalid = False
                self.setToolTip(self._hint)
                self._mark(None)
        elif finished or _complete(text):
            self._invalid = True
            self.setToolTip(f"Tanggal tidak valid: {text} ({DATE_HINT})")
            self._mark("error")

    def _mark(self, kind: str | None) -> None:
        self.setStyleSheet(f"background: {ERROR_BACKGROUND};" if kind else "")
        self.setProperty(FINDING_PROPERTY, kind)

    def event(self, event: QEvent) -> bool:
        # The form re-marks its fields after each check; a date that cannot be read stays
        # marked as an error whatever the findings of the moment say.
        if (
            event.type() == QEvent.Type.DynamicPropertyChange
            and self._invalid
            and self.property(FINDING_PROPERTY) not in ("error", "exclusion")
        ):
            self._mark("error")
        return super().event(event)


class BoolField(QCheckBox):
    edited = Signal()

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self._read_only = False
        self.clicked.connect(lambda _checked: self.edited.emit())

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def is_read_only(self) -> bool:
        return self._read_only

    def hitButton(self, pos: QPoint) -> bool:  # a click on a read-only box does nothing
        return not self._read_only and super().hitButton(pos)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._read_only and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select):
            event.accept()  # Space does not toggle a read-only box
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if self._read_only and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select):
            event.accept()
            return
        super().keyReleaseEvent(event)

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: bool | None) -> None:
        self.setChecked(bool(value))
