"""The files a group keeps beside its keeper, whatever the keep rules ranked: the person's own
edits (by name, own_edits.py; by the camera data an edit kept, camera_edits.py) and files with
more pictures than the kept ones (multi_frame.py).

Why one step: the keeper's reason lists "the others" by what they are, and a file kept beside
it is not one of them; the header read "the other is your own edit of it; also kept, your own
edit: IMG_E0003.HEIC" (a first-user check). Run first, these say which files are kept, so the
reason names only the files proposed, then adds what was kept beside and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dedup_gui.engine.actions.camera_edits import with_camera_edits
from dedup_gui.engine.actions.multi_frame import with_all_frames
from dedup_gui.engine.actions.own_edits import with_own_edits
from dedup_gui.engine.actions.provenance import Provenance
from dedup_gui.engine.types import Group, GroupFile


def kept_too(group: Group, ranked: Sequence[GroupFile], keep: list[GroupFile],
             provenance: Mapping[str, Provenance] | None) -> tuple[list[GroupFile], str]:
    """`keep` with the files kept beside it after it, and the reason's ending that names them
    ("; also kept, WHY: NAMES", kept_beside.also_kept; empty when none)."""
    keep, ending = with_own_edits(group, ranked, keep, "")
    keep, ending = with_camera_edits(group, ranked, keep, ending, provenance)
    return with_all_frames(group, ranked, keep, ending)
