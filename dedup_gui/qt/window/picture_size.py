"""View ▸ Larger / Smaller pictures (Ctrl+= / Ctrl+-, Ctrl+0 for the default): the review cards'
thumbnail size, one of a few steps, remembered in the settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from dedup_gui.qt.review.card_sizes import PICTURE_SIDE, PICTURE_SIDES


def nearest_side(side: int) -> int:
    """A saved size that is not one of the steps (edited by hand, an older step list) snaps."""
    return min(PICTURE_SIDES, key=lambda s: (abs(s - side), s))


class PictureSize(QObject):
    def __init__(self, window: QWidget, side: int, apply: Callable[[int], None]) -> None:
        super().__init__(window)
        self.side = nearest_side(side)
        self._apply = apply
        self.larger = self._action(window, "L&arger pictures", ["Ctrl+=", "Ctrl++"], 1)
        self.smaller = self._action(window, "Smalle&r pictures", ["Ctrl+-"], -1)
        self.reset = self._action(window, "&Default picture size", ["Ctrl+0"], 0)
        self._update()

    def _action(self, window: QWidget, text: str, keys: list[str], step: int) -> QAction:
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setToolTip(f"{text.replace('&', '')} ({keys[0]})")
        action.setStatusTip("The size of the pictures on the review's cards")
        action.triggered.connect(lambda: self.step(step))
        return action

    def actions(self) -> list[QAction]:
        return [self.larger, self.smaller, self.reset]

    def step(self, step: int) -> None:
        """One step larger (1), smaller (-1), or back to the default (0)."""
        index = PICTURE_SIDES.index(self.side)
        index = PICTURE_SIDES.index(PICTURE_SIDE) if step == 0 else \
            max(0, min(len(PICTURE_SIDES) - 1, index + step))
        if PICTURE_SIDES[index] != self.side:
            self.side = PICTURE_SIDES[index]
            self._apply(self.side)
        self._update()

    def _update(self) -> None:
        self.larger.setEnabled(self.side < PICTURE_SIDES[-1])
        self.smaller.setEnabled(self.side > PICTURE_SIDES[0])
        self.reset.setEnabled(self.side != PICTURE_SIDE)
