"""What the grouping stage is given of a library read: one GroupFile per capture unit's lead,
the hash it compares, and the files' stamps (size, mtime) that key stored pixel verdicts.

Why a module of its own: the scan (pipeline.py) and the evaluation (evaluation/run.py) make
group files the same way, and the making is plain data work on the signal stage's output,
kept apart from the pipeline's order of stages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from dedup_gui.engine.signals.companions import CaptureUnits
from dedup_gui.engine.signals.read import Library
from dedup_gui.engine.types import Capture, FileEntry, GroupFile, ImageSignals, make_group_file


def group_file(entry: FileEntry, signals: ImageSignals | str | None,
               capture: Capture | None = None,
               companions: tuple[str, ...] = ()) -> GroupFile:
    """The facts the groups show of a file; an unreadable one joins only as an exact copy."""
    if isinstance(signals, ImageSignals):
        return make_group_file(entry.path, entry.size, entry.mtime_ns, signals.width,
                               signals.height, signals.format, capture, companions)
    return make_group_file(entry.path, entry.size, entry.mtime_ns, 0, 0, "", capture, companions)


def group_files_of(library: Library, units: CaptureUnits) -> list[GroupFile]:
    """One GroupFile per unit lead: a unit is matched through its lead image and is never a
    duplicate of itself, so the images bound to a lead (a decoded RAW) are not grouped."""
    signals, captures, companions = library.signals.get, library.captures.get, units.companions
    files = [entry for entry in library.files if entry.path not in units.bound] \
        if units.bound else library.files
    return [group_file(entry, signals(entry.path), captures(entry.path),
                       companions.get(entry.path, ()) if companions else ())
            for entry in files]


def compared_hashes(library: Library, hash_kind: str) -> dict[str, int]:
    """Each decoded file's hash of `hash_kind`, the one the scan compares."""
    return {path: value.hashes[hash_kind] for path, value in library.signals.items()
            if isinstance(value, ImageSignals)}


class FileStamps(Mapping[str, tuple[int, int]]):
    """path -> (size, mtime_ns) of the library's files, indexed on first use: only pixel
    verification asks, and a warm rescan verifies nothing (500k files: 80 MB not made). The
    index maps a path to its FileEntry and the pair is made when asked: verification asks
    for a few thousand, and a tuple per file held 36 MB more at 500k."""

    def __init__(self, files: Sequence[FileEntry]) -> None:
        self._files = files
        self._entries: dict[str, FileEntry] | None = None

    def _made(self) -> dict[str, FileEntry]:
        if self._entries is None:
            self._entries = {f.path: f for f in self._files}
        return self._entries

    def __getitem__(self, path: str) -> tuple[int, int]:
        entry = self._made()[path]
        return entry.size, entry.mtime_ns

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._files)
