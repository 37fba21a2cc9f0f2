"""What the person is deciding: keep/remove marks per group, files already moved to the trash,
groups dismissed as "not duplicates". Starts from the rule chain's proposals; the model, the group
view and the status bar all read it and listen to `group_changed`. Its questions are in
review_reading.py, the results growing under it (new proposals, groups added) in
review_growth.py, protected folders' marks in review_protection.py; all are mixed in.

Two refusals live here because the UI must never offer them: removing every file of a group, and
removing a file in a protected folder. The engine's plan refuses them again before acting.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from dedup_gui.engine.types import Group, Series
from dedup_gui.qt.review.review_carry import (
    carry_marks,
    changed_since,
    marks_as_left,
    reviewed_groups,
)
from dedup_gui.qt.review.review_growth import ResultsGrowth
from dedup_gui.qt.review.review_protection import Protection
from dedup_gui.qt.review.review_reading import ReviewReading
from dedup_gui.qt.review.review_releases import Releases
from dedup_gui.tasks.gc_pause import gc_paused
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.tasks.session import Session, series_marks
from dedup_gui.tasks.summaries import summarise

LAST_FILE = "Every group keeps at least one file: mark another file Keep first."
PROTECTED = "This file is in a protected folder, so it is always kept."


class ReviewState(QObject, ReviewReading, ResultsGrowth, Protection, Releases):
    group_changed = Signal(int)  # marks, trash or dismissal changed in this group
    reset = Signal()  # new results (or none)
    groups_added = Signal(int, int, int)  # first new group, how many, the group they came from
    series_changed = Signal(int)  # marks or trash changed in this similar-shot series

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.outcome: ScanOutcome | None = None
        self.groups: tuple[Group, ...] = ()
        self.remove: list[set[str]] = []
        self.protected: set[str] = set()
        self.lifted: dict[int, set[str]] = {}  # marks protection took (review_protection.py)
        self.released: dict[tuple[bool, int], set[str]] = {}  # marks moves took (releases)
        self.gone_marks: dict[int, set[str]] = {}  # marks of files found gone (set_gone)
        self.series_lifted: dict[int, set[str]] = {}
        self.summaries = summarise(())
        self.reclaim: list[int] = []  # reclaimable(group), kept up to date for sorting
        self.generation = 0  # +1 for every new set of results (group numbers change)
        self.trashed: set[str] = set()
        self.moved_to: dict[str, str] = {}  # of `trashed`: moved to this folder, not the Trash
        self.dismissed: set[int] = set()
        self.carried: list[int] = []  # groups whose hand marks a rescan kept (review_carry)
        self.marks_replaced: list[str] = []  # hand-marked groups found changed (review_carry)
        self.opened: set[int] = set()  # groups the person has had on show: reviewed, not
        # only suggested (bulk removal moves only these unless asked otherwise)
        self.gone: set[str] = set()  # changed or gone since the scan (found on reopening)
        # trashed | gone, kept up to date: read per group in loops over every group
        self.out_of_place: set[str] = set()
        # Similar-shot series (review/series_marks.py): apart from the groups, never counted
        # with them, nothing marked until the person asks ("keep the best of each series")
        self.series: tuple[Series, ...] = ()
        self.series_remove: list[set[str]] = []
        self.series_of_path: dict[str, list[int]] = {}

    def load(self, outcome: ScanOutcome | None) -> None:
        """Take new results. A big result is hundreds of thousands of objects that live until
        the next scan: copying the marks made Python's cyclic GC walk all of them (62 ms per
        full pass at 20,000 groups, in the middle of showing the list). So the copy runs with the
        GC paused and the results are then frozen out of its reach; they are still freed by
        reference counting when the next results replace them."""
        with gc_paused():
            left = marks_as_left(self.remove, self.gone_marks, self.lifted, self.released)
            before = reviewed_groups(self.groups, left, self._suggested(), self.opened)
            self._load(outcome)
            self.carried = carry_marks(self.groups, self.remove, self.opened, self.protected,
                                       before)
            self.marks_replaced = changed_since(self.groups, before)
            for index in self.carried:
                self.reclaim[index] = self.reclaimable(index)
        self.reset.emit()

    def _suggested(self) -> list[set[str]]:
        """The rule chain's marks of the results on show (before any change by hand)."""
        return [set(r) for r in self.outcome.removals] if self.outcome else []

    def _load(self, outcome: ScanOutcome | None) -> None:
        self.generation += 1
        self.outcome = outcome
        self.groups = outcome.result.groups if outcome else ()
        self.remove = [set(r) for r in outcome.removals] if outcome else []
        self.protected = set(outcome.protected_paths) if outcome else set()
        self.forget_lifted()
        self.released, self.gone_marks = {}, {}
        self.summaries = (outcome.summaries if outcome and outcome.summaries
                          else summarise(self.groups, self.remove))
        self.trashed.clear()
        self.moved_to.clear()
        self.dismissed.clear()
        self.opened.clear()
        self.gone.clear()
        self.out_of_place.clear()
        self.reclaim = list(self.summaries.reclaim)
        self._set_series(tuple(getattr(outcome.result, "series", ())) if outcome else ())

    def _set_series(self, series: tuple[Series, ...]) -> None:
        """New series; a shot marked Remove stays marked in whichever series now holds it, as
        long as it is the same file (path, size and time modified). Why by shot, not by
        series: a new keeper proposal can change which file stands for a duplicate group in a
        series, and marks kept only for series whose files were all the same vanished from
        every series one such group was in (a first-user review: one path rule added in
        Preferences cleared three series' marks); a re-scan cleared them all. A series whose
        every shot would be marked keeps them all (every series keeps a shot)."""
        pairs = zip(self.series, self.series_remove, strict=False)
        marked = {(f.path, f.size, f.mtime_ns) for one, marks in pairs
                  for f in one.files if f.path in marks}
        self.series = series
        self.series_remove = []
        for one in series:
            shots = {f.path for f in one.files}
            carried = {f.path for f in one.files if (f.path, f.size, f.mtime_ns) in marked}
            self.series_remove.append(carried if carried != shots else set())
        self.series_of_path = {}
        for index, one in enumerate(self.series):
            for file in one.files:
                self.series_of_path.setdefault(file.path, []).append(index)

    # -- changing ---------------------------------------------------------------------------
    def mark_opened(self, group: int) -> None:
        self.opened.add(group)

    def toggle(self, group: int, path: str) -> str | None:
        return self.set_marked(group, path, not self.is_marked(group, path))

    def set_marked(self, group: int, path: str, remove: bool) -> str | None:
        """Mark one file; returns why not when the change is refused."""
        if path in self.out_of_place or remove == self.is_marked(group, path):
            return None
        if remove and path in self.protected:
            return PROTECTED
        if remove and len(self.live_files(group)) - len(self.marked_files(group)) <= 1:
            return LAST_FILE
        (self.remove[group].add if remove else self.remove[group].discard)(path)
        self.opened.add(group)  # a mark changed by hand: reviewed
        self._changed(group)
        return None

    def replace_marks(self, group: int, paths: set[str]) -> bool:
        """Set the Remove marks of the files of `group` still in place (files in the Trash keep
        theirs); whether anything changed. The callers (mark helpers) guard protected files and
        the last kept file."""
        live = {f.path for f in self.live_files(group)}
        new = (self.remove[group] - live) | (paths & live)
        if new == self.remove[group]:
            return False
        self.remove[group] = new
        self._changed(group)
        return True

    def set_trashed(self, paths: set[str], trashed: bool, folder: str = "") -> list[str]:
        """Only grouped files count: companions that moved with a photo (its RAW, Live video,
        sidecars) are in no group, and would throw off the counts of files still in place.
        `folder`: they went there (Move to folder), not to the Trash. Returns the files whose
        Remove marks a move took off (_keep_last_copies)."""
        paths = {p for p in paths if self.is_reviewed(p)}
        for path in paths:
            if trashed and folder:
                self.moved_to[path] = folder
            else:
                self.moved_to.pop(path, None)
        (self.trashed.update if trashed else self.trashed.difference_update)(paths)
        (self.out_of_place.update if trashed else self.out_of_place.difference_update)(
            paths - self.gone)
        released = self._keep_last_copies(paths) if trashed else []
        if not trashed:
            self._give_back_released(paths)
        for index in self._groups_of(paths):
            self._changed(index)
        for index in self._series_of(paths):
            self.series_changed.emit(index)
        return released

    def kept_in_groups(self, paths: set[str]) -> set[str]:
        """The files of `paths` that a duplicate group keeps: in place and not marked."""
        kept: set[str] = set()
        for index in self._groups_of(paths):
            live = {f.path for f in self.live_files(index)} & paths
            kept |= live - self.remove[index]
        return kept

    def set_dismissed(self, group: int, dismissed: bool) -> None:
        (self.dismissed.add if dismissed else self.dismissed.discard)(group)
        self._changed(group)

    # -- surviving a restart ----------------------------------------------------------------
    def snapshot(self) -> Session | None:
        """What to save for next time (None: no results)."""
        if self.outcome is None:
            return None
        return Session(self.outcome, [set(r) for r in self.remove], set(self.dismissed),
                       set(self.trashed), set(self.opened), moved_to=dict(self.moved_to),
                       series_remove=[set(r) for r in self.series_remove],
                       lifted={i: set(p) for i, p in self.lifted.items()},
                       series_lifted={i: set(p) for i, p in self.series_lifted.items()},
                       released={w: set(p) for w, p in self.released.items()})

    def restore(self, session: Session, reclaim: list[int] | None = None) -> None:
        """The saved results, marks and decisions, as they were when the app was closed.
        `reclaim`: each group's reclaimable bytes, computed already (tasks/session.py)."""
        with gc_paused():
            self._load(session.outcome)
            self.remove = session.remove
            self.dismissed, self.trashed = session.dismissed, session.trashed
            self.moved_to = dict(getattr(session, "moved_to", None) or {})  # older sessions
            self.out_of_place = set(session.trashed)
            self.opened = session.opened  # the saved summaries hold: they do not depend on marks
            self.series_remove = series_marks(session, len(self.series))
            self.lifted = _saved_lifted(session, "lifted", len(self.groups))
            self.series_lifted = _saved_lifted(session, "series_lifted", len(self.series))
            self.released = {(series, i): set(paths) for (series, i), paths in
                             (getattr(session, "released", None) or {}).items()
                             if 0 <= i < (len(self.series) if series else len(self.groups))}
            if reclaim is None or len(reclaim) != len(self.groups):
                reclaim = [self.reclaimable(g) for g in range(len(self.groups))]
            self.reclaim = reclaim
        self.reset.emit()

    def set_gone(self, paths: set[str]) -> list[str]:
        """Files found changed or gone since the scan: out of the review, their marks dropped.
        A group whose kept file went keeps what is still in place: those files' marks come off
        (returned), as after a move (the cards said Remove on every file left)."""
        self.gone |= paths
        self.out_of_place |= paths
        groups, series = self._groups_of(paths), self._series_of(paths)
        for index in groups:
            if dropped := self.remove[index] & paths:  # the person's marks, for a rescan
                self.gone_marks.setdefault(index, set()).update(dropped)
            self.remove[index] -= paths
        for index in series:
            self.series_remove[index] -= paths
        released = self._keep_last_copies(paths)
        for index in groups:
            self._changed(index)
        for index in series:
            self.series_changed.emit(index)
        return released

    def _changed(self, group: int) -> None:
        self.reclaim[group] = self.reclaimable(group)
        self.group_changed.emit(group)


def _saved_lifted(session: Session, name: str, count: int) -> dict[int, set[str]]:
    """The marks protection took, as saved (none in a session older than them)."""
    saved = getattr(session, name, None) or {}
    return {index: set(paths) for index, paths in saved.items() if 0 <= index < count}
