"""Files that hold more than one picture (a multi-page TIFF, an animated GIF, WebP or PNG):
kept beside the group's keeper, never proposed as a copy of a still.

Why: the scan reads a file's first picture, so a three-page TIFF whose first page is a photo
groups with that photo's JPEG, and the keep rules proposed it for the Trash as a "format
conversion" (a hostile-input check), its other pages with it. An animation whose first frame
matches a still is the same: the still holds one of its frames, not the animation. Its
byte-identical copies are still proposed (they hold the same pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from PIL import Image

from dedup_gui.engine.actions.kept_beside import also_kept, keep_beside, name_in
from dedup_gui.engine.types import Group, GroupFile

# The formats whose files can hold several pictures, as the loader names them. Not MPO: a
# camera JPEG's second picture is its preview or depth map, not another photo.
MULTI_FORMATS = frozenset({"TIFF", "GIF", "WEBP", "PNG"})


def picture_count(file: GroupFile) -> int:
    """How many pictures the file holds (1 for the formats that hold one, or unreadable)."""
    if (file.format or "").upper() not in MULTI_FORMATS:
        return 1
    return _count(file.path, file.size, file.mtime_ns)


@lru_cache(maxsize=4096)
def _count(path: str, _size: int, _mtime_ns: int) -> int:
    """Read from the header (a GIF's frames are walked), remembered per file version."""
    try:
        with Image.open(path) as image:
            return int(getattr(image, "n_frames", 1) or 1)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return 1


def with_all_frames(group: Group, ranked: Sequence[GroupFile], keep: list[GroupFile],
                    reason: str) -> tuple[list[GroupFile], str]:
    """`keep` and, after it, each file of the group holding more pictures than every kept
    file that is not a byte-identical copy of a kept file; the reason names them."""
    most = max(picture_count(f) for f in keep)
    kept = keep_beside(group, ranked, keep, lambda file: picture_count(file) > most)
    added = kept[len(keep):]
    if not added:
        return keep, reason
    names = [f"{name_in(group, f)} ({picture_count(f)} pictures)" for f in added]
    return kept, also_kept(reason, "more pages or frames than the others", names)
