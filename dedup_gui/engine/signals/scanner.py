"""Find the image files under the folders (or single files) a person chose.

The walk is iterative (an explicit stack) so very deep trees cannot hit Python's recursion limit,
and every decision that could depend on the order the OS lists entries is made order-free: roots
and folder entries are sorted, and a file reached twice keeps one canonical path. So the same tree
always gives the same Discovery, whatever order the roots were given in.

Problems (unreadable folders, broken links, files that vanish mid-scan) become Issues, never
exceptions: one bad folder must not stop a scan of a whole photo library.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Sequence

from dedup_gui.engine.progress import STAGE_DISCOVER, CancelToken, ProgressCallback, report
from dedup_gui.engine.signals.companions import COMPANION_EXTENSIONS, wanted_in_folder
from dedup_gui.engine.signals.findings import Discovery, Findings, Key
from dedup_gui.engine.signals.image_kinds import IMAGE_EXTENSIONS, extension_of, is_image_file
from dedup_gui.engine.signals.statting import Statter, stat_entry
from dedup_gui.engine.signals.system_folders import why_skipped

_REPORT_SECONDS = 0.1
_CHECK_EVERY = 256  # entries between cancel checks; a power of two so the test is a mask


def discover(roots: Sequence[str | os.PathLike[str]], *, include_hidden: bool = False,
             progress: ProgressCallback | None = None,
             cancel: CancelToken | None = None) -> Discovery:
    """Walk `roots` (folders or single files) and return every image file under them, once.

    Hidden names (a leading ".") are skipped unless `include_hidden`: they hold app caches,
    thumbnails, trash (.Trashes, .thumbnails) and macOS "._*" resource-fork junk, which would
    otherwise show up as piles of bogus duplicates of the real photos. A root itself is always
    used, hidden or not, because a person picked it on purpose. So is a folder that a system,
    a NAS or a photo app keeps for itself (system_folders.py): not entered below a root, and
    listed in the Discovery's `skipped`.
    """
    walk = _Walk(include_hidden, progress, cancel)
    for root in sorted({os.path.abspath(os.fspath(r)) for r in roots}, reverse=True):
        walk.add_root(root)
    try:
        return walk.run()
    finally:
        walk.statter.close()


def _reason(exc: OSError, action: str) -> str:
    """Turn an OSError into words a person can act on."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loops back on itself"
    if isinstance(exc, PermissionError):
        return f"{action}: permission denied"
    if isinstance(exc, FileNotFoundError):
        return f"{action}: it disappeared during the scan"
    return f"{action}: {exc.strerror or exc}"


_stat = stat_entry


class _Walk:
    """State of one discover() call, kept in an object so each step stays a short method."""

    def __init__(self, include_hidden: bool, progress: ProgressCallback | None,
                 cancel: CancelToken | None) -> None:
        self.include_hidden = include_hidden
        self.progress = progress
        self.cancel = cancel
        self.findings = Findings()  # kept order-free there (findings.py)
        self.root_images: dict[str, list[str]] = {}  # folder -> images given one by one
        self.visited: set[Key] = set()
        self.stack: list[tuple[str, Key]] = []
        # Symlinked folders wait until every real folder is walked, so a folder reachable both
        # ways is listed under its real path whenever that path is inside the roots.
        self.deferred: list[tuple[str, Key]] = []
        self.seen = 0
        self.last_report = float("-inf")
        self.statter = Statter()
        self.roots: list[str] = []

    def add_root(self, root: str) -> None:
        self.roots.append(root)
        try:
            st = os.stat(root)
        except FileNotFoundError:
            broken = os.path.islink(root)
            self.findings.issue(root, "broken symbolic link" if broken else "does not exist")
            return
        except OSError as exc:
            self.findings.issue(root, _reason(exc, "can't open"))
            return
        if stat.S_ISDIR(st.st_mode):
            todo = self.deferred if os.path.islink(root) else self.stack
            todo.append((root, (st.st_dev, st.st_ino)))
        elif not stat.S_ISREG(st.st_mode):
            self.findings.issue(root, "not a folder or a regular file")
        elif self._root_is_image(root):
            self.findings.add_file(root, st, os.path.islink(root))
            self.root_images.setdefault(os.path.dirname(root), []).append(
                os.path.basename(root))

    def _root_is_image(self, root: str) -> bool:
        """A dropped file that is not an image gets an Issue: the person asked for it by name."""
        try:
            if is_image_file(root):
                return True
        except OSError as exc:
            self.findings.issue(root, _reason(exc, "can't read file"))
            return False
        self.findings.issue(root, "not a supported image file")
        return False

    def run(self) -> Discovery:
        while self.stack or self.deferred:
            if not self.stack:
                self.stack = sorted(self.deferred, reverse=True)
                self.deferred = []
            self.visit_folder(*self.stack.pop())
        for folder, names in self.root_images.items():
            self.companions_of_root_images(folder, names)
        self.findings.unskip(self.roots)
        found = len(self.findings.files)
        report(self.progress, STAGE_DISCOVER, found, found)
        return self.findings.discovery()

    def visit_folder(self, path: str, key: Key) -> None:
        if key in self.visited:
            return
        self.visited.add(key)
        self.tick(path)
        try:
            with os.scandir(path) as listing:
                entries = list(listing)  # in the OS's order: only the subfolders need sorting
        except OSError as exc:
            self.findings.issue(path, _reason(exc, "can't open folder"))
            return
        subfolders: list[tuple[str, Key]] = []
        images: list[str] = []
        others: dict[str, os.DirEntry[str]] = {}
        plain: list[os.DirEntry[str]] = []
        for entry in entries:
            self.seen += 1
            if not self.seen & (_CHECK_EVERY - 1):
                self.tick(path)
            name = entry.name
            if not self.include_hidden and name.startswith("."):
                continue
            if extension_of(name) in IMAGE_EXTENSIONS and entry.is_file(follow_symlinks=False):
                plain.append(entry)  # almost every entry: a regular file named as an image
            elif self.visit_entry(entry, subfolders):
                images.append(name)
            elif extension_of(name) in COMPANION_EXTENSIONS:
                others[name] = entry
        images += self.add_plain(plain, subfolders)
        if images and others:
            self.findings.add_companions(others[name] for name in wanted_in_folder(images, others))
        self.stack.extend(sorted(subfolders, reverse=True))  # popped in name order

    def companions_of_root_images(self, folder: str, names: list[str]) -> None:
        """Photos dropped one by one still take their RAW, Live video and sidecars along."""
        try:
            with os.scandir(folder) as listing:
                others = {e.name: e for e in listing
                          if extension_of(e.name) in COMPANION_EXTENSIONS
                          and (self.include_hidden or not e.name.startswith("."))}
        except OSError:
            return  # the photos themselves were found; they travel alone
        self.findings.add_companions(others[name] for name in wanted_in_folder(names, others))

    def add_plain(self, entries: list[os.DirEntry[str]], subfolders: list[tuple[str, Key]]
                  ) -> list[str]:
        """Regular files (no link) with an image extension, known from the listing's file
        type, statted together (statting.py); one that fails goes the general way, which
        reports it. Returns the names of the images added."""
        names = []
        for entry, st in zip(entries, self.statter.stat_all(entries), strict=True):
            if isinstance(st, OSError):
                if not self.visit_entry(entry, subfolders):
                    continue
            else:
                self.findings.add_file(entry.path, st, False)
            names.append(entry.name)
        return names

    def visit_entry(self, entry: os.DirEntry[str], subfolders: list[tuple[str, Key]]) -> bool:
        """Vanished entries become Issues too: the person should know the result is partial.
        True for an image file (its name then anchors companions)."""
        try:
            if entry.is_dir():
                if why := why_skipped(entry.name):
                    self.findings.skip(entry.path, why)
                    return False
                st = _stat(entry)
                key = (st.st_dev, st.st_ino)
                if key not in self.visited:
                    (self.deferred if entry.is_symlink() else subfolders).append((entry.path, key))
            elif entry.is_file():
                if is_image_file(entry.path, entry.name):
                    self.findings.add_file(entry.path, _stat(entry), entry.is_symlink())
                    return True
            elif entry.is_symlink() and not os.path.exists(entry.path):
                self.findings.issue(entry.path, "broken symbolic link")
        except OSError as exc:
            self.findings.issue(entry.path, _reason(exc, "can't read"))
        return False

    def tick(self, folder: str) -> None:
        """Cancel check plus time-throttled progress; called per folder and every N entries."""
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        now = time.monotonic()
        if now - self.last_report >= _REPORT_SECONDS:
            self.last_report = now
            report(self.progress, STAGE_DISCOVER, len(self.findings.files), 0, folder)
