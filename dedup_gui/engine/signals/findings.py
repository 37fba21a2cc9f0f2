"""What a folder walk (scanner.py) found, collected so the result never depends on the order the
OS lists entries or the order the roots were given in.

Why a module of its own: that order-freedom rests on a few rules (one canonical path per file
however often it is reached, problems kept as a set, everything sorted by path at the end).
Kept together here they are read and checked in one place, and scanner.py stays about the walk.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from dedup_gui.engine.signals.statting import stat_entry
from dedup_gui.engine.types import FileEntry, Issue, make_file_entry

Key = tuple[int, int]  # (st_dev, st_ino): one file or folder, whichever path reached it


@dataclass(frozen=True)
class Discovery:
    """What a walk found: image files and the problems met on the way, both sorted by path, and
    the files beside those images that may belong to their shot (RAW, Live video, sidecars:
    signals/companions.py), found in the same folder listing."""

    files: tuple[FileEntry, ...]
    issues: tuple[Issue, ...]
    companions: tuple[FileEntry, ...] = ()
    skipped: tuple[Issue, ...] = ()  # folders a system or app keeps (system_folders.py)


class Findings:
    """The image files, problems and companions met so far, each kept so that the walk's order
    cannot change what is reported."""

    def __init__(self) -> None:
        # inode -> ((is symlink, path), entry): the smallest key wins, so real files beat links
        # and among hard links the smallest path wins, independent of walk order.
        self.files: dict[Key, tuple[tuple[bool, str], FileEntry]] = {}
        self.issues: set[Issue] = set()
        self.companions: dict[str, FileEntry] = {}
        self.skipped: set[Issue] = set()

    def add_file(self, path: str, st: os.stat_result, is_link: bool) -> None:
        key = (st.st_dev, st.st_ino)
        rank = (is_link, path)
        kept = self.files.get(key)
        if kept is None or rank < kept[0]:
            self.files[key] = (rank, make_file_entry(path, st.st_size, st.st_mtime_ns))

    def issue(self, path: str, reason: str) -> None:
        self.issues.add(Issue(path, reason))

    def skip(self, path: str, why: str) -> None:
        self.skipped.add(Issue(path, why))

    def unskip(self, roots: Iterable[str]) -> None:
        """Skipped folders that are, or hold, a folder the person chose are not "skipped": the
        chosen one was scanned (a share and its #recycle added side by side, the note said
        #recycle was left out while its files were in the groups)."""
        inside = [root + os.sep for root in roots]
        self.skipped = {s for s in self.skipped
                        if not any(r.startswith(s.path + os.sep) for r in inside)}

    def add_companions(self, entries: Iterable[os.DirEntry[str]]) -> None:
        """Stat only the files named after an image of this folder (no second listing)."""
        for entry in entries:
            try:
                if entry.is_file():
                    st = stat_entry(entry)
                    self.companions[entry.path] = FileEntry(entry.path, st.st_size,
                                                            st.st_mtime_ns)
            except OSError:
                continue  # vanished or unreadable: the photo then travels without it

    def discovery(self) -> Discovery:
        """Everything found, sorted by path: the same tree always gives the same Discovery."""
        files = sorted((entry for _, entry in self.files.values()), key=attrgetter("path"))
        issues = sorted(self.issues, key=attrgetter("path", "reason"))
        companions = sorted(self.companions.values(), key=attrgetter("path"))
        skipped = sorted(self.skipped, key=attrgetter("path"))
        return Discovery(tuple(files), tuple(issues), tuple(companions), tuple(skipped))
