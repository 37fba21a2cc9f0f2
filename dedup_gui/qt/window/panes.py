"""The window's panes: the folders and the group list can be hidden (View menu, or a splitter
handle dragged to the edge) and come back at their size; the splits survive a restart.

Hiding is collapsing (size 0), not QWidget.hide(), so QSplitter.saveState() keeps all of it and a
collapsed pane can be dragged open again by its handle. With both panes hidden the whole left
column collapses and the review takes the window's width.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSplitter, QWidget

from dedup_gui.qt.review.group_view import GroupView
from dedup_gui.qt.review.results_panel import ResultsPanel
from dedup_gui.qt.scan.folder_panel import FolderPanel

FOLDERS, GROUPS = 0, 1  # the panes' places in the side splitter
LEFT_MIN = 280
LEFT_SHARE = 0.45  # at most this share of the window goes to the left column by default
BOX_CHROME = 28  # a boxed pane's title and margins
CARDS_SIDE_BY_SIDE = 2  # a narrower window takes width from the left column to keep these


def encode(state: QByteArray) -> str:
    return bytes(state.toBase64()).decode()


def decode(text: str) -> QByteArray:
    return QByteArray.fromBase64(text.encode())


class Panes(QObject):
    def __init__(self, window: QWidget, main: QSplitter, side: QSplitter,
                 folders: FolderPanel, results: ResultsPanel, group_view: GroupView) -> None:
        super().__init__(window)
        self.window, self.main, self.side = window, main, side
        self.folders, self.results, self.group_view = folders, results, group_view
        main.installEventFilter(self)
        self.show_folders = self._action("Sho&w folders", "F9", FOLDERS,
                                         "Show or hide the folders to scan")
        self.show_groups = self._action("Show the group lis&t", "Shift+F9", GROUPS,
                                        "Show or hide the list of duplicate groups")
        self.lent = 0  # width the left column gave the review to keep cards side by side
        main.splitterMoved.connect(self._sync)
        main.splitterMoved.connect(self._forget_lent)  # a drag is the person's choice
        side.splitterMoved.connect(self._sync)

    def _action(self, text: str, key: str, pane: int, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setCheckable(True)
        action.setChecked(True)
        action.setShortcut(QKeySequence(key))
        action.setToolTip(f"{text.replace('&', '')} ({key})")
        action.setStatusTip(tip)
        action.toggled.connect(lambda shown: self.set_shown(pane, shown))
        return action

    # -- showing and hiding ------------------------------------------------------------------
    def shown(self, pane: int) -> bool:
        return self.main.sizes()[0] > 0 and self.side.sizes()[pane] > 0

    def set_shown(self, pane: int, shown: bool) -> None:
        if shown == self.shown(pane):
            return
        other = GROUPS if pane == FOLDERS else FOLDERS
        if shown:
            if self.main.sizes()[0] == 0:  # the column was collapsed: it opens with this pane
                self.main.setSizes(self._main_sizes())
                self.lent = 0  # it opens at its own width: nothing is owed to it
                self._side_only(pane)
            else:
                self.side.setSizes(self._side_sizes())
        elif self.shown(other):
            self._side_only(other)
        else:
            total = sum(self.main.sizes())
            self.main.setSizes([0, total])
            self.lent = 0
        self._sync()

    def _side_only(self, pane: int) -> None:
        total = max(1, sum(self.side.sizes()))
        self.side.setSizes([total, 0] if pane == FOLDERS else [0, total])

    def _sync(self) -> None:
        """The View menu's ticks say what is on screen, after a drag too."""
        for action, pane in ((self.show_folders, FOLDERS), (self.show_groups, GROUPS)):
            action.blockSignals(True)
            action.setChecked(self.shown(pane))
            action.blockSignals(False)

    # -- sizes -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.main and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._keep_cards_side_by_side)  # once the splitter has
        return super().eventFilter(watched, event)                     # its new size

    def review_room(self) -> int:
        """The review's width for two cards side by side at the picture size in use."""
        viewport = self.group_view.scroll.viewport()
        bar = self.group_view.scroll.verticalScrollBar()
        chrome = self.main.sizes()[1] - viewport.width() + (0 if bar.isVisible()
                                                              else bar.sizeHint().width())
        return chrome + self.group_view.cards_width(CARDS_SIDE_BY_SIDE)

    def _keep_cards_side_by_side(self) -> None:
        """A window made narrower shrinks the review first (the left column keeps its width,
        as in file managers); below two cards' width the left column gives way, to LEFT_MIN.
        Made wider again, the window gives the left column back what it gave first (a
        first-user check: the group list stayed cut off, its columns scrolled sideways)."""
        left, review = self.main.sizes()
        if left == 0:
            return
        short = self.review_room() - review
        if short > 0 and left > LEFT_MIN:
            give = min(short, left - LEFT_MIN)
            self.lent += give
            self.main.setSizes([left - give, review + give])
        elif short < 0 and self.lent > 0:
            back = min(-short, self.lent)
            self.lent -= back
            self.main.setSizes([left + back, review - back])

    def _forget_lent(self) -> None:
        self.lent = 0

    def _main_sizes(self) -> list[int]:
        """The group list's natural width (every column but the folder whole), within limits,
        so the review keeps room for cards side by side on a small screen."""
        total = max(1, sum(self.main.sizes()) or self.window.width())
        left = min(max(LEFT_MIN, self.results.natural_width() + 16), int(total * LEFT_SHARE))
        return [left, total - left]

    def _side_sizes(self) -> list[int]:
        total = max(1, sum(self.side.sizes()) or self.window.height())
        folders = min(self.folders.fitting_height() + BOX_CHROME, total // 2)
        return [folders, total - folders]

    def restore(self, main_state: str, side_state: str) -> None:
        """The saved splits, or sizes that fit the window (call once the window has its size)."""
        self.lent = 0
        if not (main_state and self.main.restoreState(decode(main_state))):
            self.main.setSizes(self._main_sizes())
        if not (side_state and self.side.restoreState(decode(side_state))):
            self.side.setSizes(self._side_sizes())
        self._sync()

    def save(self) -> tuple[str, str]:
        return encode(self.main.saveState()), encode(self.side.saveState())
