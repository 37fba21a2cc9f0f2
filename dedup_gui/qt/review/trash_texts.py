"""The words of the trash flow's messages: what stayed, which marks a move took off, what a
series' confirmation adds. Plain functions of the state, apart from the dialogs that show them."""

from __future__ import annotations

import os

from dedup_gui.qt.review.review_state import ReviewState
from dedup_gui.text import plural


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
    keep: those groups' copies are then kept instead (ReviewState.set_trashed); the
    confirmation said nothing of it (a first-user review)."""
    kept = state.kept_in_groups(shots)
    if not kept:
        return ""
    whose = "the file its duplicate group keeps" if len(kept) == 1 else \
        "files their duplicate groups keep"
    return (f" {plural(len(kept), 'of these shots is', 'of these shots are')} {whose}: "
            "the copies there are kept instead.")


SERIES_DETAIL = ("These are other shots of a scene, not copies: only the shots marked Remove "
                 "move, and every series keeps at least one shot.")
