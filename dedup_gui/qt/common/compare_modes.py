"""What the compare view's right side shows: the second picture (side by side), the aligned
difference (bright = changed), or a flicker between the two pictures, both drawn lined up.

Why these: side by side, a person's eye has to jump between two places to spot an edit; the
difference heat map shows where it is at once, and a flicker shows what it is (a caption, a
sticker, a moved subject) the way a blink comparator does.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from dedup_gui.qt.common.zoom_view import ZoomView

FLICKER_MS = 450
SIDE_BY_SIDE, DIFFERENCE, FLICKER = "side by side", "difference", "flicker"
MODE_TEXT = {SIDE_BY_SIDE: "", DIFFERENCE: "Right: difference · bright = changed, black = same, "
             "blue-grey = not in both", FLICKER: "Right: flickers between the two"}
NOT_ALIGNED = "No common region found: shown side by side at the same width. "
# (mode, button text, key, tooltip)
BUTTONS = ((DIFFERENCE, "Difference", "D", "Show where the two differ, aligned: bright = "
            "changed, black = the same (exposure edits and JPEG noise are ignored)"),
           (FLICKER, "Flicker", "F", "Swap the right picture with the left twice a second: "
            "what changed jumps out"))


class RightModes(QObject):
    """The right view's mode; `line` says what is shown and what its colours mean."""

    def __init__(self, right: ZoomView, line: QLabel, parent: QWidget) -> None:
        super().__init__(parent)
        self.right, self.line = right, line
        self.mode = SIDE_BY_SIDE
        self.aligned: bool | None = None  # None: not known yet
        self.note = ""  # how the pictures were lined up
        right.add_extra(DIFFERENCE)
        right.add_extra(FLICKER)  # the first picture, drawn in the right view
        self.timer = QTimer(self, interval=FLICKER_MS, timeout=self._flick)
        self.buttons: dict[str, QPushButton] = {}
        for mode, text, key, tip in BUTTONS:
            button = QPushButton(f"{text} ({key})")
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, m=mode: self.toggle(m))
            self.buttons[mode] = button

    def toggle(self, mode: str) -> None:
        self.mode = SIDE_BY_SIDE if self.mode == mode else mode
        self.show()

    def show(self) -> None:
        right = self.right
        right.extra[DIFFERENCE].setVisible(self.mode == DIFFERENCE)
        right.item.setVisible(self.mode != DIFFERENCE)
        right.extra[FLICKER].setVisible(False)
        (self.timer.start if self.mode == FLICKER else self.timer.stop)()
        for mode, button in self.buttons.items():
            button.setChecked(mode == self.mode)
        prefix = NOT_ALIGNED if self.aligned is False else self.note
        self.line.setText(prefix + MODE_TEXT[self.mode])

    def stop(self) -> None:
        self.timer.stop()

    def _flick(self) -> None:
        first = self.right.extra[FLICKER]
        showing_first = first.isVisible()
        first.setVisible(not showing_first)
        self.right.item.setVisible(showing_first)
