"""What the person is deciding: keep/remove marks per group, files already moved to the trash,
groups dismissed as "not duplicates". Starts from the rule chain's proposals; the model, the group
view and the status bar all read it and listen to `group_changed`.

Two refusals live here because the UI must never offer them: removing every file of a group, and
removing a file in a protected folder. The engine's plan refuses them again before acting.
"""

from __future__ import annotations

from itertools import chain

from PySide6.QtCore import QObject, Signal

from dedup_gui.engine.types import Group, GroupFile, Series, marked_bytes, reclaimable_bytes
from dedup_gui.tasks.added import with_file_added
from dedup_gui.tasks.gc_pause import gc_paused
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.tasks.session import Session, series_marks
from dedup_gui.tasks.summaries import summarise

LAST_FILE = "Every group keeps at least one file: mark another file Keep first."
PROTECTED = "This file is in a protected folder, so it is always kept."


class ReviewState(QObject):
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
        self.summaries = summarise(())
        self.reclaim: list[int] = []  # reclaimable(group), kept up to date for sorting
        self.generation = 0  # +1 for every new set of results (group numbers change)
        self.trashed: set[str] = set()
        self.moved_to: dict[str, str] = {}  # of `trashed`: moved to this folder, not the Trash
        self.dismissed: set[int] = set()
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
            self._load(outcome)
        self.reset.emit()

    def _load(self, outcome: ScanOutcome | None) -> None:
        self.generation += 1
        self.outcome = outcome
        self.groups = outcome.result.groups if outcome else ()
        self.remove = [set(r) for r in outcome.removals] if outcome else []
        self.protected = set(outcome.protected_paths) if outcome else set()
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

    # -- reading ----------------------------------------------------------------------------
    def is_marked(self, group: int, path: str) -> bool:
        return path in self.remove[group]

    def live_files(self, group: int) -> list[GroupFile]:
        out = self.out_of_place
        return [f for f in self.groups[group].files if f.path not in out]

    def marked_files(self, group: int) -> list[GroupFile]:
        return [f for f in self.live_files(group) if f.path in self.remove[group]]

    def reclaimable(self, group: int) -> int:
        """The group's marked files still in place (engine/types.py reclaimable_bytes)."""
        return reclaimable_bytes([self.groups[group]], [self.remove[group] - self.out_of_place])

    def keeper(self, group: int) -> GroupFile:
        """The first kept file (the thumbnail a group is shown by)."""
        files = self.groups[group].files
        kept = [f for f in files if f.path not in self.remove[group]]
        return (kept or list(files))[0]

    def date_ns(self, file: GroupFile) -> int | None:
        return self.outcome.dates.get(file.path) if self.outcome else None

    def dates_read(self) -> bool:
        """The scan looked for every grouped file's date taken (a missing one has none)."""
        return self.outcome is not None and self.outcome.dates_read

    def active_groups(self) -> list[int]:
        return [i for i in range(len(self.groups)) if i not in self.dismissed]

    def marks(self) -> dict[int, set[str]]:
        """Marked, not yet trashed paths per active group: what "Move to Trash" acts on."""
        result = {}
        for index in self.active_groups():
            paths = {f.path for f in self.marked_files(index)}
            if paths:
                result[index] = paths
        return result

    def current_removals(self) -> list[set[str]]:
        """Per group, what the marks would move now (a dismissed group, a moved file: nothing):
        the exported JSON's keep/remove, so its reclaimable bytes are the status line's."""
        out, dismissed = self.out_of_place, self.dismissed
        return [set() if i in dismissed else r - out for i, r in enumerate(self.remove)]

    def marked_paths(self) -> set[str]:
        return {path for paths in self.marks().values() for path in paths}

    def marked_totals(self) -> tuple[int, int]:
        """Files marked Remove (not yet trashed) in active groups, and their bytes."""
        remove, out = self.remove, self.out_of_place
        marked = dict.fromkeys(chain.from_iterable(remove[i] for i in self.active_groups()))
        for path in out & marked.keys():  # in group order: a set's order is slower to sum
            del marked[path]
        return len(marked), marked_bytes(marked.keys(), self.summaries.sizes)

    def live_file_count(self) -> int:
        """Files of active groups still in place (not moved to the trash)."""
        groups, grouped = self.groups, self.summaries.groups_of_path
        out = sum(1 for p in self.out_of_place if p in grouped)  # not shots of a series
        return sum(len(groups[i].files) for i in self.active_groups()) - out

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
        for index in self._groups_of(paths):
            self._changed(index)
        for index in self._series_of(paths):
            self.series_changed.emit(index)
        return released

    def _keep_last_copies(self, moved: set[str]) -> list[str]:
        """Remove marks taken off the files of each group that `moved` left with no kept file
        in place: the file it kept went another way (a series' "keep the best" moved a burst
        frame that is also a duplicate group's original), so its marked copies are now the
        photo's last files (the removal plan would refuse them; this says so at once)."""
        released = []
        for index in self._groups_of(moved):
            live = {f.path for f in self.live_files(index)}
            if live and live <= self.remove[index]:
                self.remove[index] -= live
                released += sorted(live)
        return released

    def kept_in_groups(self, paths: set[str]) -> set[str]:
        """The files of `paths` that a duplicate group keeps: in place and not marked."""
        kept: set[str] = set()
        for index in self._groups_of(paths):
            live = {f.path for f in self.live_files(index)} & paths
            kept |= live - self.remove[index]
        return kept

    def set_protected(self, paths: set[str]) -> list[str]:
        """`paths` (the grouped files under a protected folder now) are always kept: their
        Remove marks, in groups and series, come off at once (ticking Protected left the
        cards saying Remove and the status line counting them); the files unmarked."""
        changed, self.protected = self.protected ^ set(paths), set(paths)
        unmarked: set[str] = set()
        for marks in self.remove:
            if hit := (marks & self.protected) - self.out_of_place:
                marks -= hit
                unmarked |= hit
        for index in self._groups_of(changed):  # cards say "Keep (protected folder)" or not
            self._changed(index)
        for index, marks in enumerate(self.series_remove):
            if hit := (marks & self.protected) - self.out_of_place:
                marks -= hit
                unmarked |= hit
                self.series_changed.emit(index)
        return sorted(unmarked)

    def set_dismissed(self, group: int, dismissed: bool) -> None:
        (self.dismissed.add if dismissed else self.dismissed.discard)(group)
        self._changed(group)

    def repropose(self, outcome: ScanOutcome) -> None:
        """New keeper proposals for the same groups (after the keeper rules changed): only the
        marks change. Groups dismissed as "not duplicates", groups formed again after a pair
        decision, files moved to the Trash and the group numbers all stay as they are."""
        assert self.outcome is not None and outcome.result.groups is self.outcome.result.groups
        with gc_paused():
            self.outcome = outcome
            if outcome.result.series != self.series:  # series follow the new keepers
                self._set_series(outcome.result.series)
            self.remove = [set(r) - self.out_of_place for r in outcome.removals]
            self.protected = set(outcome.protected_paths)
            self.summaries = outcome.summaries or summarise(self.groups, self.remove)
            self.reclaim = [self.reclaimable(g) for g in range(len(self.groups))]
        self.reset.emit()

    # -- surviving a restart ----------------------------------------------------------------
    def snapshot(self) -> Session | None:
        """What to save for next time (None: no results)."""
        if self.outcome is None:
            return None
        return Session(self.outcome, [set(r) for r in self.remove], set(self.dismissed),
                       set(self.trashed), set(self.opened), moved_to=dict(self.moved_to),
                       series_remove=[set(r) for r in self.series_remove])

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
            if reclaim is None or len(reclaim) != len(self.groups):
                reclaim = [self.reclaimable(g) for g in range(len(self.groups))]
            self.reclaim = reclaim
        self.reset.emit()

    def set_gone(self, paths: set[str]) -> None:
        """Files found changed or gone since the scan: out of the review, their marks dropped
        (a group keeps whatever is still in place)."""
        self.gone |= paths
        self.out_of_place |= paths
        for index in self._groups_of(paths):
            self.remove[index] -= paths
            self._changed(index)
        for index in self._series_of(paths):
            self.series_remove[index] -= paths
            self.series_changed.emit(index)

    def add_groups(self, outcome: ScanOutcome, origin: int) -> None:
        """The same results with groups appended, formed again from group `origin` after "not
        duplicates" on a pair: group numbers, marks, trash and dismissals so far all stay."""
        first = len(self.groups)
        self.outcome = outcome
        self.groups = outcome.result.groups
        self.remove += [set(r) for r in outcome.removals[first:]]
        self.protected |= outcome.protected_paths
        self.summaries = outcome.summaries or summarise(self.groups, self.remove)
        self.reclaim += [self.reclaimable(g) for g in range(first, len(self.groups))]
        self.groups_added.emit(first, len(self.groups) - first, origin)

    def add_found(self, query: GroupFile, found: GroupFile, remove: bool, alike: int,
                  same_picture: bool) -> int | str:
        """Add a file Find similar found to the group of `query` (a new group of the two when
        `query` is in no active group), marked Remove when `remove`; the group's index, or why
        not. The outcome itself changes, so the Trash, Undo and the saved session see it (a
        file in a protected folder is refused by the removal plan, which knows the folders)."""
        if self.outcome is None:
            return "There are no results to add it to: scan first."
        of_path = self.summaries.groups_of_path
        group = next((g for g in of_path.get(query.path, ()) if g not in self.dismissed), None)
        if group is not None and found.path in {f.path for f in self.groups[group].files}:
            return "That photo is already in this group."
        first = len(self.groups)
        outcome, group = with_file_added(self.outcome, group, query, found, remove, alike,
                                         same_picture, self.remove)
        self.outcome, self.groups, self.summaries = outcome, outcome.result.groups, \
            outcome.summaries
        self.reclaim += [0] * (len(self.groups) - len(self.reclaim))
        self.opened.add(group)  # the person made this group: reviewed
        self.groups_added.emit(first, len(self.groups) - first, group)
        self._changed(group)
        return group

    def _changed(self, group: int) -> None:
        self.reclaim[group] = self.reclaimable(group)
        self.group_changed.emit(group)

    def is_reviewed(self, path: str) -> bool:
        """In a duplicate group or a similar-shot series (not a companion that moved along)."""
        return path in self.summaries.groups_of_path or path in self.series_of_path

    def _series_of(self, paths: set[str]) -> list[int]:
        of_path = self.series_of_path
        return sorted({s for p in paths for s in of_path.get(p, ())})

    def _groups_of(self, paths: set[str]) -> list[int]:
        of_path = self.summaries.groups_of_path
        return sorted({g for p in paths for g in of_path.get(p, ())})
