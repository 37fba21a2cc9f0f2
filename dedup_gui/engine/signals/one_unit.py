"""The capture unit of one file found outside a scan: the other files of its shot in its folder
(RAW, Live video, sidecars), paired by the scan's own rules (companions.find_units), and its
capture metadata.

Why: Find similar hands the review a file the scan may never have grouped, and "Add to group"
made it a group member with no companions and no capture: moved to the Trash, its RAW and its
sidecars stayed behind, separated from it, and its card said "Camera unknown" beside the
frame's own camera (a real-window review). Only the file's own folder is listed (companions
live beside their photo), and only the images named like the file take part (a unit's files
share its stem; the others cannot change its pairing): a folder of thousands of photos costs
a listing per match, not a stat of every photo, and capture metadata is read only for the
file and the RAW files named like it (the pairing compares their capture times).
"""

from __future__ import annotations

import os

from dedup_gui.engine.signals.capture import read_capture
from dedup_gui.engine.signals.companions import (
    COMPANION_EXTENSIONS,
    RAW_EXTENSIONS,
    find_units,
    split_name,
    wanted_in_folder,
)
from dedup_gui.engine.signals.image_kinds import IMAGE_EXTENSIONS
from dedup_gui.engine.types import Capture, FileEntry


def unit_of(path: str) -> tuple[tuple[str, ...], Capture]:
    """(the other files of `path`'s capture unit, sorted; its capture). Files that cannot be
    listed or statted are left out: a file alone is its own unit."""
    capture = read_capture(path)
    folder, name = os.path.split(path)
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return (), capture
    stem = split_name(name)[0]
    images = [n for n in names if split_name(n)[0] == stem
              and split_name(n)[1] in IMAGE_EXTENSIONS]
    others = wanted_in_folder(images, [n for n in names
                                       if split_name(n)[1] in COMPANION_EXTENSIONS])
    captures = {path: capture}
    captures.update({p: read_capture(p) for n in images if split_name(n)[1] in RAW_EXTENSIONS
                     and (p := os.path.join(folder, n)) != path})
    units = find_units(_entries(folder, images), _entries(folder, others),
                       readable=[os.path.join(folder, n) for n in images], captures=captures)
    return _members(path, units.companions), capture


def _entries(folder: str, names: list[str]) -> list[FileEntry]:
    entries = []
    for name in names:
        full = os.path.join(folder, name)
        try:
            stat = os.stat(full)
        except OSError:
            continue
        entries.append(FileEntry(full, stat.st_size, stat.st_mtime_ns))
    return entries


def _members(path: str, companions: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The other files of the unit `path` is in: its own companions when it leads one, else
    its lead and the lead's other companions (a RAW bound to its JPEG)."""
    if path in companions:
        return companions[path]
    for lead, members in companions.items():
        if path in members:
            return tuple(sorted({lead, *members} - {path}))
    return ()
