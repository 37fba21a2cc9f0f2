"""The group view's cards: made once, reused from group to group, a page of them made ahead.

A module of its own because making cards, not filling them in, is what costs: a burst of
hundreds of shots once built and laid out hundreds of widgets in one go (0.5 s for 341 files).
The pool keeps every card it made, hides the spare ones, and makes a page of them while the app
is idle, so opening the first big group only fills them in; the group view says how many it
needs and what they show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import QTimer

from dedup_gui.qt.common.flow_layout import FlowLayout
from dedup_gui.qt.review.file_card import FileCard

PREBUILD_AFTER_MS = 500  # the first window is painted by then
PREBUILD_STEP = 4  # cards per turn of the event loop: ~3 ms


class CardPool:
    """The cards in `layout`, in the order made; `prepare` gives a new card its size and
    connects its signals; `ahead` cards are made while idle."""

    def __init__(self, layout: FlowLayout, prepare: Callable[[FileCard], None],
                 ahead: int) -> None:
        self.layout = layout
        self.prepare = prepare
        self.ahead = ahead
        self.cards: list[FileCard] = []
        # Timed on the strip's widget: no card is made once the view is gone.
        QTimer.singleShot(PREBUILD_AFTER_MS, layout.parentWidget(), self._prebuild)

    def __len__(self) -> int:
        return len(self.cards)

    def __iter__(self) -> Iterator[FileCard]:
        return iter(self.cards)

    def use(self, count: int) -> list[FileCard]:
        """`count` cards shown, the first ones made (for earlier groups too); the rest hidden."""
        while len(self.cards) < count:
            self._new_card()
        for index, card in enumerate(self.cards):
            card.setVisible(index < count)
        return self.cards[:count]

    def sample(self) -> FileCard:
        """A card to measure: the first one made, else a new one that is never shown."""
        return self.cards[0] if self.cards else FileCard()

    def _new_card(self) -> None:
        card = FileCard()
        self.prepare(card)
        self.layout.addWidget(card)
        card.setVisible(False)
        self.cards.append(card)

    def _prebuild(self) -> None:
        """A few cards per turn of the event loop, until `ahead` are made."""
        for _ in range(PREBUILD_STEP):
            if len(self.cards) >= self.ahead:
                return
            self._new_card()
        QTimer.singleShot(0, self.layout.parentWidget(), self._prebuild)
