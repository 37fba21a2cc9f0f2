"""Folders a move made below its target, removed again when Undo empties them.

Move to folder and the quarantine keep a file's place below their target
(<target>/Pictures/2019/x.jpg for /home/ann/Pictures/2019/x.jpg; the quarantine's whole path
below a folder of its own per batch), making those folders as they go. Undo put the files back
and left the tree behind, empty (a real-window check). Now, after a file goes back, the
folders whose names mirror its own folders are removed from the innermost up while they are
empty, then the quarantine's batch folder if it is empty. Only those: os.rmdir never removes
a folder that still holds anything, and the chosen folder itself (named in the journal's
reason, MOVED_TO) is never removed, even where its name happens to mirror one of the file's
folders.
"""

from __future__ import annotations

from pathlib import Path

MOVED_TO = "moved to {folder}"
QUARANTINE_BATCH = "dedup-gui quarantine "  # the name of each quarantine batch's folder


def chosen_folder(reason: str | None) -> Path | None:
    """The folder a Move to folder went to, from the reason the journal holds for its files."""
    prefix = MOVED_TO.format(folder="")
    if reason and reason.startswith(prefix) and Path(reason[len(prefix):]).is_absolute():
        return Path(reason[len(prefix):])
    return None


def remove_emptied(moved: str, original: str, reason: str | None = None) -> None:
    """After `moved` went back to `original`: remove the folders the move made for it that are
    empty now (see the module's docstring). Never raises: tidying is not part of the undo."""
    here, theirs = Path(moved).parent, Path(original).parent
    chosen = chosen_folder(reason)
    while here.name and here.name == theirs.name and _below(here, chosen):
        if not _removed(here):
            return
        here, theirs = here.parent, theirs.parent
    if here.name.startswith(QUARANTINE_BATCH):
        _removed(here)


def _below(folder: Path, chosen: Path | None) -> bool:
    return chosen is None or (folder != chosen and folder.is_relative_to(chosen))


def _removed(folder: Path) -> bool:
    try:
        folder.rmdir()
    except OSError:  # not empty (another file of the library still there), or not ours to read
        return False
    return True
