"""The window's size on a first launch (no saved geometry): the default, shrunk to the screen.

Why: the default 1360 × 860 is taller than a 1366 × 768 laptop's screen; the window opened with
its status line (the count of what is marked Remove) and the similar shots' buttons below the
screen's edge (a first-user review). Qt restores a saved geometry onto the screen by itself.
A screen with less free room than MINIMUM (a 1366 × 768 laptop at 150 % is 910 × 512 in Qt's
units; 1920 × 1080 at 175 % is 1097 × 617) gets a window and a minimum that fit it: the window
opened at the default size there, 2040 × 1290 pixels on a 1366 × 768 screen, its review pane,
status line and buttons beyond the screen's edges (a small-screen check).
"""

from __future__ import annotations

from PySide6.QtCore import QSize

from dedup_gui.qt.common.screen_fit import FRAME
from dedup_gui.qt.common.screen_fit import screen_room as screen_room  # tests replace it here

DEFAULT = QSize(1360, 860)
MINIMUM = QSize(900, 600)
FLOOR = QSize(640, 400)  # the least the panes need to show a group at all


def fitted(room: QSize, default: QSize = DEFAULT) -> QSize:
    """`default` bounded by `room` (the screen's free area) less FRAME, never below FLOOR."""
    return default.boundedTo(room - FRAME).expandedTo(FLOOR)


def minimum_for(room: QSize) -> QSize:
    """MINIMUM, or FLOOR where `room` less FRAME cannot hold MINIMUM: a minimum as large as the
    screen left a window that could not be made smaller or tiled (a small-screen check)."""
    free = room - FRAME
    if free.width() < MINIMUM.width() or free.height() < MINIMUM.height():
        return QSize(FLOOR)
    return QSize(MINIMUM)
