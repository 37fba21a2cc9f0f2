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

An iPhone names its edit the same way: `IMG_E0061.HEIC` beside `IMG_0061.HEIC`, as iCloud
downloads and Windows' iCloud Photos write both. Its .AAE recipe rebuilds the edit only inside
Apple Photos, so outside it the IMG_E file is the only copy of the person's edit, kept too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from dedup_gui.engine.actions.kept_beside import OWN_EDIT, keep_beside, named_beside
from dedup_gui.engine.types import Group, GroupFile

# Their labels, whatever else was done to the file; each says which app made the edit.
GOOGLE_EDIT = "your own edit (Google Photos)"
APPLE_EDIT = "your own edit (iPhone)"
OWN_EDITS = (GOOGLE_EDIT, APPLE_EDIT)
EDIT_SUFFIXES = ("-edited", "-bearbeitet", "-bewerkt", "-modifié", "-modificato",
                 "-editado", "-editat", "-edytowane", "-redigeret", "-redigerad")
_APPLE_EDIT_STEM = re.compile(r"img_e(\d{4})")  # IMG_E0061, the edit of IMG_0061


def edit_base(path: str) -> tuple[str, str] | None:
    """The lower-case stem of the photo `path` names itself an edit of, with the edit's label
    (`IMG_1-edited.jpg` -> `img_1`, Google's; `IMG_E0061.HEIC` -> `img_0061`, Apple's), or
    None."""
    stem = os.path.splitext(os.path.basename(path))[0].casefold()
    for suffix in EDIT_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            return stem[:-len(suffix)], GOOGLE_EDIT
    if apple := _APPLE_EDIT_STEM.fullmatch(stem):
        return f"img_{apple.group(1)}", APPLE_EDIT
    return None


def own_edits(group: Group) -> dict[str, str]:
    """path -> label of the files of `group` named as an edit of another file of the group."""
    stems = {os.path.splitext(os.path.basename(f.path))[0].casefold() for f in group.files}
    return {f.path: edit[1] for f in group.files if (edit := edit_base(f.path)) is not None
            and edit[0] in stems}


def with_own_edits(group: Group, ranked: Sequence[GroupFile], keep: list[GroupFile],
                   reason: str) -> tuple[list[GroupFile], str]:
    """The keep rules' keepers with the group's own edits kept beside them, and the reason
    naming those (keep_rules.propose)."""
    edits = own_edits(group)
    kept = keep_beside(group, ranked, keep, lambda file: file.path in edits)
    return named_beside(group, keep, kept, reason, OWN_EDIT)
