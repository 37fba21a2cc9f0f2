"""A person's own edits, as Google Photos names them: kept beside the photo they were made from.

Why: the keep rules keep the most original file of a group and propose the others for the
Trash, which is right for the copies other people and apps make (a messenger's re-save, a
screenshot, a meme). An edit the person made in Google Photos is their work: Takeout exports
it as `IMG_1-edited.jpg` beside `IMG_1.jpg`, and nothing else holds it (the original's JSON
carries no edit recipe, unlike an iPhone's .AAE). A Takeout check found every "-edited"
photo, and both copies of one, proposed for the Trash. So a file named as Google Photos'
edit of another file of its group is kept too; its byte-identical copies (an album folder's)
are not, and a re-save of it is still a copy. Takeout writes the suffix in the account's
language (EDIT_SUFFIXES: the ones exporters are known to meet).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from dedup_gui.engine.actions.identical import identical_to
from dedup_gui.engine.types import Group, GroupFile

OWN_EDIT = "your own edit (Google Photos)"  # its label, whatever else was done to it
# How a reason names files kept beside the keeper, and why: "...; also kept, WHY: NAME"
# (multi_frame.py too; the cards read it back: qt/review/file_facts.match_text).
ALSO_KEPT = "; also kept, "
EDIT_SUFFIXES = ("-edited", "-bearbeitet", "-bewerkt", "-modifié", "-modificato",
                 "-editado", "-editat", "-edytowane", "-redigeret", "-redigerad")


def edit_base(path: str) -> str | None:
    """The lower-case stem of the photo `path` names itself an edit of (`IMG_1-edited.jpg` ->
    `img_1`), or None."""
    stem = os.path.splitext(os.path.basename(path))[0].casefold()
    for suffix in EDIT_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            return stem[:-len(suffix)]
    return None


def own_edits(group: Group) -> set[str]:
    """The files of `group` named as an edit of another file of the group."""
    stems = {os.path.splitext(os.path.basename(f.path))[0].casefold() for f in group.files}
    return {f.path for f in group.files if (base := edit_base(f.path)) is not None
            and base in stems}


def kept_with_edits(group: Group, ranked: Sequence[GroupFile],
                    keep: Sequence[GroupFile]) -> list[GroupFile]:
    """`keep` and, after it, each own edit of the group that is neither kept nor a
    byte-identical copy of a kept file (the best-ranked of identical copies is kept)."""
    edits = own_edits(group)
    kept = list(keep)
    for file in ranked:
        if file.path in edits and file.path not in {f.path for f in kept} \
                and file.path not in identical_to(group, {f.path for f in kept}):
            kept.append(file)
    return kept


def with_own_edits(group: Group, ranked: Sequence[GroupFile], keep: list[GroupFile],
                   reason: str) -> tuple[list[GroupFile], str]:
    """The keep rules' keepers with the group's own edits kept beside them, and the reason
    naming those (keep_rules.propose)."""
    kept = kept_with_edits(group, ranked, keep)
    added = [os.path.basename(f.path) for f in kept[len(keep):]]
    if not added:
        return keep, reason
    which = added[0] if len(added) == 1 else f"{', '.join(added[:-1])} and {added[-1]}"
    edits = "your own edit" if len(added) == 1 else "your own edits"
    return kept, f"{reason}{ALSO_KEPT}{edits}: {which}"  # what, before names that elide


def kept_beside(reason: str) -> dict[str, str]:
    """The files a reason names as kept beside the keeper, each with why, read back from its
    ALSO_KEPT parts ("…; also kept, WHY: a.jpg, b.tif (3 pictures) and c.jpg"); {} when it
    names none."""
    found = {}
    for also in reason.split(ALSO_KEPT)[1:]:
        why, _, names = also.partition(": ")
        for part in re.split(r", | and ", names) if names else []:
            found[re.sub(r" \(\d+ pictures\)$", "", part)] = why
    return found
