"""The progress strip shown while the engine works: stage, counts, rate, time left, Cancel."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from dedup_gui.engine.progress import STAGE_DISCOVER, STAGE_EXACT, STAGE_SIGNALS
from dedup_gui.qt.resources import icon
from dedup_gui.qt.workers.throttle import ProgressInfo
from dedup_gui.tasks.scan import STAGE_DATES
from dedup_gui.text import human_duration

FILE_STAGES = {STAGE_DISCOVER, STAGE_EXACT, STAGE_SIGNALS, STAGE_DATES}


def describe(info: ProgressInfo) -> str:
    """'Reading images — 1,200 of 5,000 · 310 files/s · about 12 s left'."""
    parts = [info.stage[:1].upper() + info.stage[1:]]
    if info.total > 0:
        parts[0] += f" — {info.done:,} of {info.total:,}"
    elif info.stage == STAGE_DISCOVER:  # none yet: the first folder is still being listed
        parts[0] += f" — {info.done:,} found" if info.done else "…"
    elif info.done:
        parts[0] += f" — {info.done:,}"
    if info.rate and info.rate >= 0.5:  # "0/s" says nothing (a real-window check)
        unit = " files/s" if info.stage in FILE_STAGES else "/s"
        parts.append(f"{info.rate:,.0f}{unit}")
    if info.seconds_left is not None and info.seconds_left >= 1:
        parts.append(f"about {human_duration(info.seconds_left)} left")
    return " · ".join(parts)


class ScanBar(QFrame):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel("Starting…")
        self.label.setMinimumWidth(360)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(14)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setIcon(icon("cancel"))
        self.cancel_button.setIconSize(QSize(18, 18))
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self.cancel_button.setEnabled(True)
        self.show()

    def update_progress(self, info: ProgressInfo) -> None:
        self.label.setText(describe(info))
        if info.total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * (info.fraction or 0)))
        else:
            self.bar.setRange(0, 0)

    def cancelling(self) -> None:
        self.label.setText("Cancelling…")
        self.cancel_button.setEnabled(False)

    def finish(self) -> None:
        self.hide()
