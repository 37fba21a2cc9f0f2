"""A status bar whose message, when too long for the room it has, is drawn cut with an
ellipsis and a pointer to where it is whole.

Why: QStatusBar draws a message on one line and cuts it, mid-word and without a mark, at the
permanent counts on its right. An enthusiast's check read "...3 exposure brackets left whole:
their frames are for merging. 9 shots mark" and never learnt that 9 shots were marked, nor that
the whole message waits in View > Recent messages (message_log.py). Only the drawing changes:
currentMessage() stays whole for everything that reads it.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QStatusBar, QStyle, QStyleOption, QWidget

WHOLE = " (whole in View ▸ Recent messages)"
MARGIN = 6  # px QStatusBar leaves left of its message and before its permanent widgets


def fitted(text: str, metrics: QFontMetrics, room: int) -> str:
    """`text` as it is when it fits in `room` px, else cut with an ellipsis and the hint."""
    if metrics.horizontalAdvance(text) <= room:
        return text
    cut = metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                             max(0, room - metrics.horizontalAdvance(WHOLE)))
    return cut + WHOLE


class FittingStatusBar(QStatusBar):
    """QStatusBar drawing its message with fitted() (module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._permanent: list[QWidget] = []

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:
        self._permanent.append(widget)
        super().addPermanentWidget(widget, stretch)

    def message_rect(self) -> QRect:
        """Where the message is drawn: from the left margin to the first permanent widget."""
        right = self.width() - 2 * MARGIN
        for widget in self._permanent:
            if widget.isVisible():
                right = min(right, widget.x() - MARGIN)
        return QRect(MARGIN, 0, max(0, right - MARGIN), self.height())

    def shown_text(self) -> str:
        """The message as drawn: whole when it fits, else cut with the hint."""
        return fitted(self.currentMessage(), self.fontMetrics(), self.message_rect().width())

    def paintEvent(self, event: QPaintEvent) -> None:
        message = self.currentMessage()
        shown = self.shown_text()
        if shown == message:
            super().paintEvent(event)
            return
        painter = QPainter(self)  # as QStatusBar paints, with the fitted text
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter,
                                   self)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(self.message_rect(), Qt.AlignmentFlag.AlignLeading
                         | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine, shown)
