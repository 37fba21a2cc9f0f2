"""The questions asked of the review's state (a part of ReviewState, mixed in): which files are
marked, still in place, kept, reclaimable, counted. Nothing here changes the state or emits."""

from __future__ import annotations

import os
from itertools import chain

from dedup_gui.engine.actions.kept_beside import beside_why, read_beside
from dedup_gui.engine.types import Group, GroupFile, Series, marked_bytes, reclaimable_bytes
from dedup_gui.tasks.scan import ScanOutcome
from dedup_gui.tasks.summaries import GroupSummaries


class ReviewReading:
    outcome: ScanOutcome | None
    groups: tuple[Group, ...]
    remove: list[set[str]]
    dismissed: set[int]
    out_of_place: set[str]
    summaries: GroupSummaries
    series: tuple[Series, ...]
    series_of_path: dict[str, list[int]]

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
        """The kept file a group is shown by (its thumbnail, Compare's left side): the
        suggestion's keeper while it is kept, else the first kept file. Not simply the first
        kept by path: after "Keep all", or with a protected copy kept beside the original,
        that was often a screenshot or a meme (a real-window check)."""
        files = self.shown_order(group) or list(self.groups[group].files)
        return next((f for f in files if f.path not in self.remove[group]), files[0])

    def shown_order(self, group: int) -> list[GroupFile]:
        """The group's files as its cards show them: the rules' choice first, then files kept
        beside it (a person's own edit, a multi-page file: named in the reason, read_beside;
        then protected copies), then the rest, each by path; it stays put while
        marks change ([] without results). Why the kept-beside after: by path, a Google
        Photos edit came first and stood for its group (thumbnail, Compare's left side)."""
        if self.outcome is None:
            return []
        proposed, beside = self.outcome.removals[group], self.outcome.protected_paths
        also = read_beside(self.outcome.reasons[group])  # read once, not once a file
        return sorted(self.groups[group].files,
                      key=lambda f: (f.path in proposed, f.path in beside,
                                     beside_why(also, f.path) is not None))

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

    def is_reviewed(self, path: str) -> bool:
        """In a duplicate group or a similar-shot series (not a companion that moved along)."""
        return path in self.summaries.groups_of_path or path in self.series_of_path

    def _series_of(self, paths: set[str]) -> list[int]:
        of_path = self.series_of_path
        return sorted({s for p in paths for s in of_path.get(p, ())})

    def _groups_of(self, paths: set[str]) -> list[int]:
        of_path = self.summaries.groups_of_path
        return sorted({g for p in paths for g in of_path.get(p, ())})

    def no_longer_as_scanned(self, paths: set[str]) -> set[str]:
        """The files of `paths` (grouped ones) gone from their path or changed (size, time
        modified) since the scan: a move that refused them for it found them so, and they stayed
        counted and marked for the next Move to Trash (a real-window check). A file that cannot
        be looked at (an unreadable folder) is neither: it stays as it is."""
        stamps = {f.path: (f.size, f.mtime_ns) for i in self._groups_of(paths)
                  for f in self.groups[i].files}
        stamps.update({f.path: (f.size, f.mtime_ns) for i in self._series_of(paths)
                       for f in self.series[i].files})
        found = set()
        for path in paths & stamps.keys():
            try:
                info = os.stat(path)
            except (FileNotFoundError, NotADirectoryError):
                found.add(path)
                continue
            except OSError:
                continue
            if (info.st_size, info.st_mtime_ns) != stamps[path]:
                found.add(path)
        return found
