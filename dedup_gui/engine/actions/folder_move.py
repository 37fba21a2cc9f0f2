"""Move to folder: the marked files go to a folder the person chose, keeping their place in the
library below it, for people who sort before deleting.

A file under the scanned folder /home/ann/Pictures goes to <target>/Pictures/2019/x.jpg: one
short, stable prefix per scanned folder (its name; two scanned folders with the same name get a
few letters of a hash of their full path too, so D:\\Photos and E:\\Photos never mix), then the
path below it. A file under no scanned folder keeps its whole path below the target, as the
quarantine folder does. The move itself is the quarantine's (quarantine.move_plan): the same
re-check that a file is still what the scan saw, units moved whole or not at all, nothing ever
overwritten (a taken name refuses its unit), one journaled batch that undo puts back, byte for
byte with mtimes. A target inside a scanned folder (or holding one) is refused: the moved files
would be found again by the next scan, or land on their own paths.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from dedup_gui.engine.actions.journal import Journal, Outcome
from dedup_gui.engine.actions.left_folders import MOVED_TO
from dedup_gui.engine.actions.quarantine import folder_problem, move_plan, target_for
from dedup_gui.engine.actions.removal import RemovalPlan
from dedup_gui.engine.progress import CancelToken, ProgressCallback

STAGE_FOLDER = "moving to the chosen folder"


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def target_problem(target: str, roots: Sequence[str]) -> str | None:
    """Why `target` cannot take the moved files, in words, or None when it can."""
    if problem := folder_problem(target):
        return problem
    real = _real(target)
    for root in roots:
        if _inside(real, _real(root)):
            return f"{target} is inside the scanned folder {root}: choose a folder outside it"
        if _inside(_real(root), real):
            return (f"{target} holds the scanned folder {root}: choose a folder outside the "
                    "scanned folders")
    return None


def _name(root: str) -> str:
    drive, rest = os.path.splitdrive(os.path.normpath(os.path.abspath(root)))
    return os.path.basename(rest.rstrip("\\/")) or drive.rstrip(":\\/") or "root"


def root_prefixes(roots: Sequence[str]) -> dict[str, str]:
    """Each scanned folder's prefix below the target: its name, plus a hash of its full path
    where another scanned folder has the same name (stable: it depends on the path only)."""
    names = {root: _name(root) for root in roots}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    return {root: name if counts[name.casefold()] == 1
            else f"{name} {hashlib.sha1(os.fsencode(os.path.abspath(root))).hexdigest()[:6]}"
            for root, name in names.items()}


def target_path(path: str, target: str, prefixes: dict[str, str]) -> str:
    """Where `path` goes: below its outermost scanned folder's prefix, or its whole path."""
    holders = [root for root in prefixes if _inside(os.path.abspath(path),
                                                    os.path.abspath(root))]
    if not holders:
        return target_for(target, path)
    root = min(holders, key=lambda r: len(os.path.abspath(r)))
    below = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return os.path.join(target, prefixes[root], below)


def move_to_folder(plan: RemovalPlan, target: str, roots: Sequence[str], journal: Journal,
                   progress: ProgressCallback | None = None,
                   cancel: CancelToken | None = None) -> list[Outcome]:
    """Move the plan's files below `target`, keeping their folders; one Outcome per file,
    journaled for undo. A refused target moves nothing and says why for every file."""
    if problem := target_problem(target, roots):
        return [Outcome(f.path, False, f"not moved: {problem}") for f in plan.files]
    prefixes = root_prefixes(roots)
    return move_plan(plan, journal, lambda path: target_path(path, target, prefixes),
                     (STAGE_FOLDER, MOVED_TO.format(folder=target)), progress, cancel)
