"""Files kept beside the keeper rules' choice (a person's own edit, a file with more pages),
and the words a reason gives them.

Why one module: own_edits.py and multi_frame.py keep files the same way (never a byte-identical
copy of a kept file: the best-ranked of those stays alone) and name them in the same sentence
form, which the review's cards and card order read back (qt/review/file_facts.py,
review_reading.py). Written and read here, the two cannot drift apart.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence

from dedup_gui.engine.actions.identical import identical_to
from dedup_gui.engine.types import Group, GroupFile

ALSO_KEPT = "; also kept, "  # "...; also kept, WHY: a.jpg, b.tif (3 pictures) and c.jpg"
# Why files are kept beside, for one file and for several: a reason names them all, a card
# one of them ("kept too: other camera originals" read on each of four frames' cards).
OWN_EDIT = ("your own edit", "your own edits")
CAMERA_EDIT = ("an edit that kept the camera data (most likely yours)",
               "edits that kept the camera data (most likely yours)")
OTHER_FRAME = ("another camera original (a burst frame, or your edit)",
               "other camera originals (burst frames, or your edits)")
_ONE_OF = {several: one for one, several in (OWN_EDIT, CAMERA_EDIT, OTHER_FRAME)}


def keep_beside(group: Group, ranked: Sequence[GroupFile], keep: Sequence[GroupFile],
                wanted: Callable[[GroupFile], bool]) -> list[GroupFile]:
    """`keep` and, after it, each file of `ranked` that `wanted` asks for and that is neither
    kept nor a byte-identical copy of a kept file."""
    kept = list(keep)
    for file in ranked:
        if wanted(file):
            paths = {f.path for f in kept}
            if file.path not in paths and file.path not in identical_to(group, paths):
                kept.append(file)
    return kept


def name_in(group: Group, file: GroupFile) -> str:
    """The file as a reason names it: its own name, or with as many of its folders as tell
    it from the group's other files of that name. Why: a photo edited in place and its
    backup are both IMG_1018.jpg, and both cards read "kept too: an edit ..." (a real-window
    check) when the reason named it by its name alone."""
    parts = file.path.split(os.sep)
    others = [f.path.split(os.sep) for f in group.files if f.path != file.path]
    for depth in range(1, len(parts)):
        tail = parts[-depth:]
        if not any(other[-depth:] == tail for other in others):
            return os.sep.join(tail)
    return file.path


def beside_why(reason: str | Mapping[str, str], path: str) -> str | None:
    """Why `path` is kept beside the keeper, if `reason` (or what read_beside read of it)
    names it (by name_in's form), in the words for one file."""
    named = read_beside(reason) if isinstance(reason, str) else reason
    why = next((why for name, why in named.items()
                if path == name or path.endswith(os.sep + name)), None)
    return _ONE_OF.get(why, why) if why is not None else None


def named_beside(group: Group, keep: list[GroupFile], kept: list[GroupFile], reason: str,
                 why: tuple[str, str]) -> tuple[list[GroupFile], str]:
    """`kept` (`keep` and files after it) and `reason` naming the files added and `why` (the
    words for one, for several); `keep` and `reason` unchanged when none was added."""
    added = [name_in(group, f) for f in kept[len(keep):]]
    if not added:
        return keep, reason
    return kept, also_kept(reason, why[len(added) > 1], added)


def also_kept(reason: str, why: str, names: Sequence[str]) -> str:
    """`reason` naming `names` as kept too, and why: the what first, before names that
    elide in a narrow header."""
    which = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{reason}{ALSO_KEPT}{why}: {which}"


def read_beside(reason: str) -> dict[str, str]:
    """The files a reason names as kept beside the keeper, each with why (also_kept's
    parts read back); {} when it names none."""
    found = {}
    for also in reason.split(ALSO_KEPT)[1:]:
        why, _, names = also.partition(": ")
        for part in re.split(r", | and ", names) if names else []:
            found[re.sub(r" \(\d+ pictures\)$", "", part)] = why
    return found
