"""One file of the group under review: its picture, the facts, and its Keep/Remove toggle.

Cards are reused from group to group (`set_facts`) and styled through palettes and a painted
frame, not style sheets: moving to the next group must take a few milliseconds, not a hundred.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.resources import icon
from dedup_gui.qt.review.file_facts import DATE, RESOLUTION, SIZE, FileFacts

CARD_WIDTH = 236
PICTURE_SIDE = 212
BEST = QColor("#1b5e20")
KEEP = QColor("#1b5e20")
REMOVE = QColor("#b71c1c")
REMOVE_TINT = QColor("#fdecea")
PICTURE_BACKGROUND = QColor("#eceff1")
FACTS = ("Resolution", "Size", "Format", "Date", "Camera", "Origin", "Match")
VALUE_WIDTH = 140  # the facts' value column; longer camera names ("NIKON CORPORATION …") elide


def _colour(widget: QWidget, colour: QColor | None, role: QPalette.ColorRole) -> None:
    palette = widget.palette()
    palette.setColor(role, colour if colour is not None
                     else QApplication.palette().color(role))
    widget.setPalette(palette)


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
        self.setFixedWidth(CARD_WIDTH)
        self.picture = QLabel()
        self.picture.setFixedSize(PICTURE_SIDE, PICTURE_SIDE)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAutoFillBackground(True)
        _colour(self.picture, PICTURE_BACKGROUND, QPalette.ColorRole.Window)
        self.name = QLabel()
        bold = QFont(self.name.font())
        bold.setBold(True)
        self.name.setFont(bold)
        self.folder = self._dim(QLabel())
        self.travels = QLabel()  # "+ RAW + XMP": the files that move to the Trash with it
        self.values = {fact: QLabel() for fact in FACTS}
        self.captions = {fact: self._dim(QLabel(fact)) for fact in FACTS}
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
        for row, fact in enumerate(FACTS, start=3):
            grid.addWidget(self.captions[fact], row, 0)
            grid.addWidget(self.values[fact], row, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(grid)
        layout.addWidget(self.toggle)

    @staticmethod
    def _dim(label: QLabel) -> QLabel:
        _colour(label, label.palette().color(QPalette.ColorRole.PlaceholderText),
                QPalette.ColorRole.WindowText)
        return label

    def set_facts(self, facts: FileFacts) -> None:
        self.facts = facts
        self.path = facts.path
        width = CARD_WIDTH - 28
        # Elided at the start: the end of a name or folder is what tells copies apart.
        self.name.setText(self._elide(self.name, facts.name, width))
        self.name.setToolTip(facts.path)
        self._best(self.name, False, bold=True)
        self.folder.setText(self._elide(self.folder, facts.folder, width))
        self.folder.setToolTip(facts.path)
        self.travels.setText(facts.travels)
        self.travels.setToolTip("Moves to the Trash with this photo, and back with Undo"
                                if facts.travels else "")
        self.travels.setVisible(bool(facts.travels))
        self.captions["Date"].setText(facts.date_kind)
        tips = {"Date": facts.date_tip, "Camera": facts.camera}
        camera = QFontMetrics(self.values["Camera"].font()).elidedText(
            facts.camera or "unknown", Qt.TextElideMode.ElideRight, VALUE_WIDTH)
        for fact, text, best in (("Resolution", facts.resolution, RESOLUTION in facts.best),
                                 ("Size", facts.size, SIZE in facts.best),
                                 ("Format", facts.format, False),
                                 ("Date", facts.date, DATE in facts.best),
                                 ("Camera", camera, False),
                                 ("Origin", self._fit(facts.origin.capitalize()), False)):
            label = self.values[fact]
            label.setText(text + ("  ★" if best else ""))
            tip = "; ".join(t for t in ("This decided the keeper" if best else "",
                                        tips.get(fact, "")) if t)
            label.setToolTip(tip)
            self._best(label, best)
        # One line each, elided with the whole text on hover: a wrapped sentence was cut off
        # at the card's fixed height and made cards of one row differ in height.
        match = self.values["Match"]
        match.setText(self._fit(facts.match))
        match.setToolTip(facts.match)
        self.values["Origin"].setToolTip(facts.origin.capitalize())
        self.set_picture(None)

    def _fit(self, text: str) -> str:
        return QFontMetrics(self.values["Match"].font()).elidedText(
            text, Qt.TextElideMode.ElideRight, VALUE_WIDTH)

    @staticmethod
    def _elide(label: QLabel, text: str, width: int) -> str:
        return QFontMetrics(label.font()).elidedText(text, Qt.TextElideMode.ElideLeft, width)

    @staticmethod
    def _best(label: QLabel, best: bool, bold: bool = False) -> None:
        font = label.font()
        font.setBold(best or bold)
        label.setFont(font)
        _colour(label, BEST if best else None, QPalette.ColorRole.WindowText)

    def set_picture(self, pixmap: QPixmap | None, failed: bool = False) -> None:
        if pixmap is None:
            self.picture.setPixmap(QPixmap())
            self.picture.setText("Cannot show\nthis image" if failed else "Loading…")
        else:
            self.picture.setPixmap(pixmap)

    def set_state(self, *, remove: bool, protected: bool, trashed: bool,
                  gone: bool = False, moved_to: str = "") -> None:
        self.remove = remove and not trashed and not gone
        if gone:
            text, name, colour = "Changed since the scan", "warning", None
        elif trashed:
            text, name, colour = ("Moved to folder", "export", None) if moved_to else \
                ("In Trash", "trash", None)
        elif protected:
            text, name, colour = "Keep (protected folder)", "protect", KEEP
        else:
            text, name, colour = ("Remove", "trash", REMOVE) if remove else ("Keep", "keep", KEEP)
        self.toggle.setText(text)
        self.toggle.setIcon(icon(name))
        self.toggle.setEnabled(not (trashed or protected or gone))
        self.toggle.setToolTip("Space toggles Keep / Remove" if self.toggle.isEnabled()
                               else f"In {moved_to}" if trashed and moved_to else "")
        _colour(self.toggle, colour, QPalette.ColorRole.ButtonText)
        self.picture.setEnabled(not (trashed or gone))
        self.update()

    def set_current(self, current: bool) -> None:
        if current != self.current:
            self.current = current
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        width = 3.0 if self.current else 1.0
        border = palette.color(QPalette.ColorRole.Highlight if self.current
                               else QPalette.ColorRole.Mid)
        painter.setPen(border)
        pen = painter.pen()
        pen.setWidthF(width)
        painter.setPen(pen)
        painter.setBrush(REMOVE_TINT if self.remove else palette.color(QPalette.ColorRole.Base))
        inset = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 6, 6)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.path)
        super().mousePressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.activated.emit(self.path)
        self.menu_requested.emit(self.path, event.globalPos())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.compare.emit(self.path)
        super().mouseDoubleClickEvent(event)
