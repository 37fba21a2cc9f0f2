"""First sizes of windows and dialogs, bounded by the free room of the screen they open on.

Why: the dialogs open at fixed sizes (the comparison 1200 × 760, similar pictures 940 × 700,
preferences 560 × 560), and at 150 % scaling a 1366 × 768 laptop's screen is 910 × 512 in Qt's
units: they reached beyond the screen's edges, their buttons out of reach (a small-screen
check). Qt does not shrink a window to its screen by itself; window managers differ.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The title bar and borders the window manager adds, unknown before the window is shown.
FRAME = QSize(16, 48)


def screen_room(widget: QWidget) -> QSize:
    """The free area (panels and docks left out) of the screen `widget` opens on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size()


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """`widget` at `width` × `height`, or as much of it as its screen holds with a frame."""
    widget.resize(QSize(width, height).boundedTo(screen_room(widget) - FRAME))
