"""The per-picture facts verification asks of every file it checks, from one decoded picture.

Why here: verification (grouping/verify.py, refute.py) asks two things of each side of a pair
before any pair rule: "may it be a frame around a photo" (frames.py: a screenshot, a pad, a
meme) and, for suspects, "is it too plain to compare" (flat, tiny, a strip). Asked of the
picture verification decodes, each answer cost a decode of its own: on the 20k scale library,
~3,500 frame tests decoded pictures the signal workers had decoded already, pixel for pixel.
So the signal worker computes both from its own decode when that decode is verification's
(imageio.load_image's `alike_side`), and they are cached beside the file's signals
(store/picture_facts.py): a "re-saved" pair whose sides are not both framed needs no decode.

The definitions live here, below grouping, and grouping's framed() and degenerate() call them:
one definition, so the cached answer is the decoded one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from dedup_gui.engine.signals.views import exact_flat

VERIFY_SIDE = 256  # short side verification decodes its pictures at (grouping/verify.py)
GREY_SIDE = 384  # long side of the grey view the frame test reads (pixels.prepared: 2 × WORK)
FRAMED_SHARE = 0.25  # exactly flat share from which a picture may be a frame
MIN_SIDE = 16  # pixels: a smaller picture holds too little to compare
MAX_ASPECT = 8.0  # long side / short side beyond which a picture is a strip
FLAT_STD = 2.0  # grey-level spread below which a picture is flat (one colour, a gradient)
FLAT_SIDE = 32  # px: the spread is measured this small, where sensor noise averages out
FACTS_VERSION = 1  # bump when a definition below changes: cached facts are then not used


@dataclass(frozen=True, slots=True)
class PictureFacts:
    """framed: may be a frame around a photo; plain: too plain to compare (degenerate)."""

    framed: bool
    plain: bool


def grey_view(image: Image.Image) -> Image.Image:
    """The grey picture the frame test reads: box-reduced to about GREY_SIDE px on its long
    side (unchanged if already small), as pixels.prepared() makes it."""
    grey = image.convert("L")
    factor = max(grey.size) // GREY_SIDE
    return grey.reduce(factor) if factor >= 2 else grey


def framed_grey(grey: Image.Image) -> bool:
    """Whether a grey view (grey_view) has enough exactly flat pixels to be a frame around a
    photo (a screenshot, a pad, a meme; almost never a camera photo)."""
    return float(exact_flat(grey, (64, 64)).mean()) >= FRAMED_SHARE


def degenerate(image: Image.Image) -> bool:
    """Flat (also nearly: one colour under sensor noise), tiny or a strip: nothing in it says
    which photo it is."""
    w, h = image.size
    if min(w, h) < MIN_SIDE or max(w, h) / min(w, h) > MAX_ASPECT:
        return True
    small = image.convert("L").resize((FLAT_SIDE, FLAT_SIDE), Image.Resampling.BOX)
    return float(np.asarray(small, dtype=np.float32).std()) < FLAT_STD


def picture_facts(image: Image.Image) -> PictureFacts:
    """Both facts of a picture decoded as verification decodes it (RGB, VERIFY_SIDE)."""
    return PictureFacts(framed_grey(grey_view(image)), degenerate(image))
