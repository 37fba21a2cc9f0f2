"""Keep/Remove marks on similar-shot series: other shots of one scene (a burst, a second try),
never duplicates. Nothing is marked until the person asks: a shot by hand, or "Keep the best of
each series", which marks every shot still in place but the suggested best one. The same guards
as for groups: a file in a protected folder is never marked, a file in the Trash is left as it
is, and a series always keeps at least one shot in place (the best, for the helper). The
helper leaves a shot that has other versions in a duplicate group (an edit, a resized copy):
moved as a series shot, its group keeps the other version instead, and a couple's check lost
the full-size original of the burst frame they had cropped and exported, only the 2048-px
export left. Such a shot is chosen in its group, or marked by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dedup_gui.engine.actions.burst_marks import (
    BURST_S,
    marked_by_keep_best,
    with_other_versions,
)
from dedup_gui.engine.actions.protected import is_protected
from dedup_gui.engine.types import Group, GroupFile
from dedup_gui.qt.review.review_state import PROTECTED, ReviewState
from dedup_gui.text import plural

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


@dataclass
class KeptBest:
    """What "keep the best of each series" did: series changed; series left alone because
    their best shot is no longer in place (in the Trash, or changed since the scan: the person
    chooses again there); exposure brackets left whole (grouping/brackets.py); shots left as
    they were because nothing says they are of the best one's burst (taken further from it,
    with no capture time, by another camera or at another size: burst_marks.py)."""

    changed: int = 0
    refused: int = 0
    brackets: int = 0
    other_moments: int = 0
    with_versions: int = 0  # shots left because a duplicate group holds other versions of them


def keep_best(state: ReviewState, series: Iterable[int],
              protected_folders: Sequence[str] = ()) -> KeptBest:
    """Mark all but the best shot of each of `series` that are of its burst (burst_marks.py);
    a shot of another moment keeps its mark as it was."""
    done = KeptBest()
    folders = tuple(protected_folders)
    versions = with_other_versions(state.groups, state.out_of_place)
    for index in series:
        one = state.series[index]
        live = {f.path for f in live_shots(state, index)}
        if one.bracket:
            done.brackets += 1
            continue
        if one.best not in live:
            done.refused += 1
            continue
        burst = set(marked_by_keep_best(one)) & live
        others = live - burst - {one.best}
        done.other_moments += len(others)
        done.with_versions += len(burst & versions)
        marks = {p for p in burst - versions if not is_protected(p, folders)}
        current = state.series_remove[index]
        new = (current - live) | marks | (current & (others | (burst & versions)))
        if new != current:
            state.series_remove[index] = new
            state.series_changed.emit(index)
            done.changed += 1
    return done


def kept_best_text(done: KeptBest, marked: int, trash: str) -> str:
    """The status line after "keep the best of each series" (`marked`: shots now marked
    Remove in all series; `trash`: the command that moves them)."""
    text = f"{KEEP_BEST}: {plural(done.changed, 'series', 'series')} changed."
    if done.refused:
        text += (f" {plural(done.refused, 'series', 'series')} left as they were: the best shot "
                 "is no longer in place.")
    if done.brackets:
        text += (f" {plural(done.brackets, 'exposure bracket')} left whole: "
                 f"{'its' if done.brackets == 1 else 'their'} frames are for merging.")
    if done.other_moments:
        text += (f" {plural(done.other_moments, 'shot')} not known to be of the best one's "
                 f"burst (the same camera body and size, within {BURST_S:.0f} s) left as they "
                 "were: choose those by hand.")
    if done.with_versions:
        text += (f" {plural(done.with_versions, 'shot')} with other versions in a duplicate "
                 "group (an edit, a resized copy) left as they were: choose those in their "
                 "groups.")
    if marked:
        text += f" {plural(marked, 'shot')} marked Remove; “{trash}” moves them, after asking."
    return text


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
