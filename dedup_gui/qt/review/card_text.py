"""Small helpers of the review's cards: text that fits two lines, a colour on one role, labels
dimmed, bold or elided at the start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import QLabel, QWidget


def colour_role(widget: QWidget, colour: QColor | None, role: QPalette.ColorRole,
                applied: dict[int, str | None]) -> None:
    """One role set on the widget, or none (it then follows the window's palette, light or
    dark, even after the desktop switches). Only when it changes: a new palette lays the label
    out again, and moving to the next group did that ~40 times (2-3x slower)."""
    name = colour.name() if colour is not None else None
    if id(widget) in applied and applied[id(widget)] == name:
        return
    applied[id(widget)] = name
    palette = QPalette()
    if colour is not None:
        palette.setColor(role, colour)
    widget.setPalette(palette)


def two_lines(metrics: QFontMetrics, text: str, width: int) -> str:
    """The text on at most two lines of `width`, broken between words, the rest elided: the
    match's numbers ("phash distance 22, cosine 0.93") come after its words and were cut off on
    one line. Every card keeps room for two lines, so cards of a row stay the same height."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    first = words[0]
    for count in range(1, len(words)):
        if metrics.horizontalAdvance(" ".join(words[:count + 1])) > width:
            break
        first = " ".join(words[:count + 1])
    rest = text[len(first):].lstrip(" ")
    first = metrics.elidedText(first, Qt.TextElideMode.ElideRight, width)
    return f"{first}\n{metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)}"


def dimmed(label: QLabel) -> QLabel:
    """Grey text that stays grey in light and dark palettes (a role, not a colour)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def shrinkable(label: QLabel) -> QLabel:
    """A value never widens the card: its text is elided to the column (full on hover)."""
    label.setMinimumWidth(1)
    return label


def elided_start(label: QLabel, text: str, width: int) -> str:
    """Elided at the start: the end of a name or folder is what tells copies apart."""
    return QFontMetrics(label.font()).elidedText(text, Qt.TextElideMode.ElideLeft, width)


def set_bold(label: QLabel, bold: bool) -> None:
    """Bold on or off, the label's own font otherwise kept (a starred fact is bold)."""
    font = label.font()
    font.setBold(bold)
    label.setFont(font)
