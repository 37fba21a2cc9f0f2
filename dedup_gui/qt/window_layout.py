"""The main window's widgets and how they are laid out; the window wires them together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.folder_panel import FolderPanel
from dedup_gui.qt.group_view import GroupView
from dedup_gui.qt.results_panel import ResultsPanel
from dedup_gui.qt.scan_bar import ScanBar
from dedup_gui.qt.welcome import Welcome

if TYPE_CHECKING:
    from dedup_gui.qt.main_window import MainWindow


def build_central(window: MainWindow) -> None:
    """Folders and the group list on the left, the review on the right, progress on top."""
    window.folders = FolderPanel()
    folders_box = boxed("Folders", window.folders)
    window.results = ResultsPanel(window.state, window.thumbs)
    results_box = boxed("Duplicate groups", window.results)
    left = QSplitter(Qt.Orientation.Vertical)
    left.addWidget(folders_box)
    left.addWidget(results_box)
    left.setStretchFactor(1, 1)
    left.setSizes([190, 600])
    window.group_view = GroupView(window.state, window.pictures)
    window.welcome = Welcome(window.actions.add_folder, window.actions.scan)
    window.review = QStackedWidget()
    window.review.addWidget(window.welcome)
    window.review.addWidget(window.group_view)
    review_box = boxed("Review", window.review)
    window.splitter = QSplitter(Qt.Orientation.Horizontal)
    window.splitter.setObjectName("main-splitter")
    window.splitter.addWidget(left)
    window.splitter.addWidget(review_box)
    window.splitter.setStretchFactor(1, 1)
    window.splitter.setSizes([520, 840])
    window.scan_bar = ScanBar()
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(8, 4, 8, 4)
    layout.addWidget(window.scan_bar)
    layout.addWidget(window.splitter, 1)
    window.setCentralWidget(central)


def build_status_bar(window: MainWindow) -> None:
    """The unreadable-files button and the summary, on the right of the status bar."""
    window.summary = QLabel()
    window.issues_button = QToolButton()
    window.issues_button.setDefaultAction(window.actions.unreadable)
    window.issues_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.issues_button.setAutoRaise(True)
    bar = window.statusBar()
    bar.addPermanentWidget(window.issues_button)
    bar.addPermanentWidget(window.summary)


def boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    box.setFlat(True)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 8, 4, 4)
    layout.addWidget(widget)
    return box
