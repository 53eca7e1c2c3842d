"""A stacked bar chart drawn with QPainter (issue 18): households (KK) per RW by status, in
the recap's colours (app/receipts/recap_content.py). QtCharts is not in PySide6-Essentials and
pyqtgraph would bring numpy for a few dozen bars, so the *Ringkasan* screen draws them itself."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.receipts.formatting import thousands


class StackedBars(QWidget):
    """Bars per category, each a stack of (series) values; a legend of the series on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.categories: list[str] = []
        self.series: list[tuple[str, str, list[int]]] = []  # (label, colour, value per category)
        self.setMinimumSize(420, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Grafik keluarga per RW menurut status")

    def set_data(self, categories: list[str], series: list[tuple[str, str, list[int]]]) -> None:
        self.categories, self.series = categories, series
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(560, 280)

    def totals(self) -> list[int]:
        return [sum(values[i] for _l, _c, values in self.series)
                for i in range(len(self.categories))]  # fmt: skip

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        legend_width = max((metrics.horizontalAdvance(label) for label, _c, _v in self.series),
                           default=0) + line + 12  # fmt: skip
        top = self._peak()
        axis = metrics.horizontalAdvance(thousands(top)) + 8
        plot = QRectF(axis, line / 2, self.width() - axis - legend_width - 10,
                      self.height() - 2 * line - 8)  # fmt: skip
        painter.setPen(self.palette().text().color())
        for step in range(5):  # value axis: 0, 1/4, ... of the peak
            value = top * step // 4
            y = plot.bottom() - plot.height() * step / 4
            painter.drawText(QRectF(0, y - line / 2, axis - 4, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             thousands(value))  # fmt: skip
            painter.setPen(QColor(210, 210, 210))
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(self.palette().text().color())
        count = max(len(self.categories), 1)
        slot = plot.width() / count
        bar = max(slot * 0.7, 1.0)
        for i, name in enumerate(self.categories):
            x = plot.left() + i * slot + (slot - bar) / 2
            y = plot.bottom()
            for _label, colour, values in self.series:
                height = plot.height() * values[i] / top
                painter.fillRect(QRectF(x, y - height, bar, height), QColor(colour))
                y -= height
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(slot))
            painter.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 2, slot, line),
                             Qt.AlignmentFlag.AlignHCenter, shown)  # fmt: skip
        x = self.width() - legend_width
        for row, (label, colour, _values) in enumerate(self.series):
            y = plot.top() + row * (line + 4)
            painter.fillRect(QRectF(x, y + 2, line - 4, line - 4), QColor(colour))
            painter.drawText(QRectF(x + line, y, legend_width - line, line),
                             Qt.AlignmentFlag.AlignVCenter, label)  # fmt: skip
        painter.end()

    def _peak(self) -> int:
        """The top of the value axis: the highest bar, rounded up to a multiple of 4 x 10^k."""
        highest = max(self.totals(), default=0)
        if highest <= 0:
            return 4
        unit = 1
        while unit * 40 < highest:
            unit *= 10
        return -(-highest // (4 * unit)) * 4 * unit
