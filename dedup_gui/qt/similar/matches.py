"""The matches of a "find similar" search as a grid of thumbnails, best first, each captioned
with its name and how alike it is (in the words of the engine's tiers). A name that appears
twice (copies in two folders, or the photo searched for) shows its folders too, elided at the
start so the end that differs stays visible; the full path is in the tooltip."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QWidget,
)

from dedup_gui.engine.tiers import DEFAULT_TIER_THRESHOLDS
from dedup_gui.qt.common.thumbnails import ThumbnailLoader, on_square, placeholder
from dedup_gui.tasks.similar import SimilarPhoto
from dedup_gui.text import human_bytes

ICON_SIDE = 160
MATCH_ROLE = Qt.ItemDataRole.UserRole + 1


def likeness(match: SimilarPhoto) -> tuple[str, str]:
    """What a match is to a person, short and long: the scan's verdict where the engine
    checked it (a match alike enough to be a copy: a burst neighbour looks 98 % alike and is
    another moment), else the engine's tier thresholds (the ones a scan groups by)."""
    if match.checked and match.same is True:
        return "same photo", f"the same photo, a copy or an edited copy ({match.evidence})"
    if match.checked and match.same is False:
        return "other photo", f"another photo, not a copy of it ({match.evidence})"
    cosine = 1.0 - match.distance
    if cosine >= DEFAULT_TIER_THRESHOLDS.edited_cosine:
        return "maybe a copy", ("an edited copy or another shot of the scene: "
                                "the pixels do not tell which")
    if cosine >= DEFAULT_TIER_THRESHOLDS.similar_cosine:
        return "similar shot", "a similar shot"
    return "alike", "a different picture, only loosely alike"


def counts_as_copy(match: SimilarPhoto) -> bool:
    """Whether a match added to a group joins it as an edited copy (else as a similar shot):
    not when the engine found it another photo, nor when it is only loosely alike."""
    return match.same is not False and \
        1.0 - match.distance >= DEFAULT_TIER_THRESHOLDS.edited_cosine


def percent_alike(distance: float) -> int:
    return round(100 * max(0.0, min(1.0, 1.0 - distance)))


class MatchGrid(QListWidget):
    def __init__(self, pictures: ThumbnailLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pictures = pictures
        self._blank, self._broken = placeholder(ICON_SIDE), placeholder(ICON_SIDE, broken=True)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(ICON_SIDE, ICON_SIDE))
        self.setGridSize(QSize(ICON_SIDE + 28, ICON_SIDE + 56))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setUniformItemSizes(True)
        self.setWordWrap(False)  # two lines, name and likeness; long names elided
        self.setTextElideMode(Qt.TextElideMode.ElideLeft)  # the end of a path tells them apart
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        pictures.ready.connect(self._on_picture)

    def show_matches(self, matches: Sequence[SimilarPhoto], query: str = "") -> None:
        self.clear()
        names = Counter(os.path.basename(m.file.path) for m in matches)
        names.update([os.path.basename(query)] if query else [])
        for match in matches:
            self.addItem(self._item(match, names[os.path.basename(match.file.path)] > 1))
        if matches:
            self.setCurrentRow(0)

    def current_match(self) -> SimilarPhoto | None:
        item = self.currentItem()
        return item.data(MATCH_ROLE) if item is not None else None

    def _item(self, match: SimilarPhoto, with_folder: bool) -> QListWidgetItem:
        file = match.file
        short, long = likeness(match)
        name = file.path if with_folder else os.path.basename(file.path)
        item = QListWidgetItem(f"{name}\n{short}, {percent_alike(match.distance)}\u00a0% alike")
        item.setData(MATCH_ROLE, match)
        facts = (f"{file.width} × {file.height} · {human_bytes(file.size)} · {file.format}"
                 if file.width else "could not be read now")
        item.setToolTip(f"{file.path}\n{facts}\nLooks like {long}.")
        item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._set_icon(item, match)
        return item

    def _set_icon(self, item: QListWidgetItem, match: SimilarPhoto) -> None:
        path, mtime_ns = match.file.path, match.file.mtime_ns
        pixmap = self.pictures.get(path, mtime_ns)
        if pixmap is None:
            pixmap = self._broken if self.pictures.failed(path, mtime_ns) else self._blank
        item.setIcon(QIcon(on_square(pixmap, ICON_SIDE)))

    def _on_picture(self, path: str) -> None:
        for row in range(self.count()):
            item = self.item(row)
            match: SimilarPhoto = item.data(MATCH_ROLE)
            if match.file.path == path:
                self._set_icon(item, match)


def add_button(parent: QWidget, add: Callable[[bool], None]) -> QPushButton:
    """"Add to group ▾": the match joins the group of the photo searched for (a new group of
    the two when it is in none), marked Remove or Keep; the person then reviews it there."""
    button = QPushButton("Add to group", parent)
    button.setToolTip("A copy the scan missed: add it to the group of the photo you searched "
                      "for (a new group of the two if it is in none)")
    menu = QMenu(button)
    menu.addAction("Add, marked Remove", lambda: add(True))
    menu.addAction("Add, marked Keep", lambda: add(False))
    button.setMenu(menu)
    return button


def remove_refused(match: SimilarPhoto) -> str:
    """Why `match` may not join a group marked Remove ('' when it may): the engine found it
    another photo, so a Remove mark would trash another moment on one click (a burst frame
    0.2 s from the one searched for, added marked Remove: a real-window review)."""
    if not (match.checked and match.same is False):
        return ""
    name = os.path.basename(match.file.path)
    return (f"{name} is another photo ({match.evidence}): it can be added to the group marked "
            "Keep only.")


def offer_remove(button: QPushButton, match: SimilarPhoto | None) -> None:
    """"Add, marked Remove" is offered only for a match that may be a copy."""
    button.menu().actions()[0].setEnabled(match is not None and not remove_refused(match))
