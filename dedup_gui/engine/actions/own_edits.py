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
from collections.abc import Sequence

from dedup_gui.engine.actions.kept_beside import also_kept, keep_beside
from dedup_gui.engine.types import Group, GroupFile

OWN_EDIT = "your own edit (Google Photos)"  # its label, whatever else was done to it
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


def with_own_edits(group: Group, ranked: Sequence[GroupFile], keep: list[GroupFile],
                   reason: str) -> tuple[list[GroupFile], str]:
    """The keep rules' keepers with the group's own edits kept beside them, and the reason
    naming those (keep_rules.propose)."""
    edits = own_edits(group)
    kept = keep_beside(group, ranked, keep, lambda file: file.path in edits)
    added = [os.path.basename(f.path) for f in kept[len(keep):]]
    if not added:
        return keep, reason
    return kept, also_kept(reason, "your own edit" if len(added) == 1 else "your own edits",
                           added)
