"""The group under review: every file side by side as a card, one of them current.

Keyboard moves are driven by the main window's actions (so they show in the menus); this widget
offers the operations: next/previous file, toggle the current file, the pair to compare.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.common.empty_label import empty_label
from dedup_gui.qt.common.flow_layout import FlowLayout
from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.review.card_files import DatesTaken, card_order
from dedup_gui.qt.review.card_labels import card_facts, kept_now
from dedup_gui.qt.review.card_pool import CardPool
from dedup_gui.qt.review.card_sizes import card_width
from dedup_gui.qt.review.file_card import FileCard
from dedup_gui.qt.review.group_header import GroupHeader, header_parts
from dedup_gui.qt.review.out_of_view import OutOfViewNote
from dedup_gui.qt.review.picture_fit import PictureFit
from dedup_gui.qt.review.review_state import ReviewState

EMPTY_TEXT = "Select a group in the list to review it here."
# Cards shown at once. A burst of hundreds of shots would otherwise build and lay out hundreds of
# widgets in one go (measured: 0.5 s for 341 files); bigger groups are shown a page at a time and
# moving past a page's end turns the page. 48 cards still took 65 ms to build and 48 ms to lay out
# and paint the first time (soak, 346-file group); 24 fill a large screen and take half that.
PAGE = 24


class GroupView(QWidget):
    message = Signal(str)  # a refusal or hint for the status bar
    compare_requested = Signal()
    menu_requested = Signal(object, object)  # path, global QPoint: a card's context menu
    current_changed = Signal()
    # group, its Remove marks before and after a toggle the person made: an Undo step
    marked_by_hand = Signal(int, object, object, str)

    def __init__(self, state: ReviewState, pictures: ThumbnailLoader,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.pictures = pictures
        self.group: int | None = None
        self.cards: list[FileCard] = []  # the ones in use (this page), in order
        self._files: list[GroupFile] = []  # the whole group in card order
        self._facts: list = []  # FileFacts per file, best values judged over the whole group
        self._facts_kept: frozenset[str] = frozenset()  # the kept files they were read for
        self.offset = 0  # index in _files of the first card
        self.current = 0  # index in _files of the current file
        self._refused = False  # the status line holds a refusal of the last toggle
        self._date_taken = DatesTaken(state)
        self.header = GroupHeader()
        self.strip = QWidget()
        self.strip_layout = FlowLayout(self.strip)
        self._pool = CardPool(self.strip_layout, self._prepare_card, ahead=PAGE)
        self.scroll = QScrollArea()
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.strip)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.picture_fit = PictureFit(self.scroll.viewport(), self.strip_layout, self._pool,
                                      self._resize_cards, self)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.header)
        page_layout.addWidget(self.scroll, 1)
        self.out_of_view = OutOfViewNote(self.scroll, lambda: self.cards)
        page_layout.addWidget(self.out_of_view)
        self.empty = empty_label(EMPTY_TEXT)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        state.group_changed.connect(self._on_group_changed)
        state.reset.connect(lambda: self.show_group(None))
        pictures.ready.connect(self._on_picture)

    # -- showing a group ---------------------------------------------------------------------
    def show_group(self, group: int | None, empty_text: str = EMPTY_TEXT) -> None:
        previous = self.current_path()
        self.group = group
        if group is None or group >= len(self.state.groups):
            self.group = None
            self._files, self._facts = [], []
            self.cards = self._pool.use(0)
            self.empty.setText(empty_text)
            self.stack.setCurrentIndex(0)
            self.current_changed.emit()
            return
        self._files = card_order(self.state, group)
        self._facts, self._facts_kept = card_facts(self.state, group, self._files,
                                                   self._date_taken)
        paths = [f.path for f in self._files]
        self.current = paths.index(previous) if previous in paths else 0
        self._show_page(self.current - self.current % PAGE)
        self._refresh()
        self.stack.setCurrentIndex(1)
        self.scroll.ensureVisible(0, 0)
        self.current_changed.emit()

    def _show_page(self, offset: int) -> None:
        self.offset = offset
        page = self._facts[offset:offset + PAGE]
        self.cards = self._pool.use(len(page))
        for card, facts in zip(self.cards, page, strict=True):
            card.set_facts(facts)

    def _prepare_card(self, card: FileCard) -> None:
        """A card new in the pool: the size in use, its clicks to this view."""
        card.set_side(self.side)
        card.toggled.connect(self._toggle_path)
        card.activated.connect(self._activate_path)
        card.compare.connect(self._compare_path)
        card.menu_requested.connect(self.menu_requested)

    # -- picture size: the person's choice, and the window's height --------------------------
    @property
    def side(self) -> int:
        """The pictures' side in use: the chosen one, smaller when a card would not fit."""
        return self.picture_fit.side

    @property
    def chosen_side(self) -> int:
        """View ▸ Larger / Smaller pictures."""
        return self.picture_fit.chosen_side

    def set_picture_side(self, side: int) -> None:
        self.picture_fit.choose(side)

    def fitted(self) -> bool:
        """The cards have the size the window allows now (no resize waiting to be fitted)."""
        return self.picture_fit.fitted()

    def cards_width(self, count: int) -> int:
        """The strip's width for `count` cards side by side at the size in use."""
        margins = self.strip_layout.contentsMargins()
        return (margins.left() + margins.right() + count * card_width(self.side)
                + (count - 1) * self.strip_layout.spacing())

    def _resize_cards(self, side: int) -> None:
        """The fitting side changed (picture_fit.py): pictures decoded and cards laid out anew."""
        self.pictures.set_side(side)
        for card in self._pool:
            card.set_side(side)
        self._refresh()
        self.out_of_view.schedule()

    def _refresh(self) -> None:
        if self.group is None:
            return
        group = self.group
        if kept_now(self.state, group) != self._facts_kept:  # labels follow the marks
            self._facts, self._facts_kept = card_facts(self.state, group, self._files,
                                                       self._date_taken)
            self._show_page(self.offset)
        for index, card in enumerate(self.cards, start=self.offset):
            card.set_state(remove=self.state.is_marked(group, card.path),
                           protected=card.path in self.state.protected,
                           trashed=card.path in self.state.trashed,
                           gone=card.path in self.state.gone,
                           moved_to=self.state.moved_to.get(card.path, ""))
            card.set_current(index == self.current)
            self._load_picture(card, self._files[index])
        files = len(self.state.groups[group].files)
        showing = (self.offset + 1, self.offset + len(self.cards)) if files > PAGE else None
        self.header.set_parts(*header_parts(self.state, group, showing))
        self.out_of_view.schedule()

    def _load_picture(self, card: FileCard, file: GroupFile) -> None:
        pixmap = self.pictures.get(file.path, file.mtime_ns)
        card.set_picture(pixmap, failed=self.pictures.failed(file.path, file.mtime_ns))

    def _on_picture(self, path: str) -> None:
        if self.group is None:
            return
        for index, card in enumerate(self.cards, start=self.offset):
            if card.path == path:
                self._load_picture(card, self._files[index])

    def _on_group_changed(self, group: int) -> None:
        if group == self.group:
            self._refresh()

    # -- operations the window's actions call ------------------------------------------------
    def current_path(self) -> str | None:
        return self._files[self.current].path if self.cards else None

    def move(self, step: int) -> None:
        if self.cards:
            self.current = max(0, min(len(self._files) - 1, self.current + step))
            if not self.offset <= self.current < self.offset + len(self.cards):
                self._show_page(self.current - self.current % PAGE)
            self._refresh()
            self.scroll.ensureWidgetVisible(self.cards[self.current - self.offset])
            self.current_changed.emit()

    def toggle_current(self) -> None:
        if (path := self.current_path()) is not None:
            self._toggle_path(path)

    def compare_pair(self) -> tuple[GroupFile, GroupFile] | None:
        """The keeper on the left, as the group view shows it first, and the current file on
        the right (when the current file is the keeper, the next file). Why that way round:
        Compare's K is "keep left, remove right"; with the current file on the left, K on a
        copy kept the copy and marked the original Remove (a first-user review)."""
        if self.group is None or len(self.cards) < 2:
            return None
        files = self._files
        current = files[self.current]
        keeper = self.state.keeper(self.group)
        other = current if keeper.path != current.path else files[(self.current + 1) % len(files)]
        return keeper, other

    def _toggle_path(self, path: str) -> None:
        """Toggle; a refusal goes to the status line, and the next toggle that is taken clears
        it (it stayed for its 8 s, beside a card that had just changed)."""
        if self.group is None:
            return
        group, before = self.group, set(self.state.remove[self.group])
        refusal = self.state.toggle(group, path)
        if refusal or self._refused:
            self.message.emit(refusal or "")
        self._refused = bool(refusal)
        if not refusal and (after := set(self.state.remove[group])) != before:
            word = "Remove" if path in after else "Keep"
            self.marked_by_hand.emit(group, before, after, f"{word} {os.path.basename(path)}")

    def _activate_path(self, path: str) -> None:
        self.current = [f.path for f in self._files].index(path)
        self._refresh()
        self.current_changed.emit()

    def _compare_path(self, path: str) -> None:
        self._activate_path(path)
        self.compare_requested.emit()
