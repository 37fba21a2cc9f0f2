"""The note under a group's cards that says which of them are out of view.

A narrow window wraps the fifth card of a group below the fold, a short one cuts a row's
Keep/Remove buttons off; a first-user review found a card marked Remove that nobody could see
with only a scrollbar hinting it was there. The note counts the cards out of view, says
how many of them are marked Remove, and its link scrolls the next one into view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from dedup_gui.qt.common import appearance
from dedup_gui.qt.review.file_card import FileCard
from dedup_gui.text import plural

SETTLE_MS = 30  # after a layout or scroll: the cards have their new places by then


def out_of_view(cards: Sequence[FileCard], viewport: QWidget) -> list[FileCard]:
    """The cards a person cannot take in, in card order: Keep/Remove button not wholly in
    view, or less than half the card showing. Not "not wholly inside": a row scrolled a few
    pixels made "4 of 5 files are out of view" with every name and button on screen (a
    real-window check)."""
    area = viewport.rect()
    return [card for card in cards if not _in_view(card, viewport, area)]


def _in_view(card: FileCard, viewport: QWidget, area: QRect) -> bool:
    box = QRect(card.mapTo(viewport, QPoint(0, 0)), card.size())
    button = QRect(card.toggle.mapTo(viewport, QPoint(0, 0)), card.toggle.size())
    shown = box.intersected(area)
    return area.contains(button) and 2 * shown.width() * shown.height() >= \
        box.width() * box.height()


def note_text(hidden: int, total: int, marked: int, colour: str, link_colour: str = "") -> str:
    """'2 of 5 files are not wholly in view, 1 of them marked Remove · Show the next' (a card
    counts when its button is cut off: "out of view" beside cards plainly on screen, their
    buttons below the edge, read as wrong in a small-screen check)."""
    verb = "is" if hidden == 1 else "are"
    text = f"{hidden} of {plural(total, 'file')} {verb} not wholly in view"
    if marked:
        which = "" if hidden == 1 else f"{marked} of them "
        text += f", <b style='color:{colour}'>{which}marked Remove</b>"
    link = f"style='color:{link_colour}'" if link_colour else ""
    return f"{text} · <a href='next' {link}>Show {'it' if hidden == 1 else 'the next'}</a>"


class OutOfViewNote(QLabel):
    """Hidden while every card is in view; kept up to date as the view scrolls and resizes."""

    def __init__(self, scroll: QScrollArea, cards: Callable[[], Sequence[FileCard]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scroll, self.cards = scroll, cards
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(4, 2, 4, 2)
        self.linkActivated.connect(lambda _link: self.show_next())
        self._timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        bar = scroll.verticalScrollBar()
        bar.valueChanged.connect(self.schedule)
        bar.rangeChanged.connect(self.schedule)
        scroll.viewport().installEventFilter(self)
        scroll.widget().installEventFilter(self)
        self.hide()

    def schedule(self) -> None:
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self.schedule()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (light or dark, chosen in Preferences) recolours the note's red and
        its link: written into the text, they kept the old theme's dark red and blue, hard to
        read on dark grey (a small-screen check)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.isVisible():
            self.schedule()

    def hidden_cards(self) -> list[FileCard]:
        return out_of_view(self.cards(), self.scroll.viewport())

    def refresh(self) -> None:
        hidden = self.hidden_cards()
        if not hidden:
            self.hide()
            return
        marked = sum(card.remove for card in hidden)
        palette = self.palette()
        colour = appearance.tone(palette, appearance.REMOVE).name()
        link = palette.color(QPalette.ColorRole.Link).name()
        self.setText(note_text(len(hidden), len(self.cards()), marked, colour, link))
        self.show()

    def show_next(self) -> None:
        """Scrolls the first card out of view into view (the next, on the next click)."""
        if hidden := self.hidden_cards():
            self.scroll.ensureWidgetVisible(hidden[0], 0, 0)
            self.schedule()
