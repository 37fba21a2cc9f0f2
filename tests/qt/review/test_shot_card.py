"""A shot card's best-shot reason is shown whole: aligned left in its column it got one line's
height and read "Best shot: as sharp as the" (a real-window check)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.review.shot_card import ShotCard


def test_the_best_shot_reason_gets_the_height_it_needs(qtbot: QtBot) -> None:
    card = ShotCard()
    qtbot.addWidget(card)
    card.show_shot(GroupFile("/p/IMG_0012.JPG", 1000, 1, 4000, 3000, "JPEG"),
                   "among the sharpest of 6, no clipped highlights or shadows", False, True)
    card.show()
    qtbot.waitExposed(card)
    best = card.best
    assert best.width() >= card.contentsRect().width() - 24  # the column's width
    assert best.height() >= best.heightForWidth(best.width())  # every line shown
