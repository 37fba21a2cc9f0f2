"""Keeping the main window's widgets in step with its parts after any change: which page the
review shows, the results list's empty text, the status bar's summary, which commands can run.

A module of its own because it is the one place that reads every part of the window at once
(the foreground task, the review state, the trash flow, the pair decisions, the group view, the
folders) to feed status.py's plain functions; the window only says when.
"""

from __future__ import annotations

from typing import Any

from dedup_gui.qt.window import status


def refresh_everything(window: Any) -> None:
    """All of it: after a scan starts or ends, results are reset, files move, folders change.
    `window` is a MainWindow (not imported: it imports this module)."""
    scanning = window.foreground.scanning
    window.results.set_empty_text(status.empty_text(scanning, len(window.folders.folders()),
                                                    window.state))
    waiting = window.state.outcome is None and not scanning
    window.review.setCurrentWidget(window.welcome if waiting else window.group_view)
    if window.state.outcome is None:
        window.group_view.show_group(None, "Scanning…" if scanning else "")
    refresh_summary(window)
    refresh_actions(window)


def refresh_summary(window: Any) -> None:
    """The status bar's counts (what is marked Remove, unreadable files)."""
    status.update_summary(window.summary, window.issues_button, window.actions, window.state,
                          len(window.folders.folders()), window.results.proxy.rowCount())


def refresh_actions(window: Any) -> None:
    """Which commands can run now: menus, toolbar, Mark helpers, the similar shots' buttons."""
    foreground, pairs, flow = window.foreground, window.pairs, window.flow
    pairs_undo = pairs.owns_undo()
    status.update_actions(window.actions, status.Now(
        scanning=foreground.scanning,
        busy=foreground.busy or pairs.busy,
        has_results=window.state.outcome is not None,
        has_group=window.group_view.group is not None,
        files_in_group=len(window.group_view.cards),
        has_folders=bool(window.folders.folders()),
        can_undo=flow.can_undo or pairs_undo,
        undo_text="&Undo Not duplicates" if pairs_undo else flow.undo_text(),
        pairs_busy=pairs.busy,
        can_redo=flow.can_redo, redo_text=flow.redo_text()))
    for action in window.mark_actions:
        action.setEnabled(window.group_view.group is not None and not foreground.busy)
    window.keep_best_action.setEnabled(bool(window.state.series) and not foreground.busy)
    window.series_view.set_busy(foreground.busy)
