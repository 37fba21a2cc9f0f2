"""A tone or colour edit between a picture and its smaller copy: brightness, contrast or
colour moved by more than resizing and re-encoding move them.

Why: provenance's tone test (a combed histogram) compares pictures of one size only, so an
edit exported smaller (a brightened, warmer or more saturated 2048-px export that kept the
camera data) read as a "smaller re-save" of its original and was proposed for the Trash; a
couple's check lost five of nine such exports. Resizing averages pixels: the picture's mean
grey level, its spread and its mean colour stay where they were (both are compared as
provenance read them: a 64-px grey thumbnail and the chroma at WORK_SIDE). An edit moves
them: brightness the mean, contrast the spread, saturation or a colour cast the chroma.
Only a smaller copy is asked (the larger member is its source), framed alike (thumbnails of
one size), and only where the pictures are not grey. A copy faithful to one larger member is
a copy of that one, whatever another member's edit did (a group holds an original, its
brightened export and a messenger's copy of the original: the copy is no edit).
"""

from __future__ import annotations

import numpy as np

from dedup_gui.engine.actions.provenance_facts import FileFacts

MEAN_SHIFT = 6.0  # grey levels of the whole picture's mean
SPREAD = 0.9  # ratio of the grey levels' standard deviations, either way
CHROMA = 0.8  # ratio of the mean colour spread, either way
COLOURED = 6.0  # chroma below which the colour ratio says nothing (near-grey pictures)


def retoned_from_all(copy: FileFacts, members: list[FileFacts]) -> bool:
    """`copy` is retoned against every larger member framed like it (and there is one)."""
    larger = [m for m in members if _comparable(copy, m)]
    return bool(larger) and all(retoned(copy, m) for m in larger)


def _comparable(copy: FileFacts, source: FileFacts) -> bool:
    return copy.width * copy.height < source.width * source.height and \
        copy.thumb_size == source.thumb_size and bool(copy.thumb) and bool(source.thumb)


def retoned(copy: FileFacts, source: FileFacts) -> bool:
    """`copy`, a smaller picture framed like `source`, differs from it in tone or colour by
    more than a resize (module docstring). False when they cannot be compared."""
    if not _comparable(copy, source):
        return False
    a = np.frombuffer(copy.thumb, dtype=np.uint8).astype(np.float64)
    b = np.frombuffer(source.thumb, dtype=np.uint8).astype(np.float64)
    if abs(a.mean() - b.mean()) > MEAN_SHIFT:
        return True
    if b.std() > 1.0 and not SPREAD <= a.std() / b.std() <= 1 / SPREAD:
        return True
    if min(copy.chroma, source.chroma) < COLOURED:
        return False
    return not CHROMA <= copy.chroma / source.chroma <= 1 / CHROMA
