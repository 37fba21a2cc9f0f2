"""The main window's widgets and how they are laid out; the window wires them together."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dedup_gui.qt.common.thumbnails import ThumbnailLoader
from dedup_gui.qt.review.group_view import GroupView
from dedup_gui.qt.review.results_panel import ResultsPanel
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.scan.folder_panel import FolderPanel
from dedup_gui.qt.window.welcome import Welcome
from dedup_gui.qt.workers.progress_bar import ScanBar


@dataclass(frozen=True, slots=True)
class Central:
    """The window's central widgets, made by `build_central`; the window keeps and wires them."""

    widget: QWidget
    folders: FolderPanel
    results: ResultsPanel
    group_view: GroupView
    welcome: Welcome
    review: QStackedWidget
    splitter: QSplitter  # the left column | the review
    side: QSplitter  # the folders over the group list
    scan_bar: ScanBar


def build_central(state: ReviewState, thumbs: ThumbnailLoader, pictures: ThumbnailLoader,
                  add_folder: QAction, scan: QAction) -> Central:
    """Folders and the group list on the left, the review on the right, progress on top."""
    folders = FolderPanel()
    results = ResultsPanel(state, thumbs)
    left = QSplitter(Qt.Orientation.Vertical)
    left.setObjectName("side-splitter")
    left.addWidget(boxed("Folders", folders))
    left.addWidget(boxed("Duplicate groups", results))
    left.setStretchFactor(1, 1)
    left.setChildrenCollapsible(True)  # dragging a handle to the edge hides that pane
    group_view = GroupView(state, pictures)
    welcome = Welcome(add_folder, scan)
    review = QStackedWidget()
    review.addWidget(welcome)
    review.addWidget(group_view)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("main-splitter")
    splitter.addWidget(left)
    splitter.addWidget(boxed("Review", review))
    splitter.setStretchFactor(1, 1)
    splitter.setCollapsible(0, True)
    splitter.setCollapsible(1, False)  # the review is the point of the window
    scan_bar = ScanBar()
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(8, 4, 8, 4)
    layout.addWidget(scan_bar)
    layout.addWidget(splitter, 1)
    return Central(widget, folders, results, group_view, welcome, review, splitter, left,
                   scan_bar)


def build_status_bar(bar: QStatusBar, unreadable: QAction) -> tuple[QToolButton, QLabel]:
    """The unreadable-files button and the summary label, on the right of the status bar."""
    summary = QLabel()
    issues_button = QToolButton()
    issues_button.setDefaultAction(unreadable)
    issues_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    issues_button.setAutoRaise(True)
    bar.addPermanentWidget(issues_button)
    bar.addPermanentWidget(summary)
    return issues_button, summary


def boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    box.setFlat(True)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 8, 4, 4)
    layout.addWidget(widget)
    return box
