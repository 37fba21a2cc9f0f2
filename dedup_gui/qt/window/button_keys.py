"""Space and Enter on a focused button press that button, not the window's shortcut.

The review's single keys are window-wide shortcuts (Space toggles the current file's mark,
Enter compares), so a button reached with Tab (Add folder…, Scan, a shot's Keep/Remove) never
got them: Enter on a focused "Add folder…" opened Compare (a real-window check). A shortcut is
offered to the focused widget first (ShortcutOverride); for a focused button these keys are
taken back here, Space then presses it as Qt's buttons do, and Enter clicks it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

_PRESS = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ButtonKeys(QObject):
    """Filters the keys of each button of `window` that takes the focus (not every event of
    the application: a Python filter there would run for each paint and mouse move)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        QApplication.instance().focusChanged.connect(self._focused)

    def _focused(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QAbstractButton) and new.window() is self.window:
            new.installEventFilter(self)  # once: installing again only moves it first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(watched, QAbstractButton) or not watched.hasFocus():
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() not in _PRESS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key goes to the button, not to the window's shortcut
            return False
        if event.key() != Qt.Key.Key_Space and watched.isEnabled():
            watched.animateClick()  # Enter: a button outside a dialog ignores it otherwise
            return True
        return False
