"""The similar-shot series in a dock below the review, apart from the duplicate groups: shown
when a scan finds series, kept where the person put it (the window saves its state), and listed
in View so it can be brought back after closing it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.review.series_view import SeriesView
from dedup_gui.text import plural

TITLE = "Similar shots"
DOCK_HEIGHT = 320  # a row of shots with their facts; the person may drag it taller
REVIEW_KEEPS = 520  # px of window height the review and the bars keep beside the dock


def build_series_dock(window: QMainWindow, view: SeriesView, view_menu: QMenu) -> QDockWidget:
    dock = QDockWidget(TITLE, window)
    dock.setObjectName("similar-shots-dock")
    dock.setWidget(view)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    view_menu.addSeparator()
    view_menu.addAction(dock.toggleViewAction())
    dock.hide()
    dock._keeps_room = _KeepsReviewRoom(window, dock)  # lives with the dock
    window.installEventFilter(dock._keeps_room)
    shown_for = [-1]  # the results (ReviewState.generation) the dock was last opened for
    view.state.reset.connect(lambda: _results_changed(window, dock, view.state, shown_for))
    return dock


class _KeepsReviewRoom(QObject):
    """A window made smaller (a laptop screen, a half-screen tile) takes the height from the
    dock, not from the review: Qt would shrink both in proportion."""

    def __init__(self, window: QMainWindow, dock: QDockWidget) -> None:
        super().__init__(dock)
        self.window, self.dock = window, dock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Resize and self.dock.isVisible()
                and not self.dock.isFloating()):
            room = opening_height(self.window.height())
            if self.dock.height() > room:
                self.window.resizeDocks([self.dock], [room], Qt.Orientation.Vertical)
        return False


def opening_height(window_height: int) -> int:
    """The dock's height when a scan opens it: a row of shots, but never so tall that the
    duplicate review (the main work) is left a strip on a small screen (1024×700: 180 px)."""
    return max(160, min(DOCK_HEIGHT, window_height - REVIEW_KEEPS))


def _results_changed(window: QMainWindow, dock: QDockWidget, state: ReviewState,
                     shown_for: list[int]) -> None:
    """New results with series: the dock shows, titled with their number, at a height that
    leaves the review room. The same results marked again (new keeper rules) leave it where
    the person put it, closed or not."""
    count = len(state.series)
    dock.setWindowTitle(f"{TITLE} ({plural(count, 'series', 'series')})" if count else TITLE)
    if count and shown_for[0] != state.generation:
        shown_for[0] = state.generation
        was_open = dock.isVisible()
        dock.show()
        if not was_open:
            window.resizeDocks([dock], [opening_height(window.height())],
                               Qt.Orientation.Vertical)
