"""Keep/Remove marks on similar-shot series: other shots of one scene (a burst, a second try),
never duplicates. Nothing is marked until the person asks: a shot by hand, or "Keep the best of
each series", which marks every shot still in place but the suggested best one. The same guards
as for groups: a file in a protected folder is never marked, a file in the Trash is left as it
is, and a series always keeps at least one shot in place (the best, for the helper).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dedup_gui.engine.actions.protected import is_protected
from dedup_gui.engine.types import Group, GroupFile
from dedup_gui.qt.review.review_state import PROTECTED, ReviewState

KEEP_BEST = "Keep the best of each series"
LAST_SHOT = "Every series keeps at least one shot: mark another shot Keep first."


def live_shots(state: ReviewState, series: int) -> list[GroupFile]:
    """The series' shots still in place (not in the Trash, not changed since the scan)."""
    out = state.out_of_place
    return [f for f in state.series[series].files if f.path not in out]


def is_marked(state: ReviewState, series: int, path: str) -> bool:
    return path in state.series_remove[series]


def marked_shots(state: ReviewState, series: int) -> set[str]:
    return {f.path for f in live_shots(state, series)} & state.series_remove[series]


def set_marked(state: ReviewState, series: int, path: str, remove: bool,
               protected_folders: Sequence[str] = ()) -> str | None:
    """Mark one shot; why not, when refused."""
    if path in state.out_of_place or remove == is_marked(state, series, path):
        return None
    if remove and is_protected(path, tuple(protected_folders)):
        return PROTECTED
    if remove and len(live_shots(state, series)) - len(marked_shots(state, series)) <= 1:
        return LAST_SHOT
    (state.series_remove[series].add if remove else state.series_remove[series].discard)(path)
    state.series_changed.emit(series)
    return None


def keep_best(state: ReviewState, series: Iterable[int],
              protected_folders: Sequence[str] = ()) -> tuple[int, int, int]:
    """Mark all but the best shot of each of `series`; how many series changed, how many
    were left alone because their best shot is no longer in place (in the Trash, or changed
    since the scan: the person chooses again there), and how many were exposure brackets,
    left whole: their frames are made to be merged (grouping/brackets.py)."""
    changed = refused = brackets = 0
    folders = tuple(protected_folders)
    for index in series:
        if state.series[index].bracket:
            brackets += 1
            continue
        live = {f.path for f in live_shots(state, index)}
        best = state.series[index].best
        if best not in live:
            refused += 1
            continue
        marks = {p for p in live - {best} if not is_protected(p, folders)}
        new = (state.series_remove[index] - live) | marks
        if new != state.series_remove[index]:
            state.series_remove[index] = new
            state.series_changed.emit(index)
            changed += 1
    return changed, refused, brackets


def all_marked(state: ReviewState) -> dict[int, set[str]]:
    """Series index -> its shots marked Remove and still in place: what the Trash acts on."""
    found = {index: marked_shots(state, index) for index in range(len(state.series))}
    return {index: paths for index, paths in found.items() if paths}


def marked_totals(state: ReviewState) -> tuple[int, int]:
    """Shots marked Remove and still in place, and their bytes (a shot in two series once):
    the status line and the question before quitting count them beside the groups' files."""
    sizes = {f.path: f.size for one in state.series for f in one.files}
    marked = set().union(*all_marked(state).values())
    return len(marked), sum(sizes[path] for path in marked)


def as_groups(state: ReviewState) -> list[Group]:
    """The series as the removal plan sees them: a plan never empties one (engine/actions)."""
    return [Group(series.files, series.pairs) for series in state.series]
