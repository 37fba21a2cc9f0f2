"""The status line's recent messages, kept to be read again whole.

Why: the status line shows a message for 8 seconds, cut at the permanent counts on its right.
A returning-user check lost the end of the messages that mattered most ("…1 group you had
marked by hand changed since: it sho", "Now kept: 4 files, IMG_1018.jpg, …") with no way to
read them again. View ▸ Recent messages lists them, newest first, each whole.
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtWidgets import QWidget

from dedup_gui.qt.common.issues_dialog import IssuesDialog

KEPT = 100  # messages kept, the oldest dropped first


class MessageLog:
    def __init__(self) -> None:
        self.messages: deque[tuple[str, str]] = deque(maxlen=KEPT)  # (text, "HH:MM:SS")

    def add(self, text: str) -> None:
        if text:
            self.messages.append((text, time.strftime("%H:%M:%S")))

    def show(self, parent: QWidget) -> IssuesDialog:
        """The messages, newest first, in a dialog that shows the selected one whole."""
        rows = list(reversed(self.messages))
        intro = ("The status line's messages, newest first." if rows
                 else "No messages yet.")
        dialog = IssuesDialog("Recent messages", intro, rows, (), parent,
                              headers=("Message", "At"))
        dialog.tree.header().resizeSection(0, dialog.width() - 120)  # "At" needs ~8 digits
        dialog.open()
        return dialog
