"""The window's place and size, its toolbar and docks, kept in the settings from run to run.

A module of its own because Qt's encoding of them (opaque bytes, stored as base64 text) and the
fallback on a first launch (a size fitted to the screen: first_size.py) are no concern of the
window's construction or of its closing.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow

from dedup_gui.qt.window import first_size
from dedup_gui.settings import Settings


def restore_layout(window: QMainWindow, settings: Settings) -> None:
    """As it was left; fitted to the screen when nothing was saved or Qt cannot restore it."""
    geometry = QByteArray.fromBase64(settings.window_geometry.encode())
    if geometry.isEmpty() or not window.restoreGeometry(geometry):
        window.resize(first_size.fitted(first_size.screen_room(window)))
    state = QByteArray.fromBase64(settings.window_state.encode())
    if not state.isEmpty():
        window.restoreState(state)
    window.setMinimumSize(first_size.minimum_for(first_size.screen_room(window)))


def save_layout(window: QMainWindow, settings: Settings) -> None:
    """Written into `settings`; saved with them."""
    settings.window_geometry = bytes(window.saveGeometry().toBase64()).decode()
    settings.window_state = bytes(window.saveState().toBase64()).decode()
