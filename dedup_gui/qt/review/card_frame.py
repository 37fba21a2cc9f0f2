"""The frame a file card paints around itself: thick, in the highlight colour, round the current
file; the Remove tint as its background while the file is marked Remove.

A module of its own because it is how a card is styled at all: painted, and through palettes,
never a style sheet (cards are reused and restyled at every move to the next group, which must
take a few milliseconds, not a hundred: file_card.py).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QWidget

from dedup_gui.qt.common import appearance

CORNER = 6.0  # px: the frame's rounded corners


def paint_frame(card: QWidget, *, current: bool, remove: bool) -> None:
    """The frame and background over the whole card, in its palette's tones (light or dark)."""
    painter = QPainter(card)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    palette = card.palette()
    width = 3.0 if current else 1.0
    border = palette.color(QPalette.ColorRole.Highlight if current else QPalette.ColorRole.Mid)
    painter.setPen(border)
    pen = painter.pen()
    pen.setWidthF(width)
    painter.setPen(pen)
    painter.setBrush(appearance.tint(palette, appearance.REMOVE) if remove
                     else palette.color(QPalette.ColorRole.Base))
    inset = width / 2
    painter.drawRoundedRect(QRectF(card.rect()).adjusted(inset, inset, -inset, -inset),
                            CORNER, CORNER)
    painter.end()
