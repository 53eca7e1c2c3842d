"""Input widgets that hold document values: each has `value()`, `set_value(v)` and an
`edited` signal emitted only on user edits (not when the program sets a value)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QRegularExpression, QSignalBlocker, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from app.core import codes

NONE_LABEL = "— pilih —"


class CodeCombo(QComboBox):
    """A choice among the questionnaire's codes, shown with their Indonesian labels."""

    edited = Signal()

    def __init__(
        self, section: str, field: str, nullable: bool = True, parent: QWidget | None = None
    ):
        super().__init__(parent)
        if nullable:
            self.addItem(NONE_LABEL, None)
        for code, text in codes.choices(section, field):
            self.addItem(text, code)
        self.setAccessibleName(codes.title(section, field))
        # long labels must not force the form wider than a 1366-pixel counter screen
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        # currentIndexChanged also covers choosing by typing the first letters of a label
        self.currentIndexChanged.connect(lambda _index: self.edited.emit())

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self):
            self.setCurrentIndex(max(self.findData(value), 0))


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
        self.textEdited.connect(lambda _text: self.edited.emit())

    def value(self) -> str | None:
        text = self.text().strip()
        return text or None

    def set_value(self, value: str | None) -> None:
        self.setText(value or "")


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


class DateField(TextField):
    """A date typed as DD-MM-YYYY (or DD/MM/YYYY); its value is ISO YYYY-MM-DD or None."""

    _PATTERN = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(10, r"[\d/.-]{0,10}", parent)
        self.setPlaceholderText("HH-BB-TTTT")

    def value(self) -> str | None:
        match = self._PATTERN.match(self.text().strip())
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None

    def set_value(self, value: str | None) -> None:
        if not value:
            self.setText("")
            return
        date = dt.date.fromisoformat(value)
        self.setText(f"{date.day:02d}-{date.month:02d}-{date.year:04d}")


class BoolField(QCheckBox):
    edited = Signal()

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.clicked.connect(lambda _checked: self.edited.emit())

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: bool | None) -> None:
        self.setChecked(bool(value))
