"""One shot of a similar-shot series: its picture, name and facts, the best-shot star with why,
and a Keep/Remove toggle. Plainer than the group view's FileCard: a series is looked at side by
side to pick a moment, not to tell copies apart."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from dedup_gui.engine.types import GroupFile
from dedup_gui.qt.common import appearance
from dedup_gui.qt.resources import icon
from dedup_gui.text import human_bytes

SHOT_SIDE = 150
BEST_TEXT = "★ Best shot"
REMOVE_TINT = "#fdecea"  # as the group view's cards marked Remove


class ShotCard(QFrame):
    toggled = Signal(object)  # path (object: names that are not UTF-8 survive)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = ""
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(SHOT_SIDE + 24)
        self.picture = QLabel()
        self.picture.setFixedSize(SHOT_SIDE, SHOT_SIDE)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QLabel()
        self.facts = QLabel()
        self.best = QLabel()
        self.best.setWordWrap(True)
        self.toggle = QPushButton()
        self.toggle.clicked.connect(lambda: self.toggled.emit(self.path))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(2)
        for widget in (self.picture, self.name, self.facts, self.toggle, self.best):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_shot(self, file: GroupFile, best_reason: str | None, marked: bool,
                  in_place: bool) -> None:
        """`best_reason`: why this is the suggested best shot (None: it is not)."""
        self.path = file.path
        name = os.path.basename(file.path)
        self.name.setText(name)
        self.name.setToolTip(file.path)
        self.facts.setText(f"{file.width}×{file.height} · {human_bytes(file.size)}")
        self.best.setText(f"<b>{BEST_TEXT}</b>: {best_reason}" if best_reason else "")
        self.best.setVisible(best_reason is not None)
        self.toggle.setEnabled(in_place)
        self.toggle.setText("In the Trash" if not in_place else "Remove" if marked else "Keep")
        self.toggle.setToolTip("" if not in_place else "Marked Remove: click to keep it"
                               if marked else "Kept: click to mark it Remove")
        # the state, drawn as the group view's cards draw it (icon and colour): plain "Keep"
        # read as an action, and a click on it marked the shot Remove (a first-user review)
        self.toggle.setIcon(icon("trash" if marked or not in_place else "keep"))
        # a style sheet, not the palette: the card's own style sheet (its Remove tint) made
        # Qt draw a palette colour set before it (red "Keep" after an Undo)
        colour = (appearance.REMOVE if marked else appearance.KEEP) if in_place else None
        self.toggle.setStyleSheet(
            f"color: {appearance.tone(self.palette(), colour).name()};" if colour else "")
        # a few cards at a time, so a style sheet costs nothing here (unlike the group view)
        self.setStyleSheet(f"ShotCard {{ background: {REMOVE_TINT}; }}" if marked and in_place
                           else "")

    def set_picture(self, pixmap: QPixmap | None) -> None:
        if pixmap is None or pixmap.isNull():
            self.picture.setText("…")
            return
        self.picture.setPixmap(pixmap.scaled(SHOT_SIDE, SHOT_SIDE,
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))
