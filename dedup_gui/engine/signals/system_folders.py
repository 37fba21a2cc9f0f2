"""Folders that a system, a NAS or a photo app keeps for itself, which a walk does not enter.

Why: a person who scans a NAS share, a Windows drive or a Mac's Pictures folder meets folders
that hold copies the person never made. A Synology share keeps a thumbnail set of every photo in
`@eaDir`: each photo would come back as a group with its own thumbnails. A recycle bin
(`$RECYCLE.BIN`, a share's `#recycle`) holds deleted files: when its copy was kept and the live
photo proposed, emptying the bin would lose the photo. A snapshot folder holds read-only past
copies of the whole share. An Apple Photos library (`.photoslibrary`) is one app's database:
removing a file inside it breaks the library, and its derivatives are more thumbnails. None of
these names is dot-hidden, so the hidden-name rule (scanner.py) does not keep them out.

A folder the person chose itself is still scanned (scanner.py applies this to subfolders
only), and the scan says what it skipped (`skipped_note`), so nothing is left out unseen.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from dedup_gui.engine.types import Issue

_THUMBNAILS = "NAS thumbnail folders"
_RECYCLE_BIN = "recycle bins, which hold deleted files"
_SNAPSHOT = "snapshots, read-only past copies"
_SYSTEM = "system folders"
_PHOTO_APP = "photo app libraries (remove their duplicates in that app)"

# Exact folder names (compared case-insensitively), each with why it is left out.
_NAMED: dict[str, str] = {
    "@eadir": _THUMBNAILS,  # Synology
    "@__thumb": _THUMBNAILS,  # QNAP (shown without its dot on some clients)
    "$recycle.bin": _RECYCLE_BIN,  # Windows, every drive
    "recycler": _RECYCLE_BIN,  # Windows XP
    "#recycle": _RECYCLE_BIN,  # Synology share
    "@recycle": _RECYCLE_BIN,  # QNAP share
    "#snapshot": _SNAPSHOT,  # Synology
    "@recently-snapshot": _SNAPSHOT,  # QNAP
    "~snapshot": _SNAPSHOT,  # Samba shadow copies
    "system volume information": _SYSTEM,  # Windows
    "lost+found": _SYSTEM,  # Linux file systems
}

# Folder-name endings of photo apps' libraries (bundles on a Mac, plain folders elsewhere).
_ENDINGS: dict[str, str] = {
    ".photoslibrary": _PHOTO_APP,  # Apple Photos
    ".photolibrary": _PHOTO_APP,  # iPhoto
    ".aplibrary": _PHOTO_APP,  # Aperture
    ".lrdata": _PHOTO_APP,  # Lightroom previews
}


def why_skipped(name: str) -> str | None:
    """Why the subfolder `name` is not entered, or None for an ordinary folder."""
    folded = name.casefold()
    why = _NAMED.get(folded)
    if why is None and "." in folded:
        why = _ENDINGS.get(folded[folded.rfind("."):])
    return why


def in_bin_or_snapshot(path: str) -> bool:
    """Whether `path` lies inside a recycle bin or a snapshot: a copy that the person deleted,
    or that the system keeps of the past, which a scan meets only when the person added that
    folder itself (keep_rules.outside_bins never keeps it in place of a live copy)."""
    folded = path.casefold()
    if "recycle" not in folded and "snapshot" not in folded:  # almost every path: no split
        return False
    return any(why_skipped(part) in (_RECYCLE_BIN, _SNAPSHOT)
               for part in os.path.dirname(path).split(os.sep))


def skipped_note(skipped: Iterable[Issue]) -> str | None:
    """One note for the scan's warnings: how many folders were left out, by kind, each kind's
    folders named (up to _NAMED_PER_KIND, then counted: a Synology share has an `@eaDir` in
    every folder), and how to scan one anyway. None when nothing was skipped."""
    by_reason: dict[str, list[str]] = {}
    for item in skipped:
        by_reason.setdefault(item.reason, []).append(item.path)
    if not by_reason:
        return None
    parts = [f"{why} ({_named(sorted(paths))})" for why, paths in sorted(by_reason.items())]
    total = sum(len(paths) for paths in by_reason.values())
    return (f"{_HEAD}{total:,} folder{'s' * (total != 1)}{_TAIL}: {'; '.join(parts)}. "
            "To scan one of them, add it as a folder of its own.")


def headline(note: str) -> str:
    """A skipped-folders note cut to its count, for a one-line status message (the whole note
    is in the status bar's Scan notes); any other note whole."""
    if note.startswith(_HEAD) and _TAIL in note:
        return note[:note.index(_TAIL) + len(_TAIL)] + " (see Scan notes)."
    return note


_HEAD, _TAIL = "Skipped ", " that a system or app keeps for itself"
_NAMED_PER_KIND = 3


def _named(paths: list[str]) -> str:
    if len(paths) <= _NAMED_PER_KIND:
        return ", ".join(paths)
    return f"{len(paths):,}: {', '.join(paths[:_NAMED_PER_KIND - 1])}, …"
