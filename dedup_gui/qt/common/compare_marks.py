"""Keep / Remove in the compare view: the person decides while looking at the two files.

The dialog knows nothing of the review: it is handed `MarkCalls`, which read and set a file's
mark through the same ReviewState path the cards use (its guards refuse a protected file and
the group's last kept file, and say why). A keep is always applied before a remove, so "keep
the right, remove the left" works even when the right one was marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from dedup_gui.qt.common import appearance

SIDES = ("left", "right")


@dataclass(frozen=True, slots=True)
class MarkCalls:
    is_marked: Callable[[str], bool]  # path -> marked Remove?
    set_marked: Callable[[str, bool], str | None]  # path, remove -> why refused, or None


# (button text, key, remove left?, remove right?)
CHOICES = (("Keep left, remove right", "K", False, True),
           ("Remove left, keep right", "R", True, False),
           ("Keep both", "B", False, False))


class MarkBar(QWidget):
    """Three buttons with their keys, and a line that says what was refused."""

    def __init__(self, paths: tuple[str, str], calls: MarkCalls, on_change: Callable[[], None],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.paths, self.calls, self.on_change = paths, calls, on_change
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        for text, key, left, right in CHOICES:
            button = QPushButton(f"{text} ({key})")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, lr=(left, right): self.choose(*lr))
            QShortcut(QKeySequence(key), parent, activated=lambda lr=(left, right):
                      self.choose(*lr))
            self.buttons[key] = button
            row.addWidget(button)
        self.refusal = QLabel()
        self._tone_refusal()
        row.addWidget(self.refusal, 1)

    def choose(self, remove_left: bool, remove_right: bool) -> None:
        """Set both marks, keeps first; a refused remove leaves that file kept and says why."""
        wanted = dict(zip(self.paths, (remove_left, remove_right), strict=True))
        order = sorted(wanted.items(), key=lambda item: item[1])  # keeps before removes
        refusals = [why for path, remove in order
                    if (why := self.calls.set_marked(path, remove))]
        self.refusal.setText(" ".join(dict.fromkeys(refusals)))
        self.on_change()

    def _tone_refusal(self) -> None:
        """Why a mark was refused, in the theme's red (a fixed dark red was unread on dark)."""
        tone = appearance.tone(self.palette(), appearance.REMOVE).name()
        if self.refusal.styleSheet() != f"color: {tone};":
            self.refusal.setStyleSheet(f"color: {tone};")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "refusal"):
            self._tone_refusal()
