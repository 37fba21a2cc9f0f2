"""Remove marks a move took off, and given back when Undo brings the moved file back (a part of
ReviewState, mixed in).

A move can leave a group (or series) with no kept file in place: a series' "keep the best"
moved a burst frame that is also a duplicate group's original, or another program moved the
file since the scan. Its marked copies are then the photo's last files, so their marks come
off (the removal plan would refuse them anyway). Undo put the frame back but left the copies
unmarked: the group then freed nothing and read "kept by your choice" though nobody chose (a
real-window check). So each release is remembered per group and series, and undone with the
move, where the group still keeps a file in place without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dedup_gui.engine.types import Group, GroupFile, Series

Where = tuple[bool, int]  # (a series, its index), or (False, a group's index)


class Releases:
    """The release bookkeeping; ReviewState provides the rest (_groups_of and _series_of
    from ReviewReading, _changed)."""

    groups: tuple[Group, ...]
    series: tuple[Series, ...]
    remove: list[set[str]]
    series_remove: list[set[str]]
    out_of_place: set[str]
    released: dict[Where, set[str]]
    series_changed: Any  # Signal(int)

    def _keep_last_copies(self, moved: set[str]) -> list[str]:
        """Take the marks off the files of each group and series that `moved` left with no
        kept file in place; the files released, sorted per group."""
        found = []
        for where in [*((False, g) for g in self._groups_of(moved)),
                      *((True, s) for s in self._series_of(moved))]:
            marks = self._marks(where)
            live = {f.path for f in self._files(where)} - self.out_of_place
            if live and live <= marks:
                marks -= live
                self.released.setdefault(where, set()).update(live)
                found += sorted(live)
        return found

    def _give_back_released(self, restored: set[str]) -> None:
        """Marks released by the move that `restored` undid, back where the group (or series)
        still keeps a file in place without them."""
        for where, paths in list(self.released.items()):
            files = {f.path for f in self._files(where)}
            if not restored & files:
                continue
            marks = self._marks(where)
            live = files - self.out_of_place
            back = (paths & live) - marks
            if live - marks - back:
                marks |= back
            del self.released[where]
            self._announce(where)

    def released_in(self, group: int) -> set[str]:
        """The files of `group` kept only because the file it kept was moved."""
        return self.released.get((False, group), set())

    def _files(self, where: Where) -> Sequence[GroupFile]:
        series, index = where
        return self.series[index].files if series else self.groups[index].files

    def _marks(self, where: Where) -> set[str]:
        series, index = where
        return self.series_remove[index] if series else self.remove[index]

    def _announce(self, where: Where) -> None:
        series, index = where
        self.series_changed.emit(index) if series else self._changed(index)
