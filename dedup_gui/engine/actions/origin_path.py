"""What a file's name and folder hint about where it came from: weak evidence only.

Why weak: names lie as often as they help (people rename, apps reuse names), so they only break
ties between files whose pixels and headers say the same, above all byte-identical copies. The
hints are those of copying in general, on every platform: the copy suffixes file managers add
("Copy of", " - Copy", "(1)", "_copy"), folders where received, downloaded, exported or
backed-up copies land (a shared album's download too: a family's check kept its copy, saved
at a higher quality with the camera data, over the father's phone file by "largest file"),
the camera folders (DCIM) where originals are written, and what a camera writes beside its
photo (a RAW, a Live Photo's video): a copy made elsewhere has none of them.
Google Takeout's year folders ("Photos from 2019") count as camera folders: every photo is
there, and an album folder holds byte copies of some (a Takeout check kept the album's copy by
its shorter path and proposed the year folder's, leaving the year folders with gaps).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import PurePath

from dedup_gui.engine.signals.companions import LIVE_EXTENSIONS, RAW_EXTENSIONS
from dedup_gui.engine.types import GroupFile

_COPY_NAME = re.compile(
    r"(^copy of |[ _-]copy( \d+)?$| - copy( \(\d+\))?$|[ _]\(\d+\)$|^copie de |[ _-]kopie$)",
    re.IGNORECASE)
_DERIVED_FOLDERS = re.compile(
    r"(download|whatsapp|telegram|signal|messenger|facebook|instagram|snapchat|screenshot|"
    r"screen shot|backup|copies|copy|meme|export|(^|[^a-z])edit|upscal|received|airdrop|"
    r"shared ?albums?|shared with me)",
    re.IGNORECASE)
_CAMERA_FOLDERS = re.compile(
    r"^(dcim|camera|\d{3}[a-z_]{5}|camera roll|"
    r"(photos from|fotos von|photos de|fotos de|foto's uit|foto del) (19|20)\d\d)$",
    re.IGNORECASE)


def is_copy_name(path: str) -> bool:
    """The file's name carries a copy marker ("Copy of x.jpg", "x (1).jpg", "x_copy.jpg")."""
    return bool(_COPY_NAME.search(PurePath(path).stem.strip()))


def in_camera_folder(path: str) -> bool:
    """Inside a camera's own folder layout (DCIM/100CANON, Camera, Camera Roll) or Takeout's
    year folders (module doc)."""
    return any(_CAMERA_FOLDERS.match(part) for part in PurePath(path).parent.parts)


def derived_kinds(path: str) -> int:
    """How many kinds of derived folder (received, downloaded, exported, backed up) hold the
    file (the words matched, each once):
    'Backup/Exports' two, 'WhatsApp/WhatsApp Images' one. Why count: a copy of a folder of
    exports into a backup is one copy further from the person's own, and with one derived
    folder each, the backup's shorter path kept it and proposed the working folder's files (a
    photographer's check emptied Pictures/Exports into Backup/Exports)."""
    words = {m.group(0).strip(" _-.").lower() for part in PurePath(path).parent.parts
             for m in _DERIVED_FOLDERS.finditer(part)}
    return len(words)


def path_penalty(path: str) -> int:
    """Weak evidence against `path` being the original location: copy name 2, derived
    folders 1 each kind (2 at most), a camera folder -1. Below provenance's lightest label
    (5), so names only break ties the pixels and headers leave."""
    return 2 * is_copy_name(path) + min(2, derived_kinds(path)) - in_camera_folder(path)


_CAMERA_COMPANIONS = RAW_EXTENSIONS | LIVE_EXTENSIONS


def with_camera_companion(companions: Sequence[str]) -> bool:
    """A RAW or a Live video travels with the file: it is the camera's own, and a byte copy
    elsewhere (a backup, a shorter path) is not. Why: the shorter-path rule kept a backup's
    lone JPEG and proposed the camera's JPEG, with its RAW or Live video, for the Trash."""
    return any(os.path.splitext(c)[1].lower() in _CAMERA_COMPANIONS for c in companions)


def origin_penalty(file: GroupFile) -> int:
    """All the weak evidence against `file` being the original: its path, less one for a
    RAW or Live video beside it."""
    return path_penalty(file.path) - with_camera_companion(file.companions)
