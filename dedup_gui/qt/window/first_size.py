"""The window's size on a first launch (no saved geometry): the default, shrunk to the screen.

Why: the default 1360 × 860 is taller than a 1366 × 768 laptop's screen; the window opened with
its status line (the count of what is marked Remove) and the similar shots' buttons below the
screen's edge (a first-user review). Qt restores a saved geometry onto the screen by itself.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

DEFAULT = QSize(1360, 860)
MINIMUM = QSize(900, 600)
# The title bar and borders the window manager adds, unknown before the window is shown.
FRAME = QSize(16, 48)


def fitted(room: QSize, default: QSize = DEFAULT, minimum: QSize = MINIMUM) -> QSize:
    """`default` bounded by `room` (the screen's free area) less FRAME; `default` itself when
    the room cannot hold even `minimum` (no size fits there, and the minimum wins anyway)."""
    free = room - FRAME
    if free.width() < minimum.width() or free.height() < minimum.height():
        return QSize(default)
    return default.boundedTo(free)


def screen_room(window: QWidget) -> QSize:
    """The free area (panels and docks left out) of the screen the window opens on."""
    return window.screen().availableGeometry().size()
