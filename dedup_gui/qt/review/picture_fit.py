"""The size of the group view's pictures: the person's choice, or smaller in a short window.

A module of its own because it is a small machine of its own, apart from what the cards show: it
watches the review's viewport, waits for the last step of a resize (pictures are decoded again
at each new size), and picks the largest side with which a whole card, its Keep/Remove button
included, fits the height (a button cut off at the bottom of a short window was not seen).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from dedup_gui.qt.common.flow_layout import FlowLayout
from dedup_gui.qt.review.card_pool import CardPool
from dedup_gui.qt.review.card_sizes import PICTURE_SIDE, side_for_height

FIT_AFTER_MS = 150  # after the last resize step: pictures are decoded again at the new size


class PictureFit(QObject):
    """`side` is the one in use; `resized(side)` is called when it changes. The cards of `pool`
    lie in `layout` inside `viewport`."""

    def __init__(self, viewport: QWidget, layout: FlowLayout, pool: CardPool,
                 resized: Callable[[int], None], parent: QObject) -> None:
        super().__init__(parent)
        self.viewport, self.layout, self.pool = viewport, layout, pool
        self.resized = resized
        self.chosen_side = PICTURE_SIDE  # View ▸ Larger / Smaller pictures
        self.side = PICTURE_SIDE  # in use: the chosen side, smaller when a card would not fit
        self.timer = QTimer(self, singleShot=True, interval=FIT_AFTER_MS)
        self.timer.timeout.connect(self.fit)
        viewport.installEventFilter(self)

    def choose(self, side: int) -> None:
        self.chosen_side = side
        self.fit()

    def fitting_side(self) -> int:
        """The size with which a whole card fits the height of the review (a card taller than
        the window cannot be seen at once)."""
        if not self.viewport.isVisible():  # no height to fit yet
            return self.chosen_side
        card = self.pool.sample()
        chrome = card.sizeHint().height() - card.side
        room = self.viewport.height() - 2 * self.layout.spacing()
        return side_for_height(self.chosen_side, chrome, room)

    def fitted(self) -> bool:
        """The cards have the size the window allows now (no resize waiting to be fitted)."""
        return not self.timer.isActive() and self.side == self.fitting_side()

    def fit(self) -> None:
        side = self.fitting_side()
        if side != self.side:
            self.side = side
            self.resized(side)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.timer.start()
        return super().eventFilter(watched, event)
