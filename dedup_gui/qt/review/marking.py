"""Mark helpers: set the Keep/Remove marks of many files at once, for the group on show, the
groups the list shows, or one kind of match. The same guards as a single toggle apply to every
group: a file in a protected folder is never marked, a file in the Trash is left as it is, and a
group keeps at least one file in place (a helper that would mark them all leaves that group
alone and says so). Bulk marks do not count as reviewing a group: Shift+Delete still treats the
groups nobody opened as suggestions."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from dedup_gui.engine.actions.protected import protected_among
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.text import plural


class How(StrEnum):
    """A way to mark a group; the value is the menu text."""

    SUGGESTED = "Keep the suggestion"
    ALL_BUT_KEEPER = "Mark all but the keeper"
    KEEP_ALL = "Keep all"
    INVERT = "Invert marks"


def wanted(state: ReviewState, group: int, how: How) -> set[str]:
    """The Remove marks `how` asks for in `group`, before the guards."""
    live = {f.path for f in state.live_files(group)}
    if how is How.SUGGESTED and state.outcome is not None:
        return set(state.outcome.removals[group]) & live
    if how is How.ALL_BUT_KEEPER:
        return live - suggested_keepers(state, group)
    if how is How.INVERT:
        return live - state.remove[group]
    return set()


def suggested_keepers(state: ReviewState, group: int) -> set[str]:
    """The files the keeper rules chose, still in place; else the first kept file."""
    live = {f.path for f in state.live_files(group)}
    if state.outcome is not None and (kept := live - set(state.outcome.removals[group])):
        return kept
    return {state.keeper(group).path}


def apply(state: ReviewState, groups: Iterable[int], how: How) -> tuple[int, int]:
    """Mark `groups` (dismissed ones are skipped); how many groups changed, and how many were
    left alone because every file in place would have been marked."""
    changed = refused = 0
    for group in groups:
        if group in state.dismissed:
            continue
        live = {f.path for f in state.live_files(group)}
        marks = wanted(state, group, how) - state.protected
        if live and marks >= live:
            refused += 1
            continue
        if state.replace_marks(group, marks):
            changed += 1
    return changed, refused


def protect_folders(state: ReviewState, folders: Iterable[str]) -> str:
    """The grouped files and series shots under `folders` (Protected, ticked or not just now)
    made the review's protected files: their Remove marks taken off, and the marks a tick took
    given back to files it no longer covers; what the status line says of it ("" when no mark
    changed)."""
    if state.outcome is None:
        return ""
    shown = (f.path for g in (*state.groups, *state.series) for f in g.files)
    done = state.set_protected(protected_among(shown, folders))  # none: not one path read
    notes = []
    if done.unmarked:
        notes.append(f"{plural(len(done.unmarked), 'file')} in a protected folder no longer "
                     "marked Remove: files there are always kept.")
    if done.given_back:
        notes.append(f"{plural(len(done.given_back), 'file')} marked Remove again, as before "
                     "Protected was ticked.")
    if done.held_back:
        notes.append(f"{plural(len(done.held_back), 'file')} not marked Remove again: "
                     "their group would keep no file.")
    return " ".join(notes)
