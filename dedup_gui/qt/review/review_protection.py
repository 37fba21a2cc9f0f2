"""Protected folders during a review (a part of ReviewState, mixed in). Ticking Protected takes
the Remove marks off the files under the folder at once; clearing the tick gives back the marks
that tick took. Why remember them: the marks are the person's review, often hundreds of
decisions; Undo covers moves, not marks; and the tick sits one click (or one Space with the
folder list focused) from the review. Before this, a tick by mistake and its untick cleared
every mark in the folder for good.

A mark is given back only to a file still in place and no longer under a protected folder, and
only where its group (or series) then still keeps a file in place: the person may have marked
the group's other files since the tick, and no group is ever left without a kept file. Marks
taken are forgotten with the results they belong to (a new scan, new keeper proposals), since
group numbers and proposals change with them; a restart keeps them (the session saves them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dedup_gui.engine.types import Group, GroupFile, Series


@dataclass
class ProtectionChange:
    """What a change of the protected files did to the marks (for the status line)."""

    unmarked: set[str] = field(default_factory=set)  # marks a tick took off
    given_back: set[str] = field(default_factory=set)  # marks an untick put back
    held_back: set[str] = field(default_factory=set)  # not put back: the group keeps no file


class Protection:
    """The protected half of ReviewState; it provides the marks, the files out of place and
    the signals (`_changed` for groups, `series_changed` for series)."""

    groups: tuple[Group, ...]
    series: tuple[Series, ...]
    protected: set[str]
    remove: list[set[str]]
    series_remove: list[set[str]]
    out_of_place: set[str]
    lifted: dict[int, set[str]]  # group -> its Remove marks protection took off
    series_lifted: dict[int, set[str]]  # the same for similar-shot series
    series_changed: Any  # Signal(int)

    def set_protected(self, paths: set[str]) -> ProtectionChange:
        """`paths` (the grouped files under a protected folder now) are always kept: their
        Remove marks, in groups and series, come off at once (ticking Protected left the
        cards saying Remove and the status line counting them until Delete); files that left
        protection get back the marks it took."""
        changed, self.protected = self.protected ^ set(paths), set(paths)
        done = ProtectionChange()
        groups = self._give_back(self.remove, self.lifted, self._group_files, done)
        series = self._give_back(self.series_remove, self.series_lifted, self._series_files,
                                 done)
        groups += self._lift(self.remove, self.lifted, done)
        series += self._lift(self.series_remove, self.series_lifted, done)
        # once each (a tick over 50,000 groups): the cards of files protected or not any more
        # say "Keep (protected folder)" or not
        for index in sorted(set(groups).union(self._groups_of(changed))):
            self._changed(index)
        for index in sorted(set(series)):
            self.series_changed.emit(index)
        return done

    def forget_lifted(self) -> None:
        """New results or new proposals: the marks taken belong to the old ones."""
        self.lifted, self.series_lifted = {}, {}

    def _lift(self, marks_of: list[set[str]], lifted: dict[int, set[str]],
              done: ProtectionChange) -> list[int]:
        """Take protected files' Remove marks off, remembering them; the indexes changed."""
        touched = []
        for index, marks in enumerate(marks_of):
            if hit := (marks & self.protected) - self.out_of_place:
                marks -= hit
                lifted.setdefault(index, set()).update(hit)
                done.unmarked |= hit
                touched.append(index)
        return touched

    def _give_back(self, marks_of: list[set[str]], lifted: dict[int, set[str]],
                   files_of: Callable[[int], Sequence[GroupFile]],
                   done: ProtectionChange) -> list[int]:
        """Put back the marks taken from files no longer protected, where the group (or
        series) still keeps a file in place afterwards; either way they are forgotten. The
        indexes whose marks changed."""
        touched = []
        for index in list(lifted):
            leaving = lifted[index] - self.protected
            if not leaving:
                continue
            lifted[index] -= leaving
            if not lifted[index]:
                del lifted[index]
            live = {f.path for f in files_of(index)} - self.out_of_place
            back = leaving & live
            if not back:
                continue
            if live - marks_of[index] - back:
                marks_of[index] |= back
                done.given_back |= back
                touched.append(index)
            else:
                done.held_back |= back
        return touched

    def _group_files(self, index: int) -> Sequence[GroupFile]:
        return self.groups[index].files

    def _series_files(self, index: int) -> Sequence[GroupFile]:
        return self.series[index].files
