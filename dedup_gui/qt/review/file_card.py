"""One file of the group under review: its picture, the facts, and its Keep/Remove toggle.

Cards are reused from group to group (`set_facts`) and styled through palettes and a painted
frame, not style sheets: moving to the next group must take a few milliseconds, not a hundred.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPaintEvent,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from dedup_gui.qt.common import appearance
from dedup_gui.qt.resources import icon
from dedup_gui.qt.review.card_frame import paint_frame
from dedup_gui.qt.review.card_sizes import CARD_MARGIN, PICTURE_SIDE, card_width
from dedup_gui.qt.review.card_text import (
    colour_role,
    dimmed,
    elided_start,
    set_bold,
    shrinkable,
    two_lines,
)
from dedup_gui.qt.review.file_facts import DATE, RESOLUTION, SIZE, FileFacts
from dedup_gui.text import sentence_case

FACTS = ("Resolution", "Size", "Format", "Date", "Camera", "Origin", "Match")
CAPTION_GAP = 8


class FileCard(QWidget):
    # Paths travel as `object`: a Signal(str) drops the surrogate escapes of names that are not
    # UTF-8 ("caf\udce9.jpg" arrives as "caf.jpg"), which could then match another file.
    toggled = Signal(object)  # path: the person clicked Keep/Remove
    activated = Signal(object)  # path: clicked (becomes current)
    compare = Signal(object)  # path: double-clicked
    menu_requested = Signal(object, object)  # path, global QPoint: right-click / menu key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = ""
        self.remove = False
        self.current = False
        self.facts: FileFacts | None = None
        self._stars: set[str] = set()  # the facts that decided the keeper
        self._toggle_colour: tuple[str, str] | None = None
        self._applied: dict[int, str | None] = {}  # id(widget): the colour set on it
        self.side = PICTURE_SIDE
        self._failed = False  # the picture could not be read
        self._away = ""  # where the file went, said instead of "Cannot show" (set_state)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAutoFillBackground(True)
        self.name = QLabel()
        bold = QFont(self.name.font())
        bold.setBold(True)
        self.name.setFont(bold)
        self.folder = dimmed(QLabel())
        # "+ RAW + XMP": the files that move to the Trash with it
        self.travels = shrinkable(QLabel())
        self.values = {fact: shrinkable(QLabel()) for fact in FACTS}
        self.captions = {fact: dimmed(QLabel(fact)) for fact in FACTS[:-1]}
        self.toggle = QPushButton()
        self.toggle.setFont(bold)
        self.toggle.setIconSize(QSize(18, 18))
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space is the window's shortcut
        self.toggle.clicked.connect(lambda: self.toggled.emit(self.path))
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.name, 0, 0, 1, 2)
        grid.addWidget(self.folder, 1, 0, 1, 2)
        grid.addWidget(self.travels, 2, 0, 1, 2)
        for row, fact in enumerate(FACTS[:-1], start=3):
            grid.addWidget(self.captions[fact], row, 0)
            grid.addWidget(self.values[fact], row, 1)
        # How it matched, across the card: its numbers need the width (the caption would only
        # repeat what the sentence says)
        grid.addWidget(self.values["Match"], len(FACTS) + 2, 0, 1, 2)
        match = self.values["Match"]
        match.setFixedHeight(2 * match.fontMetrics().lineSpacing())
        match.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(CARD_MARGIN, CARD_MARGIN, CARD_MARGIN, CARD_MARGIN)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(grid)
        layout.addWidget(self.toggle)
        self.set_side(PICTURE_SIDE)

    def set_side(self, side: int) -> None:
        """The picture's side; the card is that wide plus its margins, the facts elide to fit."""
        self.side = side
        self.picture.setFixedSize(side, side)
        self.setFixedWidth(card_width(side))
        self._metrics = QFontMetrics(self.values["Match"].font())
        self._values_width = self._value_width()
        if self.facts is not None:
            self.set_facts(self.facts)

    def _value_width(self) -> int:
        metrics = QFontMetrics(self.captions["Resolution"].font())
        captions = max(metrics.horizontalAdvance(f) for f in FACTS)
        return card_width(self.side) - 2 * CARD_MARGIN - captions - CAPTION_GAP

    def set_facts(self, facts: FileFacts) -> None:
        self.facts = facts
        self.path = facts.path
        width = card_width(self.side) - 2 * CARD_MARGIN - 4
        self.name.setText(elided_start(self.name, facts.name, width))
        self.name.setToolTip(facts.path)
        set_bold(self.name, True)
        self._stars = set()
        self.folder.setText(elided_start(self.folder, facts.folder, width))
        self.folder.setToolTip(facts.path)
        self.travels.setText(facts.travels)
        self.travels.setToolTip("Moves to the Trash with this photo, and back with Undo"
                                if facts.travels else "")
        self.travels.setVisible(bool(facts.travels))
        self.captions["Date"].setText(facts.date_kind)
        # The date's tip says where the date came from; the value itself leads it, for a value
        # cut short on a narrow card (at 150 % the time taken could not be read anywhere).
        tips = {"Date": f"{facts.date}. {facts.date_tip}" if facts.date_tip else facts.date,
                "Camera": facts.camera}
        for fact, text, best in (("Resolution", facts.resolution, RESOLUTION in facts.best),
                                 ("Size", facts.size, SIZE in facts.best),
                                 ("Format", facts.format, False),
                                 ("Date", facts.date, DATE in facts.best),
                                 ("Camera", facts.camera or "unknown", False),
                                 ("Origin", sentence_case(facts.origin), False)):
            label = self.values[fact]
            set_bold(label, best)  # first: a bold value is elided by its own, wider, font
            label.setText(self._fit(label, text, "  ★" if best else ""))
            tip = ". ".join(t for t in ("This decided the keeper" if best else "",
                                        tips.get(fact, text)) if t)
            label.setToolTip(tip)
            if best:
                self._stars.add(fact)
        # One line each, elided with the whole text on hover: a wrapped sentence was cut off
        # at the card's fixed height and made cards of one row differ in height.
        match = self.values["Match"]
        match.setText(two_lines(self._metrics, facts.match,
                                card_width(self.side) - 2 * CARD_MARGIN))
        match.setToolTip(facts.match_tip or facts.match)  # the numbers, for experts
        self.values["Origin"].setToolTip(sentence_case(facts.origin))
        self._recolour()
        self.set_picture(None)

    def _fit(self, label: QLabel, text: str, star: str = "") -> str:
        """`text` elided to the values' width in `label`'s font, the star kept whole: a starred
        (bold) value measured in the plain font was cut mid-word with no ellipsis."""
        metrics = QFontMetrics(label.font())
        room = self._values_width - metrics.horizontalAdvance(star)
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, room) + star

    def set_picture(self, pixmap: QPixmap | None, failed: bool = False) -> None:
        self._failed = pixmap is None and failed
        if pixmap is None:
            self.picture.setPixmap(QPixmap())
            self.picture.setText(self._away or "Cannot show\nthis image" if failed
                                 else "Loading…")
        else:
            if pixmap.width() > self.side or pixmap.height() > self.side:  # decoded before a resize
                pixmap = pixmap.scaled(self.side, self.side, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            self.picture.setPixmap(pixmap)

    def set_state(self, *, remove: bool, protected: bool, trashed: bool,
                  gone: bool = False, moved_to: str = "") -> None:
        self.remove = remove and not trashed and not gone
        # a file moved away cannot be shown after a restart: its picture says where it went
        self._away = ""
        if gone and self.path and not os.path.isdir(os.path.dirname(self.path)):
            # its folder is gone: a drive unplugged, not a file deleted (a two-drive check)
            text, name, colour = "Folder not found", "warning", None
            self._away = "Its folder is not there\n(a drive unplugged?)"
        elif gone:
            text, name, colour = "Changed since the scan", "warning", None
            self._away = "Changed or gone\nsince the scan"
        elif trashed:
            text, name, colour = ("Moved to folder", "export", None) if moved_to else \
                ("In Trash", "trash", None)
            self._away = "Moved to\nanother folder" if moved_to else "In the Trash"
        elif protected:
            text, name, colour = "Keep (protected folder)", "protect", appearance.KEEP
        else:
            text, name, colour = (("Remove", "trash", appearance.REMOVE) if remove
                                  else ("Keep", "keep", appearance.KEEP))
        if self._failed:
            self.set_picture(None, failed=True)
        self.toggle.setText(text)
        self.toggle.setIcon(icon(name))
        self.toggle.setEnabled(not (trashed or protected or gone))
        self.toggle.setToolTip("Space toggles Keep / Remove" if self.toggle.isEnabled()
                               else f"In {moved_to}" if trashed and moved_to else "")
        self._toggle_colour = colour
        self._recolour()
        self.picture.setEnabled(not (trashed or gone))
        self.update()

    def _recolour(self) -> None:
        """The colours with a meaning in the tone for the card's palette, light or dark: the
        deciding facts (starred), Keep/Remove, the picture's background."""
        palette = self.palette()
        for fact, label in self.values.items():
            colour_role(label, appearance.tone(palette, appearance.KEEP)
                    if fact in self._stars else None, QPalette.ColorRole.WindowText,
                    self._applied)
        colour = self._toggle_colour
        colour_role(self.toggle, appearance.tone(palette, colour) if colour else None,
                QPalette.ColorRole.ButtonText, self._applied)
        colour_role(self.picture, appearance.picture_background(palette), QPalette.ColorRole.Window,
                self._applied)

    def changeEvent(self, event: QEvent) -> None:
        """Light ⇄ dark (the desktop switched, or Preferences): colours chosen again."""
        if event.type() == QEvent.Type.PaletteChange:
            self._applied.clear()
            self._recolour()
        super().changeEvent(event)

    def set_current(self, current: bool) -> None:
        if current != self.current:
            self.current = current
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_frame(self, current=self.current, remove=self.remove)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.path)
        super().mousePressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.activated.emit(self.path)
        self.menu_requested.emit(self.path, event.globalPos())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.compare.emit(self.path)
        super().mouseDoubleClickEvent(event)
