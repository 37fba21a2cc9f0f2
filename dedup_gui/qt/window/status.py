"""Keeping the main window's state on show: the status bar summary, the empty states' text and
which actions are enabled. Plain functions of what the window knows, called after any change;
they return text or set widgets they are given, never attributes of the window."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QToolButton

from dedup_gui.qt.review import series_marks
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.qt.window.actions import Actions
from dedup_gui.text import human_bytes, plural

NO_FOLDERS = "No results yet."


@dataclass(frozen=True, slots=True)
class Now:
    """What decides which commands can run."""

    scanning: bool  # a scan (or proposals, insights) runs: results may be replaced
    busy: bool  # anything runs that must not be raced (a scan, a move, a pair decision)
    has_results: bool
    has_group: bool  # a group is on show
    files_in_group: int
    has_folders: bool
    can_undo: bool
    undo_text: str
    pairs_busy: bool
    can_redo: bool = False
    redo_text: str = "&Redo"


def empty_text(scanning: bool, folder_count: int, state: ReviewState) -> str:
    """What the results list says when it has no rows."""
    if scanning:
        return "Scanning…"
    if not folder_count:
        return NO_FOLDERS
    outcome = state.outcome
    if outcome is None:
        return f"Click Scan to look for duplicates in {plural(folder_count, 'folder')}."
    if not outcome.result.stats.files:
        return ("No images were found in the scanned folders. Add a folder that holds photos "
                "(JPEG, HEIC, PNG, RAW …) and click Scan.")
    if not outcome.result.groups:
        return f"No duplicates found among {plural(outcome.result.stats.files, 'image')}."
    return "Every group is dealt with."


def update_summary(summary: QLabel, issues_button: QToolButton, actions: Actions,
                   state: ReviewState, folder_count: int, shown: int | None = None) -> None:
    """'12 groups · 40 files · 28 files marked Remove (310 MB) · 3 similar shots marked Remove
    (9 MB)', and the unreadable-files button. The shots are counted apart: never duplicates.
    `shown`: the groups the list shows; fewer than all (a filter) reads '191 of 3,492 groups
    shown' (the line said 3,492 while the list showed 191: a keyboard user's check)."""
    outcome = state.outcome
    if outcome is None:
        summary.setText(f"{plural(folder_count, 'folder')} to scan" if folder_count
                        else "No folders yet")
        issues_button.setVisible(False)
        actions.unreadable.setEnabled(False)
        return
    count, size = state.marked_totals()
    groups = len(state.active_groups())
    counted = (f"{shown:,} of {plural(groups, 'group')} shown" if shown is not None
               and shown < groups else plural(groups, 'group'))
    summary.setText(f"{counted} · "
                    f"{plural(state.live_file_count(), 'file')} · "
                    f"{plural(count, 'file')} marked Remove ({human_bytes(size)})"
                    + shots_marked(state))
    issues, notes = len(outcome.result.issues), len(outcome.result.warnings)
    issues_button.setVisible(bool(issues or notes))
    actions.unreadable.setEnabled(bool(issues or notes))
    # A scan that read every file can still have something to say (folders it skipped, a
    # damaged cache): the status message saying it is gone after 8 s.
    actions.unreadable.setText(f"{plural(issues, 'unreadable file')}…" if issues
                               else "Scan notes…")


def shots_marked(state: ReviewState) -> str:
    """' · 3 similar shots marked Remove (9 MB)', or nothing when no shot is marked (the
    status line left them out: a first-user review had 12 marked, the line said nothing)."""
    shots, size = series_marks.marked_totals(state)
    return f" · {plural(shots, 'similar shot')} marked Remove ({human_bytes(size)})" if shots \
        else ""


def update_actions(a: Actions, now: Now) -> None:
    """Enable what can be done now: nothing that would race the scan or a trash batch."""
    a.scan.setEnabled(not now.busy)
    a.cancel.setEnabled(now.scanning)
    a.export.setEnabled(now.has_results and not now.scanning)
    a.trash.setEnabled(now.has_group and not now.busy)
    a.trash_shown.setEnabled(now.has_results and not now.busy)
    a.trash_identical.setEnabled(now.has_results and not now.busy)
    a.undo.setEnabled(now.can_undo and not now.scanning and not now.pairs_busy)
    a.undo.setText(now.undo_text)
    a.redo.setEnabled(now.can_redo and not now.busy)
    a.redo.setText(now.redo_text)
    a.move_folder.setEnabled(now.has_group and not now.busy)
    a.move_folder_shown.setEnabled(now.has_results and not now.busy)
    a.save_results.setEnabled(now.has_results and not now.busy)
    a.open_results.setEnabled(not now.busy)
    for action in (a.toggle, a.not_duplicates, a.next_file, a.prev_file):
        action.setEnabled(now.has_group and not now.busy)
    two = now.has_group and now.files_in_group > 1
    a.compare.setEnabled(two)
    a.not_duplicates_pair.setEnabled(two and not now.busy)
    a.find_similar.setEnabled(now.has_folders and not now.scanning)
    a.find_similar_photo.setEnabled(now.has_folders and not now.scanning)
