"""A status-line message fitted to the room the status bar leaves it.

Why: the status bar draws a message on one line and cuts it, mid-word and without a mark, at
the permanent counts on its right. An enthusiast's check read "...3 exposure brackets left
whole: their frames are for merging. 9 shots mark" and never learnt that 9 shots were marked,
nor that the whole message waits in View > Recent messages (message_log.py). A message that
does not fit now ends in an ellipsis and says where it is whole.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStatusBar, QWidget

WHOLE = " (whole in View ▸ Recent messages)"
PADDING = 24  # px the status bar keeps around its message and between its widgets


def fitted(text: str, metrics: QFontMetrics, room: int) -> str:
    """`text` as it is when it fits in `room` px, else cut with an ellipsis and the hint."""
    if metrics.horizontalAdvance(text) <= room:
        return text
    cut = metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                             max(0, room - metrics.horizontalAdvance(WHOLE)))
    return cut + WHOLE


def room_left(bar: QStatusBar, permanent: tuple[QWidget, ...]) -> int:
    """The px a message has: the bar's width less its visible permanent widgets."""
    taken = sum(w.sizeHint().width() + PADDING for w in permanent if w.isVisible())
    return bar.width() - taken - PADDING
