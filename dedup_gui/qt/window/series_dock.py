"""The similar-shot series in a dock below the review, apart from the duplicate groups: shown
when a scan finds series, kept where the person put it (the window saves its state), and listed
in View so it can be brought back after closing it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.review.series_view import SeriesView
from dedup_gui.text import plural

TITLE = "Similar shots"
DOCK_HEIGHT = 320  # a row of shots with their facts; the person may drag it taller


def build_series_dock(window: QMainWindow, view: SeriesView, view_menu: QMenu) -> QDockWidget:
    dock = QDockWidget(TITLE, window)
    dock.setObjectName("similar-shots-dock")
    dock.setWidget(view)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)
    view_menu.addSeparator()
    view_menu.addAction(dock.toggleViewAction())
    dock.hide()
    shown_for = [-1]  # the results (ReviewState.generation) the dock was last opened for
    view.state.reset.connect(lambda: _results_changed(dock, view.state, shown_for))
    return dock


def _results_changed(dock: QDockWidget, state: ReviewState, shown_for: list[int]) -> None:
    """New results with series: the dock shows, titled with their number. The same results
    marked again (new keeper rules) leave it where the person put it, closed or not."""
    count = len(state.series)
    dock.setWindowTitle(f"{TITLE} ({plural(count, 'series', 'series')})" if count else TITLE)
    if count and shown_for[0] != state.generation:
        shown_for[0] = state.generation
        dock.show()
