"""The words of the trash flow's messages: what stayed, which marks a move took off, what a
series' confirmation adds. Plain functions of the state, apart from the dialogs that show them."""

from __future__ import annotations

import os
from collections.abc import Sequence

from dedup_gui.engine.actions.origin_path import with_camera_companion
from dedup_gui.engine.types import Group, GroupFile
from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.text import plural

# The intro of a dialog that has only notes to give: a hostile-input check read "Some files
# were not moved: 0 files stayed where they were" over an empty list after a move that worked.
NOTE_ONLY = "Every file was handled. Please note:"


def nothing_in_group(state: ReviewState, where: str = "Trash") -> str:
    """Delete (or Move to folder) on a group with nothing marked: and where the marks are, if
    elsewhere. Why: a couple's check pressed the toolbar's Move to Trash and read "Nothing is
    marked Remove." beside a status line counting 19 files marked Remove (in other groups)."""
    text = "Nothing is marked Remove in this group."
    elsewhere = sum(len(marks) for marks in state.marks().values())
    if elsewhere:
        text += (f" {plural(elsewhere, 'file')} marked in other groups: Edit ▸ Move marked in "
                 f"shown groups to {where}… moves those.")
    return text


def stayed_text(failures: list[tuple[str, str]], redo: bool) -> str:
    """The failure dialog's first line; after Redo it says why files may stay this time."""
    one = len(failures) == 1
    if redo:
        return (f"Redo left {plural(len(failures), 'file')} where {'it is' if one else 'they are'}"
                " (a file changed since the scan is never moved; scan again to see it as it is "
                "now):")
    return (f"{plural(len(failures), 'file')} stayed where {'it was' if one else 'they were'}; "
            "nothing else was touched:")


def released_note(paths: list[str], went: str = "among those moved") -> str:
    """The status line's word on Remove marks a move took off (ReviewState.set_trashed), or
    a file found changed or gone (set_gone, `went` "changed or gone")."""
    if not paths:
        return ""
    names = ", ".join(os.path.basename(p) for p in paths[:3]) + (", …" if len(paths) > 3 else "")
    if len(paths) == 1:
        return f" Now kept: {names} (the file its group kept was {went})."
    return f" Now kept: {len(paths)} files, {names} (the files their groups kept were {went})."


def kept_copies_note(state: ReviewState, shots: set[str]) -> str:
    """What the series' confirmation adds when some of `shots` are the files duplicate groups
    keep: where a copy is still in place, the copies are kept instead (ReviewState.set_trashed);
    where none is (the copies went to the Trash first), the shot stays, the photo's last file.
    The confirmation said nothing of the first (a first-user review), and said "the copies are
    kept instead" of copies already in the Trash (a real-window check)."""
    kept = state.kept_in_groups(shots)
    last = {p for p in kept if not _copies_in_place(state, p)}
    text = ""
    if kept - last:
        whose = "the file its duplicate group keeps" if len(kept - last) == 1 else \
            "files their duplicate groups keep"
        text += (f" {plural(len(kept - last), 'of these shots is', 'of these shots are')} "
                 f"{whose}: the copies there are kept instead.")
    if last:
        text += (f" {plural(len(last), 'of these shots stays', 'of these shots stay')}: the "
                 "photo's last file in place (its copies are no longer there).")
    return text


def _copies_in_place(state: ReviewState, path: str) -> bool:
    groups = state.summaries.groups_of_path.get(path, ())
    return any(f.path != path for g in groups for f in state.live_files(g))


# A photo's edits (.aae, .xmp), and Takeout's record of its date, place and description
# (.json): sidecars whose only copy may go with a marked photo (only_raws).
EDIT_SIDECARS = (".aae", ".xmp", ".json")
SERIES_DETAIL = ("These are other shots of a scene, not copies: only the shots marked Remove "
                 "move, and every series keeps at least one shot.")


def only_raws(groups: Sequence[Group], marks: set[str], out_of_place: set[str]) -> list[str]:
    """The RAW files and Live videos that would go with a marked photo while no file its group
    keeps has one: the photo's only RAW (or video). Why: keeping a byte copy of a camera JPEG
    (from a backup, with no RAW beside it) and trashing the camera's JPEG took the RAW along,
    and the confirmation said only "with their RAW/Live video/sidecars" (a real-window
    check). The same for an edit sidecar (.AAE, .XMP) when no kept file has one of its kind:
    the only record of the edits made on a phone or in an editor (a first-user check), and
    for Takeout's .json, the only record of a photo's date, place and description (a Takeout
    check: kept by hand, the person's -edited copy has none of its own)."""
    found: list[str] = []
    for group in groups:
        marked = [f for f in group.files if f.path in marks]
        kept = [f for f in group.files if f.path not in marks and f.path not in out_of_place]
        if not marked:
            continue
        if not any(_has_camera_file(f) for f in kept):
            found += [c for f in marked for c in f.companions if with_camera_companion([c])]
        kept_kinds = {_edit_kind(c) for f in kept for c in f.companions}
        found += [c for f in marked for c in f.companions
                  if _edit_kind(c) and _edit_kind(c) not in kept_kinds]
    return sorted(set(found))


def _edit_kind(path: str) -> str:
    """".aae" or ".xmp" for an edit sidecar, else ""."""
    extension = os.path.splitext(path)[1].lower()
    return extension if extension in EDIT_SIDECARS else ""


def _has_camera_file(file: GroupFile) -> bool:
    return with_camera_companion([file.path, *file.companions])


def _sidecar_kinds(sidecars: set[str]) -> str:
    """What only_raws_note calls the files, by the sidecar kinds among them."""
    if not sidecars:
        return "RAW or Live video"
    if ".json" not in sidecars:
        return "RAW, Live video or edit sidecar (the edits made on a phone or in an editor)"
    if sidecars == {".json"}:
        return "RAW, Live video or metadata sidecar (Google Takeout's date, place and description)"
    return ("RAW, Live video or sidecar (the edits made on a phone or in an editor, or Google "
            "Takeout's date, place and description)")


def only_raws_note(files: list[str]) -> str:
    """The confirmation's warning for `only_raws`."""
    if not files:
        return ""
    names = ", ".join(os.path.basename(p) for p in files[:3]) + (", …" if len(files) > 3 else "")
    one = len(files) == 1
    kinds = _sidecar_kinds({_edit_kind(p) for p in files} - {""})
    what = (f"it is the only {kinds} of its photo" if one else
            f"each the only {kinds} of its photo")
    return (f"{names} {'goes' if one else 'go'} too: {what}, and the file kept instead has "
            f"none. To keep {'it' if one else 'them'}, keep the photo "
            f"{'it belongs' if one else 'they belong'} to.")
