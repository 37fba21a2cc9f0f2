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

from collections import Counter
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


def skipped_note(skipped: Iterable[Issue]) -> str | None:
    """One sentence for the scan's warnings: how many folders were left out, by kind, with one
    example each, and how to scan one anyway. None when nothing was skipped.

    A Synology share has an `@eaDir` in every folder, so the paths are counted, not listed."""
    by_reason: Counter[str] = Counter()
    example: dict[str, str] = {}
    for item in skipped:
        by_reason[item.reason] += 1
        example[item.reason] = min(item.path, example.get(item.reason, item.path))
    if not by_reason:
        return None
    parts = [f"{why} ({count:,}, e.g. {example[why]})" for why, count in sorted(by_reason.items())]
    total = sum(by_reason.values())
    return (f"Skipped {total:,} folder{'s' * (total != 1)} that a system or app keeps for "
            f"itself: {'; '.join(parts)}. To scan one of them, add it as a folder of its own.")
