"""What the review pane shows before there are results: what the app does and the three steps,
with the two buttons that start them."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from dedup_gui.qt.resources import icon

STEPS = ("<h2>Find duplicate photos</h2>"
         "<p>Copies, re-saved and resized versions and edited copies of the same picture, "
         "shown side by side so you keep the best one and move the rest to the Trash.</p>"
         "<ol style='margin-left: 0px'>"
         "<li>Drop folders on this window, or click <b>Add folder</b>.</li>"
         "<li>Tick <b>Protected</b> for folders whose files must never be removed.</li>"
         "<li>Click <b>Scan</b>.</li></ol>"
         "<p style='color: gray'>Nothing is deleted: files go to the Trash, and Undo "
         "(Ctrl+Z) brings them back.</p>")


class Welcome(QWidget):
    def __init__(self, add: QAction, scan: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        picture = QLabel()
        picture.setPixmap(icon("app").pixmap(96, 96))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(STEPS)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for action in (add, scan):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIconSize(QSize(22, 22))
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addStretch(2)
        column.addWidget(picture)
        column.addWidget(text)
        column.addSpacing(8)
        column.addLayout(buttons)
        column.addStretch(3)
        inner = QWidget()
        inner.setLayout(column)
        inner.setMaximumWidth(560)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(inner)
        layout.addStretch(1)
