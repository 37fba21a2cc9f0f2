"""One shot of a similar-shot series: its picture, name and facts, the best-shot star with why,
and a Keep/Remove toggle. Plainer than the group view's FileCard: a series is looked at side by
side to pick a moment, not to tell copies apart."""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.common import appearance
from dedup_gui.qt.resources import icon
from dedup_gui.qt.review.card_text import colour_role
from dedup_gui.text import human_bytes

SHOT_SIDE = 150
MIN_SHOT_SIDE = 96  # below this a shot is laid out beside its facts (`set_compact`)
TEXT_WIDTH = SHOT_SIDE  # the name, facts and button's width
BEST_TEXT = "★ Best shot"


class ShotCard(QFrame):
    toggled = Signal(object)  # path (object: names that are not UTF-8 survive)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = ""
        self.side = SHOT_SIDE
        self._pixmap: QPixmap | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.compact = False
        self.setFixedWidth(SHOT_SIDE + 24)
        self.picture = QLabel()
        self.picture.setFixedSize(SHOT_SIDE, SHOT_SIDE)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel()
        self.facts = QLabel()
        self.source = QLabel()  # the camera and folder: two people's shots of one moment
        self.source.setWordWrap(True)  # "Apple iPhone 13 Pro Max · Mom" is wider than a card
        self.best = QLabel()
        self.best.setWordWrap(True)
        self._best_text = ""
        self._toggle_colour: tuple[str, str] | None = None
        self._tinted = False
        self._applied: dict[int, str | None] = {}  # colour_role's memo
        self.toggle = QPushButton()
        self.toggle.clicked.connect(lambda: self.toggled.emit(self.path))
        text = QVBoxLayout()
        text.setSpacing(2)
        for widget in (self.name, self.facts, self.source, self.toggle, self.best):
            # the wrapped reason takes the whole width: aligned left, it got a one-line
            # height and showed "Best shot: as sharp as the" (a real-window check)
            text.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft
                           if widget not in (self.toggle, self.best, self.source)
                           else Qt.AlignmentFlag(0))
        text.addStretch(1)
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(6, 6, 6, 6)
        self.box.setSpacing(2)
        self.box.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        self.box.addLayout(text, 1)

    def show_shot(self, file: GroupFile, best_reason: str | None, marked: bool,
                  in_place: bool) -> None:
        """`best_reason`: why this is the suggested best shot (None: it is not)."""
        self.path = file.path
        name = os.path.basename(file.path)
        # cut in the middle: a burst's frames differ at the end of their names
        # ("IMG_..._BURST001_COVER.jpg"), which a plain cut hid (a real-window check)
        self.name.setText(self.name.fontMetrics().elidedText(
            name, Qt.TextElideMode.ElideMiddle, TEXT_WIDTH))
        self.name.setToolTip(file.path)
        self.facts.setText(f"{file.width}×{file.height} · {human_bytes(file.size)}")
        self.source.setText(shot_source(file))
        self.source.setToolTip(file.path)
        self._best_text = f"<b>{BEST_TEXT}</b>: {best_reason}" if best_reason else ""
        self.best.setToolTip(f"{BEST_TEXT}: {best_reason}" if best_reason else "")
        self._show_best()
        self.best.setVisible(best_reason is not None)
        self.toggle.setEnabled(in_place)
        self.toggle.setText("In the Trash" if not in_place else "Remove" if marked else "Keep")
        self.toggle.setToolTip("" if not in_place else "Marked Remove: click to keep it"
                               if marked else "Kept: click to mark it Remove")
        # the state, drawn as the group view's cards draw it (icon and colour): plain "Keep"
        # read as an action, and a click on it marked the shot Remove (a first-user review)
        self.toggle.setIcon(icon("trash" if marked or not in_place else "keep"))
        # colours from the palette, light or dark, as the group view's cards: a fixed pink
        # style sheet left marked shots pale pink with white buttons on the dark theme (a
        # real-window check); the tint is painted, not a style sheet, so the button keeps the
        # palette's colours
        self._toggle_colour = (appearance.REMOVE if marked else appearance.KEEP) if in_place \
            else None
        self._tinted = marked and in_place
        self._recolour()
        self.update()

    def _recolour(self) -> None:
        colour = self._toggle_colour
        colour_role(self.toggle, appearance.tone(self.palette(), colour) if colour else None,
                    QPalette.ColorRole.ButtonText, self._applied)

    def changeEvent(self, event: QEvent) -> None:
        """Light ⇄ dark: the button's colour chosen again."""
        if event.type() == QEvent.Type.PaletteChange:
            self._applied.clear()
            self._recolour()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._tinted:
            painter = QPainter(self)
            painter.fillRect(self.rect(), appearance.tint(self.palette(), appearance.REMOVE))
            painter.end()
        super().paintEvent(event)

    def set_compact(self, compact: bool) -> None:
        """The picture beside the name, facts and button, for a dock too short to stack them
        (1000×700: a 180 px dock showed only the tops of the pictures, no name, no button);
        the best shot's reason then goes to its tooltip."""
        if compact != self.compact:
            self.compact = compact
            self.box.setDirection(QBoxLayout.Direction.LeftToRight if compact
                                  else QBoxLayout.Direction.TopToBottom)
            self._show_best()
            self._set_width()

    def _show_best(self) -> None:
        self.best.setText(f"<b>{BEST_TEXT}</b>" if self.compact and self._best_text
                          else self._best_text)

    def _set_width(self) -> None:
        margins = 12
        self.setFixedWidth(self.side + 8 + TEXT_WIDTH + margins if self.compact
                           else SHOT_SIDE + 12 + margins)

    def set_side(self, side: int) -> None:
        """The picture's side; the card keeps its width, so the name and facts stay readable."""
        if side != self.side:
            self.side = side
            self.picture.setFixedSize(side, side)
            self._set_width()
            self.set_picture(self._pixmap)

    def set_picture(self, pixmap: QPixmap | None) -> None:
        self._pixmap = pixmap
        if pixmap is None or pixmap.isNull():
            self.picture.setText("…")
            return
        self.picture.setPixmap(pixmap.scaled(self.side, self.side,
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))


def shot_source(file: GroupFile) -> str:
    """'Galaxy S23 · Dad': the camera that took the shot (where known) and its folder. Why: a
    family library merged from three phones had series of one moment shot by two or three
    people, and the cards showed only names and sizes; the series read as one person's
    burst with one "best shot" (a first-user check)."""
    camera = file.capture.camera if file.capture is not None else ""
    folder = os.path.basename(os.path.dirname(file.path))
    return " · ".join(part for part in (camera, folder) if part)

