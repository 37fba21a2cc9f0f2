"""Keeping the main window's state on show: the status bar summary, the empty states' text and
which actions are enabled. Plain functions of the window, called after anything changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dedup_gui.qt.formatting import human_bytes, plural

if TYPE_CHECKING:
    from dedup_gui.qt.main_window import MainWindow

NO_FOLDERS = "No results yet."


def empty_text(window: MainWindow) -> str:
    """What the results list says when it has no rows."""
    if window.scan_task is not None:
        return "Scanning…"
    if not window.folders.folders():
        return NO_FOLDERS
    outcome = window.state.outcome
    if outcome is None:
        count = len(window.folders.folders())
        return f"Click Scan to look for duplicates in {plural(count, 'folder')}."
    if not outcome.result.groups:
        return f"No duplicates found among {plural(outcome.result.stats.files, 'image')}."
    return "Every group is dealt with."


def update_summary(window: MainWindow) -> None:
    """'12 groups · 40 files · 28 files marked Remove (310 MB)', and the unreadable-files button."""
    outcome, state, actions = window.state.outcome, window.state, window.actions
    if outcome is None:
        count = len(window.folders.folders())
        window.summary.setText(f"{plural(count, 'folder')} to scan" if count
                               else "No folders yet")
        window.issues_button.setVisible(False)
        actions.unreadable.setEnabled(False)
        return
    groups = state.active_groups()
    count, size = state.marked_totals()
    window.summary.setText(f"{plural(len(groups), 'group')} · "
                           f"{plural(state.live_file_count(), 'file')} · "
                           f"{plural(count, 'file')} marked Remove ({human_bytes(size)})")
    issues = len(outcome.result.issues)
    window.issues_button.setVisible(bool(issues))
    actions.unreadable.setEnabled(bool(issues))
    actions.unreadable.setText(f"{plural(issues, 'unreadable file')}…")


def update_actions(window: MainWindow) -> None:
    """Enable what can be done now: nothing that would race the scan or a trash batch."""
    a, flow, pairs = window.actions, window.flow, window.pairs
    scanning = window.scan_task is not None
    busy = scanning or flow.busy or pairs.busy
    has_results = window.state.outcome is not None
    has_group = window.group_view.group is not None
    a.scan.setEnabled(not busy)
    a.cancel.setEnabled(scanning)
    a.export.setEnabled(has_results and not scanning)
    a.trash.setEnabled(has_results and not busy)
    a.undo.setEnabled((flow.can_undo or pairs.owns_undo()) and not scanning and not pairs.busy)
    a.undo.setText("&Undo Not duplicates" if pairs.owns_undo() else flow.undo_text())
    for action in (a.toggle, a.not_duplicates, a.next_file, a.prev_file):
        action.setEnabled(has_group and not busy)
    two = has_group and len(window.group_view.cards) > 1
    a.compare.setEnabled(two)
    a.not_duplicates_pair.setEnabled(two and not busy)
    a.find_similar.setEnabled(bool(window.folders.folders()) and not scanning)
    a.find_similar_photo.setEnabled(bool(window.folders.folders()) and not scanning)
