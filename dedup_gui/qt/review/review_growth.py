"""The results changing under the review (a part of ReviewState, mixed in): new keeper
proposals for the same groups, groups formed again after "not duplicates" on a pair, a file
Find similar found added to a group. Marks, trash and group numbers so far all stay."""

from __future__ import annotations

from dedup_gui.engine.types import GroupFile
from dedup_gui.tasks.added import with_file_added
from dedup_gui.tasks.gc_pause import gc_paused
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.tasks.summaries import summarise


class ResultsGrowth:
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
            self.forget_lifted()  # the marks are the new proposals'
            self.summaries = outcome.summaries or summarise(self.groups, self.remove)
            self.reclaim = [self.reclaimable(g) for g in range(len(self.groups))]
        self.reset.emit()

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
        if any(g not in self.dismissed for g in of_path.get(found.path, ())):
            # one file in two groups could be kept in one and marked Remove in the other: the
            # Trash then stopped only at the plan's last check (a real-window check)
            return "That photo is already in another group: review it there."
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
