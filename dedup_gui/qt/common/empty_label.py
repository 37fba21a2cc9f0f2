"""The grey, centred sentence a pane shows in its place while it has nothing to show.

A module of its own because three panes show one (the group under review, the list of groups,
Find similar photos) and none of them owns it: the other two imported the group view for it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def empty_label(text: str) -> QLabel:
    """Placeholder-coloured, so it reads as a hint in light and dark palettes alike."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text); font-size: 14px; padding: 24px;")
    return label
